package dev.workflowthread;

import java.util.Collections;
import java.util.Map;

/**
 * What a person posts into a workflow's thread. Parse one from the wire with
 * {@link dev.workflowthread.json.WireFormat#parseSendRequest(String)}.
 *
 * @param content    the text; never blank, at most the configured limit in UTF-8 bytes
 * @param actionType what the message asks; {@link ActionType#COMMENT} when null
 * @param metadata   a JSON object, or null; a redirect needs {@code newTaskDescription}
 * @param author     who sends it (kept for the audit trail), or null
 */
public record SendRequest(String content, ActionType actionType, Map<String, Object> metadata, String author) {

    public SendRequest {
        if (actionType == null) {
            actionType = ActionType.COMMENT;
        }
    }

    /** A request without metadata or author. */
    public static SendRequest of(ActionType actionType, String content) {
        return new SendRequest(content, actionType, null, null);
    }

    /**
     * A redirect to a new task; {@code content} is what the person wrote. A null or blank task is
     * kept as given, so that sending it is refused naming {@code metadata.newTaskDescription}.
     */
    public static SendRequest redirect(String content, String newTaskDescription) {
        return new SendRequest(content, ActionType.REDIRECT,
                Collections.singletonMap(Message.NEW_TASK_DESCRIPTION, newTaskDescription), null);
    }

    /** Returns a copy with the given author. */
    public SendRequest withAuthor(String author) {
        return new SendRequest(content, actionType, metadata, author);
    }

    /** Returns a copy with the given metadata. */
    public SendRequest withMetadata(Map<String, Object> metadata) {
        return new SendRequest(content, actionType, metadata, author);
    }
}
