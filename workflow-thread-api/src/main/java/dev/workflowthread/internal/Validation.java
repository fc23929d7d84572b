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

    /**
     * The prefix of the idempotency keys the library gives its own messages (a question's closing
     * notice, an interruption's notice, an acknowledgement); a host's or a person's key may not
     * begin with it, so that no message of theirs can take one of those keys first.
     */
    static final String LIBRARY_KEY_PREFIX = "workflow-thread:";

    /** The library's own key for {@code what}. */
    static String libraryKey(String what) {
        return LIBRARY_KEY_PREFIX + what;
    }

    /**
     * Null, or 1 to 255 visible ASCII characters (compared byte for byte by every database), not
     * beginning with {@link #LIBRARY_KEY_PREFIX}.
     */
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
        if (key.startsWith(LIBRARY_KEY_PREFIX)) {
            throw new InvalidMessageException(field, InvalidMessageException.Reason.NOT_APPLICABLE,
                    field + " must not begin with '" + LIBRARY_KEY_PREFIX + "': those keys are the library's own");
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

    /**
     * The steering keys of a person's message: {@code delivery} and {@code skipToAgent} where they
     * apply, and an answer's {@code inReplyTo} and {@code choice} (whose question the service
     * checks against the store). Returns the id of the question answered, or null.
     */
    static Long steering(ActionType actionType, Map<String, Object> metadata) {
        if (metadata == null) {
            return null;
        }
        boolean words = actionType == ActionType.COMMENT || actionType == ActionType.INSTRUCTION;
        Object delivery = metadata.get(Message.DELIVERY);
        if (delivery != null) {
            String field = "metadata." + Message.DELIVERY;
            dev.workflowthread.Delivery.fromWire(requireString(field, delivery));
            requireWords(field, words, actionType);
        }
        Object skip = metadata.get(Message.SKIP_TO_AGENT);
        if (skip != null) {
            String field = "metadata." + Message.SKIP_TO_AGENT;
            String agent = InvalidMessageException.requireText(field, requireString(field, skip));
            optionalShort(field, agent, MAX_AGENT_TYPE_LENGTH);
            if (actionType != ActionType.INSTRUCTION) {
                throw new InvalidMessageException(field, InvalidMessageException.Reason.NOT_APPLICABLE,
                        field + " is for instructions, not for a " + actionType.wireName());
            }
        }
        Object reply = metadata.get(Message.IN_REPLY_TO);
        Object choice = metadata.get(Message.CHOICE);
        String choiceField = "metadata." + Message.CHOICE;
        if (reply == null) {
            if (choice != null) {
                throw new InvalidMessageException(choiceField, InvalidMessageException.Reason.NOT_APPLICABLE,
                        choiceField + " answers a question, so it needs metadata." + Message.IN_REPLY_TO);
            }
            return null;
        }
        String field = "metadata." + Message.IN_REPLY_TO;
        if (!(reply instanceof Long || reply instanceof Integer || reply instanceof Short || reply instanceof Byte)) {
            throw new InvalidMessageException(field, InvalidMessageException.Reason.WRONG_TYPE,
                    field + " must be the id of the question answered, a whole number, but was " + reply);
        }
        long questionId = ((Number) reply).longValue();
        if (questionId <= 0) {
            throw new InvalidMessageException(field, InvalidMessageException.Reason.OUT_OF_RANGE,
                    field + " must be a positive message id, but was " + questionId);
        }
        requireWords(field, words, actionType);
        for (String key : java.util.List.of(Message.DELIVERY, Message.SKIP_TO_AGENT)) {
            if (metadata.get(key) != null) {
                throw new InvalidMessageException("metadata." + key, InvalidMessageException.Reason.NOT_APPLICABLE,
                        "metadata." + key + " does not apply to an answer (metadata." + Message.IN_REPLY_TO
                        + "): the answer goes to the asking agent, not to the next checkpoint");
            }
        }
        if (choice != null) {
            InvalidMessageException.requireText(choiceField, requireString(choiceField, choice));
        }
        return questionId;
    }

    private static String requireString(String field, Object value) {
        if (!(value instanceof String text)) {
            throw new InvalidMessageException(field, InvalidMessageException.Reason.WRONG_TYPE,
                    field + " must be a string, but was " + value);
        }
        return text;
    }

    private static void requireWords(String field, boolean words, ActionType actionType) {
        if (!words) {
            throw new InvalidMessageException(field, InvalidMessageException.Reason.NOT_APPLICABLE,
                    field + " is for instructions and comments, not for a " + actionType.wireName());
        }
    }

    /** The most options a question offers. */
    static final int MAX_OPTIONS = 20;
    /** The most characters of one option: a button's label. */
    static final int MAX_OPTION_LENGTH = 200;

    /** A question's options: each non-blank, at most 200 characters, none twice; at most 20. */
    java.util.List<String> options(java.util.List<String> options) {
        InvalidMessageException.requireNonNull("options", options);
        if (options.size() > MAX_OPTIONS) {
            throw new InvalidMessageException("options", InvalidMessageException.Reason.TOO_LARGE,
                    "a question offers at most " + MAX_OPTIONS + " options, but was given " + options.size());
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < options.size(); i++) {
            String field = "options[" + i + "]";
            String option = text(field, options.get(i));
            if (option.length() > MAX_OPTION_LENGTH) {
                throw new InvalidMessageException(field, InvalidMessageException.Reason.TOO_LARGE,
                        field + " must be at most " + MAX_OPTION_LENGTH + " characters, but was " + option.length());
            }
            if (!seen.add(option)) {
                throw new InvalidMessageException(field, InvalidMessageException.Reason.NOT_APPLICABLE,
                        field + " '" + option + "' is offered twice");
            }
        }
        return java.util.List.copyOf(options);
    }

    /** A positive duration of at most {@link dev.workflowthread.WorkflowThreadConfig#MAX_DURATION}. */
    static java.time.Duration timeout(String field, java.time.Duration timeout) {
        InvalidMessageException.requireNonNull(field, timeout);
        if (timeout.isNegative() || timeout.isZero()
                || timeout.compareTo(dev.workflowthread.WorkflowThreadConfig.MAX_DURATION) > 0) {
            throw new InvalidMessageException(field, InvalidMessageException.Reason.OUT_OF_RANGE,
                    field + " must be positive and at most " + dev.workflowthread.WorkflowThreadConfig.MAX_DURATION
                    + ", but was " + timeout);
        }
        return timeout;
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
