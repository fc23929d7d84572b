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

    /**
     * A request; a null action type becomes {@link ActionType#COMMENT}. The values are checked when
     * the request is sent, not here.
     *
     * @param content        the text
     * @param actionType     what the message asks, or null for a comment
     * @param metadata       a JSON object, or null
     * @param author         who sends it, or null
     * @param idempotencyKey the caller's key for this request, or null
     */
    public SendRequest {
        if (actionType == null) {
            actionType = ActionType.COMMENT;
        }
    }

    /**
     * A request without an idempotency key.
     *
     * @param content    the text
     * @param actionType what the message asks, or null for a comment
     * @param metadata   a JSON object, or null
     * @param author     who sends it, or null
     */
    public SendRequest(String content, ActionType actionType, Map<String, Object> metadata, String author) {
        this(content, actionType, metadata, author, null);
    }

    /**
     * A request without metadata, author or idempotency key.
     *
     * @param actionType what the message asks, or null for a comment
     * @param content    the text
     * @return the request
     */
    public static SendRequest of(ActionType actionType, String content) {
        return new SendRequest(content, actionType, null, null);
    }

    /**
     * A redirect to a new task, without author or idempotency key. A null or blank task is kept as
     * given, so that sending it is refused naming {@code metadata.newTaskDescription}.
     *
     * @param content            what the person wrote with the redirect
     * @param newTaskDescription the new task, kept as {@code metadata.newTaskDescription}
     * @return the request
     */
    public static SendRequest redirect(String content, String newTaskDescription) {
        return new SendRequest(content, ActionType.REDIRECT,
                Collections.singletonMap(Message.NEW_TASK_DESCRIPTION, newTaskDescription), null);
    }

    /**
     * A copy of this request with another author.
     *
     * @param author who sends it, or null
     * @return the copy
     */
    public SendRequest withAuthor(String author) {
        return new SendRequest(content, actionType, metadata, author, idempotencyKey);
    }

    /**
     * A copy of this request with other metadata (it replaces the metadata, a redirect's new task
     * included).
     *
     * @param metadata a JSON object, or null for none
     * @return the copy
     */
    public SendRequest withMetadata(Map<String, Object> metadata) {
        return new SendRequest(content, actionType, metadata, author, idempotencyKey);
    }

    /**
     * A copy of this request with another idempotency key.
     *
     * @param idempotencyKey the caller's key for this request, or null for none
     * @return the copy
     */
    public SendRequest withIdempotencyKey(String idempotencyKey) {
        return new SendRequest(content, actionType, metadata, author, idempotencyKey);
    }
}
