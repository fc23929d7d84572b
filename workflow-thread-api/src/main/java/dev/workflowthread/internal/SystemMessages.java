package dev.workflowthread.internal;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionType;
import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.ThreadEvent;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.spi.NewMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The plan's wording of system and orchestrator messages, and the link between a system message
 * and the state event it records: the event's name and details are kept in the message's
 * metadata, so that a subscriber replaying the thread gets the state events again in order.
 */
final class SystemMessages {
    /** Metadata key: the state event this system message records. */
    static final String WORKFLOW_EVENT = "workflowEvent";
    /** Metadata key: the user message this system message answers. */
    static final String SOURCE_MESSAGE_ID = "sourceMessageId";
    /** Metadata key: the message an agent's reply answers. */
    static final String IN_REPLY_TO = "inReplyTo";
    static final String REASON = "reason";
    static final String AUTHOR = "author";
    static final String NEW_WORKFLOW_ID = "newWorkflowId";
    static final String SUMMARY = "summary";

    static final String PAUSED = "Workflow paused at user request";
    static final String RESUMED = "Workflow resumed";
    static final String REDIRECT_CREATING = "Creating new workflow with updated instructions...";

    private static final int MAX_QUOTED = 1000;

    private SystemMessages() {
    }

    static String cancelled(String reason) {
        return "Workflow cancelled by user: " + abbreviate(reason);
    }

    static String redirected(long newWorkflowId) {
        return "Original workflow cancelled, new workflow #" + newWorkflowId + " created";
    }

    static String redirectFailed(String why) {
        return "Redirect failed, the workflow goes on: " + abbreviate(why);
    }

    static String completed(String summary) {
        return summary == null ? "Workflow completed" : "Workflow completed: " + abbreviate(summary);
    }

    static String failed(String reason) {
        return "Workflow failed: " + abbreviate(reason);
    }

    static String pausedTooLong(java.time.Duration limit) {
        return "paused for longer than " + inWords(limit);
    }

    static String cancelledAfterPause(String reason) {
        return "Workflow cancelled: " + reason;
    }

    static String resumedAfterPause(java.time.Duration limit) {
        return "Workflow resumed by itself after being paused for " + inWords(limit);
    }

    static String agentStarting(String agentType, String description) {
        return "Starting " + agentType + " agent - " + description;
    }

    static String agentCompleted(String agentType, String summary) {
        return agentType + " agent completed: " + summary;
    }

    /** A duration as a person reads it: "30 minutes", "1 hour", "90 seconds", "250 ms". */
    static String inWords(java.time.Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0) {
            return plural(millis / 3_600_000, "hour");
        }
        if (millis % 60_000 == 0) {
            return plural(millis / 60_000, "minute");
        }
        if (millis % 1_000 == 0) {
            return plural(millis / 1_000, "second");
        }
        return millis + " ms";
    }

    private static String plural(long count, String unit) {
        return count + " " + unit + (count == 1 ? "" : "s");
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= MAX_QUOTED ? text : text.substring(0, MAX_QUOTED) + "…";
    }

    /** A system message that records a state event. */
    static NewMessage stateMessage(String content, String event, Message source, Instant now,
                                   Map<String, Object> details) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(WORKFLOW_EVENT, event);
        if (source != null) {
            metadata.put(SOURCE_MESSAGE_ID, source.id());
            if (source.author() != null) {
                metadata.put(AUTHOR, source.author());
            }
        }
        details.forEach((key, value) -> {
            if (value != null) {
                metadata.put(key, value);
            }
        });
        return system(content, metadata, now);
    }

    /** A plain system message. */
    static NewMessage system(String content, Map<String, Object> metadata, Instant now) {
        return new NewMessage(null, MessageType.SYSTEM, null, content, metadata, ActionType.COMMENT,
                ActionStatus.PROCESSED, now, null);
    }

    /**
     * The events a stored message gives: {@code message:new}, then its state event, if any, with
     * the state {@code state} gives (asked only for a state event).
     */
    static List<ThreadEvent> eventsOf(Message message, Supplier<WorkflowState> state) {
        List<ThreadEvent> events = new ArrayList<>(2);
        events.add(new ThreadEvent.MessageAdded(message));
        String event = stateEventOf(message);
        if (event == null) {
            return events;
        }
        long workflowId = message.workflowId();
        long seq = message.seq();
        Instant at = message.createdAt();
        String reason = message.metadataString(REASON);
        String author = message.metadataString(AUTHOR);
        switch (event) {
            case ThreadEvent.WorkflowPaused.NAME ->
                    events.add(new ThreadEvent.WorkflowPaused(workflowId, seq, at, reason, author, state.get()));
            case ThreadEvent.WorkflowUnpaused.NAME ->
                    events.add(new ThreadEvent.WorkflowUnpaused(workflowId, seq, at, author, state.get()));
            case ThreadEvent.WorkflowCancelled.NAME ->
                    events.add(new ThreadEvent.WorkflowCancelled(workflowId, seq, at, reason, author, state.get()));
            case ThreadEvent.WorkflowRedirected.NAME -> {
                Object newId = message.metadata().get(NEW_WORKFLOW_ID);
                if (newId instanceof Number number) {
                    events.add(new ThreadEvent.WorkflowRedirected(workflowId, seq, at, number.longValue(),
                            message.metadataString(Message.NEW_TASK_DESCRIPTION), author, state.get()));
                }
            }
            case ThreadEvent.WorkflowCompleted.NAME -> events.add(new ThreadEvent.WorkflowCompleted(workflowId, seq, at,
                    message.metadataString(SUMMARY), state.get()));
            case ThreadEvent.WorkflowFailed.NAME ->
                    events.add(new ThreadEvent.WorkflowFailed(workflowId, seq, at, reason, state.get()));
            default -> {
                // a name this version does not know: the message:new event is enough
            }
        }
        return events;
    }

    /** The name of the state event a stored message records, or null for a message that records none. */
    static String stateEventOf(Message message) {
        if (message.messageType() != MessageType.SYSTEM || message.metadata() == null) {
            return null;
        }
        return message.metadataString(WORKFLOW_EVENT);
    }
}
