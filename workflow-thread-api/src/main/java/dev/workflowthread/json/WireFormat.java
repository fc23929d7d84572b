package dev.workflowthread.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workflowthread.ActionType;
import dev.workflowthread.InvalidMessageException;
import dev.workflowthread.Message;
import dev.workflowthread.SendRequest;
import dev.workflowthread.SendResult;
import dev.workflowthread.ThreadEvent;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.internal.Arguments;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Renders messages, pages, events, states and send results in the plan's JSON, and parses a
 * person's send request. Thread-safe; stateless.
 *
 * <p>Messages use the plan's snake_case names ({@code message_type}, {@code action_status},
 * {@code created_at}, …) with lower-case enum values and ISO-8601 UTC times with milliseconds.
 * An event is an envelope {@code {"event": "message:new", "workflowId": 7, "seq": 12, …}} whose
 * {@code message:new} form carries the message under {@code "message"}, as the plan's client
 * code ({@code data.workflowId}, {@code data.message}) expects.
 *
 * <pre>{@code
 * messages.subscribe(workflowId, lastSeenSeq, event -> socket.send(WireFormat.event(event)));
 * }</pre>
 */
public final class WireFormat {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** Reads requests: one JSON object, no key twice at any depth (Jackson would keep the last). */
    private static final ObjectReader STRICT = MAPPER.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private WireFormat() {
    }

    /** One message as a JSON object. */
    public static String message(Message message) {
        return write(messageNode(message));
    }

    /** A page of messages: {@code {"messages":[...]}}. */
    public static String page(List<Message> messages) {
        Arguments.required("messages", messages);
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode array = root.putArray("messages");
        messages.forEach(m -> array.add(messageNode(m)));
        return write(root);
    }

    /** An event as its envelope. */
    public static String event(ThreadEvent event) {
        return write(eventNode(event));
    }

    /** The answer to a send: {@code {"success":true,"messageId":…,"actionTaken":"pause_requested",…}}. */
    public static String sendResult(SendResult result) {
        Arguments.required("result", result);
        ObjectNode node = MAPPER.createObjectNode();
        node.put("success", true);
        node.put("messageId", result.messageId());
        node.put("seq", result.seq());
        node.put("actionTaken", result.actionTaken().wireName());
        if (result.reason() != null) {
            node.put("reason", result.reason());
        }
        return write(node);
    }

    /** A workflow's thread state. */
    public static String state(WorkflowState state) {
        return write(stateNode(state));
    }

    /** A message as a Jackson tree, for hosts that compose larger documents. */
    public static ObjectNode messageNode(Message m) {
        Arguments.required("message", m);
        ObjectNode node = MAPPER.createObjectNode();
        node.put("id", m.id());
        node.put("workflow_id", m.workflowId());
        node.put("seq", m.seq());
        putNullable(node, "agent_execution_id", m.agentExecutionId());
        node.put("message_type", m.messageType().wireName());
        node.put("agent_type", m.agentType());
        node.put("content", m.content());
        node.put("action_type", m.actionType().wireName());
        node.put("action_status", m.actionStatus().wireName());
        node.put("created_at", time(m.createdAt()));
        node.put("author", m.author());
        node.set("metadata", m.metadata() == null ? node.nullNode() : MAPPER.valueToTree(m.metadata()));
        return node;
    }

    /** A workflow's thread state as a Jackson tree. */
    public static ObjectNode stateNode(WorkflowState s) {
        Arguments.required("state", s);
        ObjectNode node = MAPPER.createObjectNode();
        node.put("workflow_id", s.workflowId());
        node.put("status", s.status().wireName());
        node.put("is_paused", s.paused());
        node.put("pause_requested_at", time(s.pauseRequestedAt()));
        node.put("pause_reason", s.pauseReason());
        node.put("paused_at", time(s.pausedAt()));
        putNullable(node, "redirected_to", s.redirectedTo());
        node.put("status_reason", s.statusReason());
        node.put("last_seq", s.lastSeq());
        return node;
    }

    /** An event envelope as a Jackson tree. */
    public static ObjectNode eventNode(ThreadEvent event) {
        Arguments.required("event", event);
        ObjectNode node = MAPPER.createObjectNode();
        node.put("event", event.name());
        node.put("workflowId", event.workflowId());
        node.put("seq", event.seq());
        node.put("created_at", time(event.occurredAt()));
        if (event instanceof ThreadEvent.MessageAdded added) {
            node.set("message", messageNode(added.message()));
        } else if (event instanceof ThreadEvent.WorkflowPaused paused) {
            node.put("reason", paused.reason());
            node.put("author", paused.author());
        } else if (event instanceof ThreadEvent.WorkflowUnpaused unpaused) {
            node.put("author", unpaused.author());
        } else if (event instanceof ThreadEvent.WorkflowCancelled cancelled) {
            node.put("reason", cancelled.reason());
            node.put("author", cancelled.author());
        } else if (event instanceof ThreadEvent.WorkflowRedirected redirected) {
            node.put("newWorkflowId", redirected.newWorkflowId());
            node.put("newTaskDescription", redirected.newTaskDescription());
            node.put("author", redirected.author());
        } else if (event instanceof ThreadEvent.WorkflowCompleted completed) {
            node.put("summary", completed.summary());
        } else if (event instanceof ThreadEvent.WorkflowFailed failed) {
            node.put("reason", failed.reason());
        }
        return node;
    }

    /** The fields of a send request, in the order the README lists them; any other is refused. */
    public static final List<String> SEND_REQUEST_FIELDS = List.of("content", "action_type", "metadata", "author",
            "idempotency_key");

    /**
     * Parses the body of the plan's {@code POST /api/workflows/:id/messages}:
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
     * @throws InvalidMessageException naming {@code body}, the duplicate key's path, the unknown
     *                                 field, {@code content}, {@code action_type}, {@code metadata},
     *                                 {@code author} or {@code idempotency_key}
     */
    public static SendRequest parseSendRequest(String json) {
        ObjectNode root = parseObject(json, SEND_REQUEST_FIELDS);
        String content = optionalText(root, "content");
        if (content == null) {
            throw new InvalidMessageException("content", "content is required");
        }
        String action = optionalText(root, "action_type");
        ActionType actionType = action == null ? ActionType.COMMENT : ActionType.fromWire(action);
        JsonNode metadataNode = root.get("metadata");
        Map<String, Object> metadata = null;
        if (metadataNode != null && !metadataNode.isNull()) {
            if (!metadataNode.isObject()) {
                throw new InvalidMessageException("metadata", "metadata must be a JSON object, but was " + kind(metadataNode));
            }
            metadata = MAPPER.convertValue(metadataNode, MAPPER.getTypeFactory()
                    .constructMapType(java.util.LinkedHashMap.class, String.class, Object.class));
        }
        return new SendRequest(content, actionType, metadata, optionalText(root, "author"),
                optionalText(root, "idempotency_key"));
    }

    /**
     * Parses {@code json} as exactly one JSON object that has no key twice at any depth and no
     * field but {@code fields}, as {@link #parseSendRequest} reads a send request: for a host's
     * other request bodies, so that they are read as strictly. The values are not looked at.
     *
     * @throws InvalidMessageException naming {@code body} (empty, not JSON, not an object), the
     *                                 path of a duplicate key, or the unknown field
     */
    public static ObjectNode parseObject(String json, Collection<String> fields) {
        Arguments.required("fields", fields);
        if (json == null || json.isBlank()) {
            throw new InvalidMessageException("body", "request body must be a JSON object, but was empty");
        }
        JsonNode root;
        try {
            root = STRICT.readTree(json);
        } catch (JsonProcessingException e) {
            throw notJson(e);
        }
        if (root == null || !root.isObject()) {
            throw new InvalidMessageException("body", "request body must be a JSON object, but was "
                    + (root == null ? "empty" : kind(root)));
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                throw new InvalidMessageException(name, "unknown field '" + name + "'; the fields are "
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
            return new InvalidMessageException(path, "the key '" + path + "' appears twice; a request must say each thing once");
        }
        JsonLocation at = e.getLocation();
        String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
        return new InvalidMessageException("body", "request body is not valid JSON: " + e.getOriginalMessage() + where);
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
            throw new InvalidMessageException(field, field + " must be a string, but was " + kind(node));
        }
        return node.textValue();
    }

    private static void putNullable(ObjectNode node, String field, Long value) {
        if (value == null) {
            node.putNull(field);
        } else {
            node.put(field, value.longValue());
        }
    }

    private static String time(Instant instant) {
        return instant == null ? null : TIME.format(instant);
    }

    private static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree could not be written", e);
        }
    }
}
