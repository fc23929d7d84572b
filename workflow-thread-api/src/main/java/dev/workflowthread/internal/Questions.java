package dev.workflowthread.internal;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionType;
import dev.workflowthread.InvalidMessageException;
import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.spi.NewMessage;
import dev.workflowthread.spi.ThreadStore;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What asking and answering share. A question is an agent message with {@code metadata.question};
 * it is closed by the first of the commits that store the system message keyed
 * {@link #closingKey}: the first person's answer (stored with it, in one commit) or the asker's
 * deadline. The store's idempotency keys make that first one the only one, in any process; a
 * later answer finds the key taken and is stored as ignored.
 */
final class Questions {
    /** The metadata key of the notices about a question: its id. */
    static final String QUESTION_ID = "questionId";
    /** The metadata key of the deadline's notice: true. */
    static final String TIMED_OUT = "timedOut";

    private Questions() {
    }

    /** The key of the one notice that closes question {@code questionId}. */
    static String closingKey(long questionId) {
        return Validation.libraryKey("question:" + questionId + ":closed");
    }

    /** The question an answer names, checked: a question of this workflow, the choice one of its options. */
    static Message requireQuestion(ThreadStore store, long workflowId, long questionId, Map<String, Object> metadata) {
        String field = "metadata." + Message.IN_REPLY_TO;
        Message question = store.findMessage(questionId).orElse(null);
        if (question == null || question.workflowId() != workflowId || !question.isQuestion()) {
            throw new InvalidMessageException(field, InvalidMessageException.Reason.NOT_APPLICABLE,
                    field + " must name a question an agent of workflow " + workflowId + " asked, but message "
                    + questionId + " is none");
        }
        Object choice = metadata.get(Message.CHOICE);
        List<String> options = optionsOf(question);
        if (choice != null && !options.contains(choice)) {
            String choiceField = "metadata." + Message.CHOICE;
            throw new InvalidMessageException(choiceField, InvalidMessageException.Reason.UNKNOWN_VALUE,
                    choiceField + " must be one of " + options + " (the question's options), but was '" + choice + "'");
        }
        return question;
    }

    /** The options a stored question offers. */
    static List<String> optionsOf(Message question) {
        Object options = question.metadata() == null ? null : question.metadata().get(Message.OPTIONS);
        if (!(options instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
    }

    /** The answer's text: the chosen option, else the person's words. */
    static String answerText(String content, Map<String, Object> metadata) {
        Object choice = metadata == null ? null : metadata.get(Message.CHOICE);
        return choice instanceof String text ? text : content;
    }

    /** "Question answered by alice: Button": stored with the first answer, closing the question. */
    static NewMessage answeredNotice(Message question, String content, Map<String, Object> metadata, String author,
                                     Instant now) {
        String by = author == null ? "a person" : author;
        return notice(question, "Question answered by " + by + ": " + SystemMessages.abbreviate(answerText(content, metadata)),
                false, now, closingKey(question.id()));
    }

    /** The deadline's notice, closing the question when no answer came first. */
    static NewMessage timedOutNotice(Message question, String content, Instant now) {
        return notice(question, content, true, now, closingKey(question.id()));
    }

    /** Whether the question's deadline ({@code metadata.deadline}) has passed at {@code now}. */
    static boolean pastDeadline(Message question, Instant now) {
        String deadline = question.metadataString(Message.DEADLINE);
        if (deadline == null) {
            return false;
        }
        try {
            return !now.isBefore(Instant.parse(deadline));
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    /** Why an answer to a closed question is ignored. */
    static String closedReason(Message question) {
        return "question " + question.id() + " was closed already: answered, or its deadline passed";
    }

    /** The thread's word on an ignored late answer. */
    static NewMessage lateAnswerNote(Message question, Instant now) {
        return notice(question, "An answer came after the question was closed (answered already, or its deadline"
                + " passed); it is ignored", false, now, null);
    }

    private static NewMessage notice(Message question, String content, boolean timedOut, Instant now, String key) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(QUESTION_ID, question.id());
        if (timedOut) {
            metadata.put(TIMED_OUT, true);
        }
        return new NewMessage(null, MessageType.SYSTEM, null, content, metadata, ActionType.COMMENT,
                ActionStatus.PROCESSED, now, null, key);
    }
}
