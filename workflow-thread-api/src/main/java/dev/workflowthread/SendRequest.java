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
 * @param idempotencyKey the caller's key for this request, or null: a send with a key that the
 *                   workflow's thread already holds stores nothing and answers with the message
 *                   first stored under it (the wire name is {@code idempotency_key}); 1 to
 *                   {@value #MAX_IDEMPOTENCY_KEY_LENGTH} visible ASCII characters, compared exactly.
 *                   The same key with different content, action type, metadata or author is
 *                   refused with an {@link InvalidMessageException} naming {@code idempotency_key}
 */
public record SendRequest(String content, ActionType actionType, Map<String, Object> metadata, String author,
                          String idempotencyKey) {

    /** The longest idempotency key. */
    public static final int MAX_IDEMPOTENCY_KEY_LENGTH = 255;

    public SendRequest {
        if (actionType == null) {
            actionType = ActionType.COMMENT;
        }
    }

    /** A request without an idempotency key. */
    public SendRequest(String content, ActionType actionType, Map<String, Object> metadata, String author) {
        this(content, actionType, metadata, author, null);
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
        return new SendRequest(content, actionType, metadata, author, idempotencyKey);
    }

    /** Returns a copy with the given metadata. */
    public SendRequest withMetadata(Map<String, Object> metadata) {
        return new SendRequest(content, actionType, metadata, author, idempotencyKey);
    }

    /** Returns a copy with the given idempotency key (null for none). */
    public SendRequest withIdempotencyKey(String idempotencyKey) {
        return new SendRequest(content, actionType, metadata, author, idempotencyKey);
    }
}
