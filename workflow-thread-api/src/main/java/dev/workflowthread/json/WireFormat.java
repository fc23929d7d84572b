package dev.workflowthread.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workflowthread.ActionType;
import dev.workflowthread.InvalidMessageException;
import dev.workflowthread.Message;
import dev.workflowthread.SendRequest;
import dev.workflowthread.SendResult;
import dev.workflowthread.ThreadEvent;
import dev.workflowthread.WorkflowState;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders messages, pages, events, states and send results in the library's JSON wire format,
 * and parses a person's send request. Thread-safe; stateless.
 *
 * <p>Messages use snake_case names ({@code message_type}, {@code action_status},
 * {@code created_at}, …) with lower-case enum values and ISO-8601 UTC times with milliseconds.
 * An event is an envelope {@code {"event": "message:new", "workflowId": 7, "seq": 12, …}} whose
 * {@code message:new} form carries the message under {@code "message"}, so that a client reads
 * {@code data.workflowId} and {@code data.message}.
 *
 * <pre>{@code
 * messages.subscribe(workflowId, lastSeenSeq, event -> socket.send(WireFormat.event(event)));
 * }</pre>
 */
public final class WireFormat {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Reads requests: one JSON object, no key twice at any depth (Jackson would keep the last). */
    private static final ObjectReader STRICT = MAPPER.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    private static final TypeReference<LinkedHashMap<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private WireFormat() {
    }

    /**
     * One message as a JSON object, with the keys of {@link #messageMap}.
     *
     * @param message the message
     * @return the JSON text
     * @throws InvalidMessageException naming {@code message} when it is null
     */
    public static String message(Message message) {
        return write(messageMap(message));
    }

    /**
     * A page of messages: {@code {"messages":[...]}}.
     *
     * @param messages the messages, in the order to write them
     * @return the JSON text
     * @throws InvalidMessageException naming {@code messages} when the list is null, or
     *                                 {@code message} when it holds null
     */
    public static String page(List<Message> messages) {
        InvalidMessageException.requireNonNull("messages", messages);
        List<Map<String, Object>> array = new ArrayList<>(messages.size());
        messages.forEach(m -> array.add(messageMap(m)));
        return write(Map.of("messages", array));
    }

    /**
     * An event as its envelope, with the keys of {@link #eventMap}.
     *
     * @param event the event
     * @return the JSON text
     * @throws InvalidMessageException naming {@code event} when it is null
     */
    public static String event(ThreadEvent event) {
        return write(eventMap(event));
    }

    /**
     * The answer to a send: {@code {"success":true,"messageId":…,"seq":…,"actionTaken":"pause_requested"}},
     * with {@code "reason"} when the message was ignored.
     *
     * @param result the send's result
     * @return the JSON text
     * @throws InvalidMessageException naming {@code result} when it is null
     */
    public static String sendResult(SendResult result) {
        InvalidMessageException.requireNonNull("result", result);
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("success", true);
        map.put("messageId", result.messageId());
        map.put("seq", result.seq());
        map.put("actionTaken", result.actionTaken().wireName());
        if (result.reason() != null) {
            map.put("reason", result.reason());
        }
        return write(map);
    }

    /**
     * A workflow's thread state, with the keys of {@link #stateMap}.
     *
     * @param state the state
     * @return the JSON text
     * @throws InvalidMessageException naming {@code state} when it is null
     */
    public static String state(WorkflowState state) {
        return write(stateMap(state));
    }

    /*
     * The maps below are the documents above as plain Java values, for hosts that compose larger
     * documents with a JSON library of their own (Jackson 2 or 3, Gson, JSON-B, …): unmodifiable,
     * in the order of the JSON text, with strings, longs, booleans, nulls, lists and maps (a
     * message's metadata as it holds it). Written by any JSON library, each gives the text the
     * renderer above gives.
     */

    /**
     * A message as the map {@link #message} writes.
     *
     * @param m the message
     * @return an unmodifiable map with {@code id}, {@code workflow_id}, {@code seq},
     *         {@code agent_execution_id}, {@code message_type}, {@code agent_type}, {@code content},
     *         {@code action_type}, {@code action_status}, {@code created_at}, {@code author} and
     *         {@code metadata}, in that order; absent values are null
     * @throws InvalidMessageException naming {@code message} when it is null
     */
    public static Map<String, Object> messageMap(Message m) {
        InvalidMessageException.requireNonNull("message", m);
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("id", m.id());
        map.put("workflow_id", m.workflowId());
        map.put("seq", m.seq());
        map.put("agent_execution_id", m.agentExecutionId());
        map.put("message_type", m.messageType().wireName());
        map.put("agent_type", m.agentType());
        map.put("content", m.content());
        map.put("action_type", m.actionType().wireName());
        map.put("action_status", m.actionStatus().wireName());
        map.put("created_at", time(m.createdAt()));
        map.put("author", m.author());
        map.put("metadata", m.metadata());
        return Collections.unmodifiableMap(map);
    }

    /**
     * A workflow's thread state as the map {@link #state} writes.
     *
     * @param s the state
     * @return an unmodifiable map with {@code workflow_id}, {@code status}, {@code is_paused},
     *         {@code pause_requested_at}, {@code pause_reason}, {@code paused_at},
     *         {@code redirected_to}, {@code status_reason} and {@code last_seq}, in that order
     *         (not the version); absent values are null
     * @throws InvalidMessageException naming {@code state} when it is null
     */
    public static Map<String, Object> stateMap(WorkflowState s) {
        InvalidMessageException.requireNonNull("state", s);
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("workflow_id", s.workflowId());
        map.put("status", s.status().wireName());
        map.put("is_paused", s.paused());
        map.put("pause_requested_at", time(s.pauseRequestedAt()));
        map.put("pause_reason", s.pauseReason());
        map.put("paused_at", time(s.pausedAt()));
        map.put("redirected_to", s.redirectedTo());
        map.put("status_reason", s.statusReason());
        map.put("last_seq", s.lastSeq());
        return Collections.unmodifiableMap(map);
    }

    /**
     * An event envelope as the map {@link #event} writes.
     *
     * @param event the event
     * @return an unmodifiable map with {@code event} (the wire name), {@code workflowId},
     *         {@code seq} and {@code created_at}, then the event's own fields: {@code message} (its
     *         {@link #messageMap}) for {@code message:new}; {@code reason} and {@code author} for a
     *         pause or cancel; {@code author} for an unpause; {@code newWorkflowId},
     *         {@code newTaskDescription} and {@code author} for a redirect; {@code summary} for a
     *         completion; {@code reason} for a failure. The state a state event carries is not
     *         written
     * @throws InvalidMessageException naming {@code event} when it is null
     */
    public static Map<String, Object> eventMap(ThreadEvent event) {
        InvalidMessageException.requireNonNull("event", event);
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("event", event.name());
        map.put("workflowId", event.workflowId());
        map.put("seq", event.seq());
        map.put("created_at", time(event.occurredAt()));
        if (event instanceof ThreadEvent.MessageAdded added) {
            map.put("message", messageMap(added.message()));
        } else if (event instanceof ThreadEvent.WorkflowPaused paused) {
            map.put("reason", paused.reason());
            map.put("author", paused.author());
        } else if (event instanceof ThreadEvent.WorkflowUnpaused unpaused) {
            map.put("author", unpaused.author());
        } else if (event instanceof ThreadEvent.WorkflowCancelled cancelled) {
            map.put("reason", cancelled.reason());
            map.put("author", cancelled.author());
        } else if (event instanceof ThreadEvent.WorkflowRedirected redirected) {
            map.put("newWorkflowId", redirected.newWorkflowId());
            map.put("newTaskDescription", redirected.newTaskDescription());
            map.put("author", redirected.author());
        } else if (event instanceof ThreadEvent.WorkflowCompleted completed) {
            map.put("summary", completed.summary());
        } else if (event instanceof ThreadEvent.WorkflowFailed failed) {
            map.put("reason", failed.reason());
        }
        return Collections.unmodifiableMap(map);
    }

    /** The fields of a send request, in the order the README lists them; any other is refused. */
    public static final List<String> SEND_REQUEST_FIELDS = List.of("content", "action_type", "metadata", "author",
            "idempotency_key");

    /**
     * Parses the body of a send request, as a host's {@code POST /api/workflows/:id/messages} takes it:
     * {@code {"content": "...", "action_type": "pause", "metadata": {...}, "author": "...",
     * "idempotency_key": "..."}}.
     * Only shape is checked here; {@code WorkflowMessages.send} checks the values.
     *
     * <p>Strict, so that nothing about a request is guessed: the text must be exactly one JSON
     * object; a key that appears twice, at any depth, is refused naming its path ({@code action_type},
     * {@code metadata.x}, {@code metadata.list[1].y}) rather than letting the last one win; a field
     * other than {@link #SEND_REQUEST_FIELDS} is refused naming it (so {@code actionType} is an error,
     * not a comment); {@code content}, {@code action_type}, {@code author} and
     * {@code idempotency_key} must be strings,
     * {@code metadata} an object (its keys are the host's and pass through); JSON {@code null}
     * counts as absent. {@code action_type} matches the lower-case wire names exactly.
     *
     * @param json the request body
     * @return the request, its values not yet checked
     * @throws InvalidMessageException naming {@code body}, the duplicate key's path, the unknown
     *                                 field, {@code content}, {@code action_type}, {@code metadata},
     *                                 {@code author} or {@code idempotency_key}
     */
    public static SendRequest parseSendRequest(String json) {
        ObjectNode root = parseTree(json, SEND_REQUEST_FIELDS);
        String content = optionalText(root, "content");
        if (content == null) {
            throw new InvalidMessageException("content", InvalidMessageException.Reason.MISSING, "content is required");
        }
        String action = optionalText(root, "action_type");
        ActionType actionType = action == null ? ActionType.COMMENT : ActionType.fromWire(action);
        JsonNode metadataNode = root.get("metadata");
        Map<String, Object> metadata = null;
        if (metadataNode != null && !metadataNode.isNull()) {
            if (!metadataNode.isObject()) {
                throw new InvalidMessageException("metadata", InvalidMessageException.Reason.WRONG_TYPE,
                        "metadata must be a JSON object, but was " + kind(metadataNode));
            }
            metadata = MAPPER.convertValue(metadataNode, JSON_OBJECT);
        }
        return new SendRequest(content, actionType, metadata, optionalText(root, "author"),
                optionalText(root, "idempotency_key"));
    }

    /**
     * Parses {@code json} as exactly one JSON object that has no key twice at any depth and no
     * field but {@code fields}, as {@link #parseSendRequest} reads a send request: for a host's
     * other request bodies, so that they are read as strictly. The values are not looked at.
     *
     * @param json   the request body
     * @param fields the names the object may have
     * @return the object as a new, unmodifiable map in the body's order, of plain Java values:
     *         strings, numbers ({@code Integer}, {@code Long} or {@code BigInteger} for whole
     *         numbers as written, {@code Double} for the others), booleans, nulls, lists and maps
     * @throws InvalidMessageException naming {@code body} (empty, not JSON, not an object), the
     *                                 path of a duplicate key, or the unknown field, or
     *                                 {@code fields} when it is null
     */
    public static Map<String, Object> parseObject(String json, Collection<String> fields) {
        return Collections.unmodifiableMap(MAPPER.convertValue(parseTree(json, fields), JSON_OBJECT));
    }

    /** {@link #parseObject}'s checks, answering the tree. */
    private static ObjectNode parseTree(String json, Collection<String> fields) {
        InvalidMessageException.requireNonNull("fields", fields);
        if (json == null || json.isBlank()) {
            throw new InvalidMessageException("body", InvalidMessageException.Reason.MISSING,
                    "request body must be a JSON object, but was empty");
        }
        JsonNode root;
        try {
            root = STRICT.readTree(json);
        } catch (JsonProcessingException e) {
            throw notJson(e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidMessageException("body", InvalidMessageException.Reason.WRONG_TYPE, "request body must be a JSON object, but was "
                    + (root == null ? "empty" : kind(root)));
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw new InvalidMessageException(name, InvalidMessageException.Reason.UNKNOWN_FIELD, "unknown field '" + name + "'; the fields are "
                        + String.join(", ", fields));
            }
        }
        return (ObjectNode) root;
    }

    /**
     * A key twice names the key's path; any other syntax error names {@code body}, with where it is.
     */
    private static InvalidMessageException notJson(JsonProcessingException e) {
        // Jackson's duplicate detection says so only in its message; the parser is where it found it.
        if (e instanceof StreamReadException read && read.getProcessor() != null
                && e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")) {
            String path = path(read.getProcessor().getParsingContext());
            return new InvalidMessageException(path, InvalidMessageException.Reason.DUPLICATE_KEY,
                    "the key '" + path + "' appears twice; a request must say each thing once");
        }
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        return new InvalidMessageException("body", InvalidMessageException.Reason.MALFORMED, "request body is not valid JSON: " + e.getOriginalMessage() + where);
    }

    /** {@code metadata.list[1].y}: the path of the current name, as the library names metadata paths. */
    private static String path(JsonStreamContext context) {
        StringBuilder path = new StringBuilder();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inObject()) {
                path.insert(0, c.getCurrentName()).insert(0, c.getParent().inRoot() ? "" : ".");
            } else {
                path.insert(0, "[" + c.getCurrentIndex() + "]");
            }
        }
        return path.toString();
    }

    /** "object", "array", "string", "number", "boolean" or "null". */
    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String optionalText(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidMessageException(field, InvalidMessageException.Reason.WRONG_TYPE, field + " must be a string, but was " + kind(node));
        }
        return node.textValue();
    }

    private static String time(Instant instant) {
        return instant == null ? null : TIME.format(instant);
    }

    private static String write(Map<String, Object> map) {
        try {
            return MAPPER.writeValueAsString(map);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON document could not be written", e);
        }
    }
}
