package dev.workflowthread.internal;

import dev.workflowthread.ActionType;
import dev.workflowthread.InvalidMessageException;
import dev.workflowthread.Message;
import dev.workflowthread.SendRequest;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.spi.MetadataCodec;
import java.util.Map;

/** Checks of everything that comes in from a host or a person, each naming its wire field. */
final class Validation {
    static final int MAX_AGENT_TYPE_LENGTH = 50;
    static final int MAX_AUTHOR_LENGTH = 255;

    private final int maxContentBytes;

    Validation(int maxContentBytes) {
        this.maxContentBytes = maxContentBytes;
    }

    static void workflowId(long workflowId) {
        if (workflowId <= 0) {
            throw new InvalidMessageException("workflowId", InvalidMessageException.Reason.OUT_OF_RANGE,
                    "workflowId must be positive, but was " + workflowId);
        }
    }

    String content(String content) {
        return text("content", content);
    }

    /** A non-blank text of at most the configured UTF-8 size. */
    String text(String field, String text) {
        InvalidMessageException.requireText(field, text);
        int bytes = utf8Length(text);
        if (bytes > maxContentBytes) {
            throw new InvalidMessageException(field, InvalidMessageException.Reason.TOO_LARGE,
                    field + " must be at most " + maxContentBytes + " bytes of UTF-8, but was " + bytes);
        }
        return MetadataCodec.requireStorable(field, text);
    }

    static String agentType(String agentType) {
        return optionalShort("agent_type", agentType, MAX_AGENT_TYPE_LENGTH);
    }

    static String author(String author) {
        return optionalShort("author", author, MAX_AUTHOR_LENGTH);
    }

    /** Null, or 1 to 255 visible ASCII characters: compared byte for byte by every database. */
    static String idempotencyKey(String key) {
        if (key == null) {
            return null;
        }
        String field = "idempotency_key";
        if (key.isEmpty() || key.length() > SendRequest.MAX_IDEMPOTENCY_KEY_LENGTH) {
            throw new InvalidMessageException(field, key.isEmpty() ? InvalidMessageException.Reason.BLANK : InvalidMessageException.Reason.TOO_LARGE,
                    field + " must be 1 to " + SendRequest.MAX_IDEMPOTENCY_KEY_LENGTH
                    + " characters when given, but was " + key.length());
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                throw new InvalidMessageException(field, InvalidMessageException.Reason.MALFORMED,
                        field + " must be visible ASCII characters (no spaces),"
                        + " but has U+" + String.format(java.util.Locale.ROOT, "%04X", (int) c) + " at index " + i);
            }
        }
        return key;
    }

    Map<String, Object> metadata(Map<String, Object> metadata) {
        if (metadata == null) {
            return null;
        }
        Map<String, Object> copy = MetadataCodec.immutableCopy(metadata);
        int bytes = MetadataCodec.jsonSize(copy);
        if (bytes > maxContentBytes) {
            throw new InvalidMessageException("metadata", InvalidMessageException.Reason.TOO_LARGE,
                    "metadata must be at most " + maxContentBytes + " bytes as JSON, but was " + bytes);
        }
        return copy;
    }

    /** A redirect needs a non-blank {@code metadata.newTaskDescription}. */
    void redirect(ActionType actionType, Map<String, Object> metadata) {
        if (actionType != ActionType.REDIRECT) {
            return;
        }
        Object task = metadata == null ? null : metadata.get(Message.NEW_TASK_DESCRIPTION);
        String field = "metadata." + Message.NEW_TASK_DESCRIPTION;
        if (task == null) {
            throw new InvalidMessageException(field, InvalidMessageException.Reason.MISSING, "a redirect needs " + field + ", the new task");
        }
        if (!(task instanceof String text)) {
            throw new InvalidMessageException(field, InvalidMessageException.Reason.WRONG_TYPE, field + " must be a string, but was " + task);
        }
        text(field, text);
    }

    static int pageLimit(int limit) {
        if (limit < 1 || limit > WorkflowMessages.MAX_PAGE_SIZE) {
            throw new InvalidMessageException("limit", InvalidMessageException.Reason.OUT_OF_RANGE,
                    "limit must be between 1 and " + WorkflowMessages.MAX_PAGE_SIZE + ", but was " + limit);
        }
        return limit;
    }

    static long afterSeq(long afterSeq) {
        if (afterSeq < 0) {
            throw new InvalidMessageException("after", InvalidMessageException.Reason.OUT_OF_RANGE,
                    "after must not be negative, but was " + afterSeq);
        }
        return afterSeq;
    }

    private static String optionalShort(String field, String value, int max) {
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            throw new InvalidMessageException(field, InvalidMessageException.Reason.BLANK, field + " must not be blank when given");
        }
        int characters = value.codePointCount(0, value.length()); // as the databases count them
        if (characters > max) {
            throw new InvalidMessageException(field, InvalidMessageException.Reason.TOO_LARGE,
                    field + " must be at most " + max + " characters, but was " + characters);
        }
        return MetadataCodec.requireStorable(field, value);
    }

    static int utf8Length(CharSequence text) {
        int bytes = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
