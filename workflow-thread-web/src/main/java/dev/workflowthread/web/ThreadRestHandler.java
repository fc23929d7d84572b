package dev.workflowthread.web;

import dev.workflowthread.ActionType;
import dev.workflowthread.InvalidMessageException;
import dev.workflowthread.Message;
import dev.workflowthread.RedirectNotConfiguredException;
import dev.workflowthread.SendRefusedException;
import dev.workflowthread.SendRequest;
import dev.workflowthread.SendResult;
import dev.workflowthread.StorageException;
import dev.workflowthread.WorkflowFinishedException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowNotFoundException;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.json.WireFormat;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread's REST API for any server: the host hands it each request under the mount prefix as
 * a {@link WebRequest} and writes the {@link WebResponse} back. It has no server of its own.
 *
 * <pre>{@code
 * ThreadRestHandler rest = ThreadRestHandler.builder(messages, host).prefix("/api").build();
 * WebResponse response = rest.handle(request);
 * }</pre>
 *
 * <p>The endpoints, under the prefix (default {@code /api}): {@code GET /session} (who the caller
 * is, {@code {"visitor":"…"}}); {@code GET /workflows?limit=50} and {@code POST /workflows
 * {"task_description":"…"}} (through {@link WorkflowHost#newest} and {@link WorkflowHost#create});
 * {@code GET /workflows/:id}; {@code GET /workflows/:id/messages?after=0&limit=100};
 * {@code POST /workflows/:id/messages} (a send request: {@code content}, {@code action_type},
 * {@code metadata}, {@code idempotency_key}); {@code POST /workflows/:id/pause},
 * {@code POST /workflows/:id/unpause} and {@code DELETE /workflows/:id} (an optional body
 * {@code {"content":"…"}}). Every answer is JSON in the library's names ({@link WireFormat}); every
 * refusal is {@code {"status":…,"error":"…","field":"…"}} and stores nothing:
 *
 * <ul>
 *   <li>400: a method override header; the body is not UTF-8, not one JSON object, has a key twice
 *       or a field the endpoint does not know, or a field is missing, of the wrong type or invalid;
 *       an {@code author} in the body when the host gave the caller's principal (the author is the
 *       principal's name); a path or query parameter that is not a number in range;</li>
 *   <li>403: a request that changes something from a page of another site (its {@code Origin});
 *       a send the {@link dev.workflowthread.SendPolicy} refuses;</li>
 *   <li>404: no workflow has that id, or no such endpoint; 405: a method an endpoint does not take;</li>
 *   <li>409: a control action (pause, resume, cancel, redirect) on a workflow that already finished;</li>
 *   <li>413: the body over the limit, {@code content} or {@code metadata} over the library's
 *       content limit, a task description over the task limit;</li>
 *   <li>415: a body that is not {@code application/json} in UTF-8;</li>
 *   <li>429 (or any other refusal): what the host's {@link WorkflowHost#create} throws as a
 *       {@link WebRefusal};</li>
 *   <li>503: the store failed.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class ThreadRestHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ThreadRestHandler.class);
    /** The largest request body unless set: room for a message at the content limit, escaped, with its metadata. */
    public static final int DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    /** The longest task description unless set, in characters (code points). */
    public static final int DEFAULT_MAX_TASK_LENGTH = 2000;
    /** How many messages a page has when the request does not say. */
    public static final int DEFAULT_PAGE = 100;
    /** How many workflows a list has when the request does not say. */
    public static final int DEFAULT_LIST = 50;
    /** The most workflows a list may ask for. */
    public static final int MAX_LIST = 200;
    private static final List<String> CREATE_FIELDS = List.of("task_description");
    private static final List<String> CONTROL_FIELDS = List.of("content", "author");
    private static final Map<ActionType, String> DEFAULT_CONTENT = Map.of(
            ActionType.PAUSE, "Pause requested",
            ActionType.RESUME, "Resume requested",
            ActionType.CANCEL, "Cancel requested");

    private final WorkflowMessages messages;
    private final WorkflowHost host;
    private final String prefix;
    private final int maxBodyBytes;
    private final int maxTaskLength;

    private ThreadRestHandler(Builder builder) {
        this.messages = builder.messages;
        this.host = builder.host;
        this.prefix = builder.prefix;
        this.maxBodyBytes = builder.maxBodyBytes;
        this.maxTaskLength = builder.maxTaskLength;
    }

    /**
     * A builder.
     *
     * @param messages the library service
     * @param host     the host's workflows
     * @return the builder
     * @throws NullPointerException when an argument is null
     */
    public static Builder builder(WorkflowMessages messages, WorkflowHost host) {
        return new Builder(messages, host);
    }

    /**
     * The mount prefix.
     *
     * @return for instance {@code /api}; empty when mounted at the root
     */
    public String prefix() {
        return prefix;
    }

    /**
     * The largest body taken.
     *
     * @return the limit in bytes
     */
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /**
     * Answers one request.
     *
     * @param request the request, its path beginning with the prefix
     * @return the answer; never null, also for a path outside the prefix (404)
     * @throws NullPointerException when {@code request} is null
     */
    public WebResponse handle(WebRequest request) {
        Objects.requireNonNull(request, "request");
        try {
            return route(request);
        } catch (WebRefusal e) {
            return WebResponse.error(e.status(), e.field(), e.getMessage());
        } catch (RedirectNotConfiguredException e) {
            return WebResponse.error(400, "action_type", e.getMessage());
        } catch (InvalidMessageException e) {
            return WebResponse.error(400, e.field(), e.getMessage());
        } catch (WorkflowNotFoundException e) {
            return WebResponse.error(404, "id", "workflow " + e.workflowId() + " not found");
        } catch (WorkflowFinishedException e) {
            return WebResponse.error(409, "id", e.getMessage());
        } catch (UnsupportedOperationException e) {
            return WebResponse.error(405, null, request.method() + " is not allowed on " + request.path() + ": "
                    + e.getMessage());
        } catch (StorageException e) {
            LOG.error("{} {} failed in the store", request.method(), request.path(), e);
            return WebResponse.error(503, null, "the database failed: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("{} {} failed", request.method(), request.path(), e);
            return WebResponse.error(500, null, "the server failed: " + e);
        }
    }

    private WebResponse route(WebRequest request) {
        String method = request.method();
        String path = request.path();
        if (!path.startsWith(prefix + "/")) {
            return WebResponse.error(404, null, "no such endpoint: " + method + " " + path);
        }
        checkProtocol(request);
        String[] segments = path.substring(prefix.length() + 1).split("/", -1);
        if (segments.length == 1 && segments[0].equals("session")) {
            return on(request, "GET", () -> session(request));
        }
        if (segments[0].equals("workflows")) {
            if (segments.length == 1) {
                return on(request, "GET", () -> list(request), "POST", () -> create(request));
            }
            String id = segments[1];
            if (segments.length == 2) {
                return on(request, "GET", () -> get(id), "DELETE", () -> control(request, id, ActionType.CANCEL));
            }
            if (segments.length == 3) {
                switch (segments[2]) {
                    case "messages":
                        return on(request, "GET", () -> page(request, id), "POST", () -> send(request, id));
                    case "pause":
                        return on(request, "POST", () -> control(request, id, ActionType.PAUSE));
                    case "unpause":
                        return on(request, "POST", () -> control(request, id, ActionType.RESUME));
                    default:
                        break;
                }
            }
        }
        return WebResponse.error(404, null, "no such endpoint: " + method + " " + path);
    }

    private interface Endpoint {
        WebResponse answer();
    }

    /** The endpoint of the request's method, or 405 naming the method taken. */
    private static WebResponse on(WebRequest request, String method, Endpoint endpoint) {
        return on(request, method, endpoint, null, null);
    }

    /** The endpoint of the request's method, or 405 naming the methods taken. */
    private static WebResponse on(WebRequest request, String method, Endpoint endpoint, String other,
                                  Endpoint otherEndpoint) {
        if (method.equals(request.method())) {
            return endpoint.answer();
        }
        if (other != null && other.equals(request.method())) {
            return otherEndpoint.answer();
        }
        return WebResponse.error(405, null, request.method() + " is not allowed on " + request.path())
                .withHeader("Allow", other == null ? method : method + ", " + other);
    }

    /**
     * What keeps another web site from steering workflows through a visitor's browser: a request
     * that changes something must come from a page of this server (a browser sends its
     * {@code Origin}; curl and other clients send none), and a body must be JSON, which a plain
     * form or a no-cors fetch cannot send. The body must also be UTF-8, strictly.
     */
    private void checkProtocol(WebRequest request) {
        Protocol.refuseMethodOverride(request);
        String method = request.method();
        if (method.equals("GET") || method.equals("HEAD") || method.equals("OPTIONS")) {
            return;
        }
        Protocol.requireSameOrigin(request);
        if (request.bodyLength() > maxBodyBytes) {
            throw WebRefusal.tooLarge("body", "the body must be at most " + maxBodyBytes + " bytes");
        }
        if (request.bodyLength() > 0) {
            Protocol.requireJsonUtf8(request);
        }
    }

    /** {@code GET /session}: {@code {"visitor":"…"}}, who the host takes this caller for (null: nobody). */
    private static WebResponse session(WebRequest request) {
        Map<String, Object> node = new LinkedHashMap<>();
        node.put("visitor", request.principal());
        return ok(200, node);
    }

    /** {@code GET /workflows?limit=50}: the newest workflows first, each with when its thread last moved. */
    private WebResponse list(WebRequest request) {
        int limit = intParam(request, "limit", DEFAULT_LIST, 1, MAX_LIST);
        List<Map<String, Object>> workflows = new ArrayList<>();
        for (long id : host.newest(limit)) {
            Optional<Map<String, Object>> fields = host.find(id);
            if (fields.isEmpty()) {
                continue;
            }
            try {
                Map<String, Object> document = Documents.workflow(messages.getState(id), fields.get());
                List<Message> newest = messages.getNewestMessages(id, 1);
                document.put("last_message_at", newest.isEmpty() ? null
                        : WireFormat.messageMap(newest.get(0)).get("created_at"));
                workflows.add(document);
            } catch (WorkflowNotFoundException noThread) {
                // its creation failed between the host's row and the thread's start: not a workflow yet
            }
        }
        return ok(200, Documents.list(workflows));
    }

    /** {@code POST /workflows {"task_description":"…"}}: the host stores it and starts it. */
    private WebResponse create(WebRequest request) {
        Map<String, Object> body = JsonBodies.object(text(request), true, CREATE_FIELDS);
        String task = JsonBodies.requiredText(body, "task_description", maxTaskLength);
        long id = host.create(task, request.principal());
        return ok(201, document(id)).withHeader("Location", prefix + "/workflows/" + id);
    }

    /** {@code GET /workflows/:id}: the thread's state and the host's fields. */
    private WebResponse get(String rawId) {
        return ok(200, document(workflowId(rawId)));
    }

    private Map<String, Object> document(long id) {
        Map<String, Object> fields = host.find(id).orElseThrow(() -> notFound(id));
        return Documents.workflow(messages.getState(id), fields);
    }

    /** {@code GET /workflows/:id/messages?after=0&limit=100}: {@code {"messages":[…]}}, ascending by seq. */
    private WebResponse page(WebRequest request, String rawId) {
        long id = workflowId(rawId);
        long after = longParam(request, "after", 0);
        int limit = intParam(request, "limit", DEFAULT_PAGE, 1, WorkflowMessages.MAX_PAGE_SIZE);
        return WebResponse.json(200, WireFormat.page(messages.getMessages(id, after, limit)));
    }

    /** {@code POST /workflows/:id/messages}: 201 with {@code {success, messageId, seq, actionTaken}}. */
    private WebResponse send(WebRequest request, String rawId) {
        long id = workflowId(rawId);
        SendRequest send = asCaller(request, WireFormat.parseSendRequest(text(request)));
        checkContent(send);
        return WebResponse.json(201, WireFormat.sendResult(sendUnlessFinished(id, send, "action_type")));
    }

    /**
     * {@code POST …/pause}, {@code POST …/unpause}, {@code DELETE /workflows/:id}: 202 when the
     * action was taken up, 200 when it did not apply (the result's {@code reason} says why).
     */
    private WebResponse control(WebRequest request, String rawId, ActionType action) {
        long id = workflowId(rawId);
        Map<String, Object> body = JsonBodies.object(text(request), false, CONTROL_FIELDS);
        String content = JsonBodies.optionalText(body, "content");
        SendRequest send = asCaller(request, new SendRequest(content == null ? DEFAULT_CONTENT.get(action) : content,
                action, null, JsonBodies.optionalText(body, "author")));
        checkContent(send);
        SendResult result = sendUnlessFinished(id, send, null);
        return WebResponse.json(result.ignored() ? 200 : 202, WireFormat.sendResult(result));
    }

    /**
     * The request as the caller's: when the host names the caller, the author is that name, and a
     * body that names an author itself is refused rather than the name silently replaced.
     */
    private static SendRequest asCaller(WebRequest request, SendRequest send) {
        String principal = request.principal();
        if (principal == null) {
            return send;
        }
        if (send.author() != null) {
            throw WebRefusal.badRequest("author", "author is not the client's to choose: the server sets it to the"
                    + " caller it authenticated");
        }
        return send.withAuthor(principal);
    }

    /**
     * Sends, answering 403 when the send policy refuses it and 409 for a control action on a
     * finished workflow (nothing stored then), naming {@code field} ({@code action_type}; null for
     * the shorthand endpoints, whose action is the path's).
     */
    private SendResult sendUnlessFinished(long id, SendRequest request, String field) {
        ActionType action = request.actionType();
        if (action.isControl()) {
            requireNotFinished(id, action, messages.getState(id), null, field);
        }
        SendResult result;
        try {
            result = messages.send(id, request);
        } catch (SendRefusedException e) {
            throw WebRefusal.forbidden(field, e.reason());
        }
        if (action.isControl() && result.ignored()) {
            // It finished between the look and the send: the message is stored, as ignored.
            requireNotFinished(id, action, messages.getState(id), result, field);
        }
        return result;
    }

    private static void requireNotFinished(long id, ActionType action, WorkflowState state, SendResult stored,
                                           String field) {
        if (state.isFinished()) {
            throw WebRefusal.conflict(field, action.wireName() + " does not apply: workflow " + id + " is already "
                    + state.status().wireName() + (stored == null ? "" : " (message " + stored.messageId()
                    + " was stored as ignored)"));
        }
    }

    /**
     * What must be refused before the 409 for a finished workflow: a missing or blank content, and
     * (413 rather than the library's 400) a content, metadata or new task over its limit.
     */
    private void checkContent(SendRequest request) {
        if (request.content() == null || request.content().isBlank()) {
            throw WebRefusal.badRequest("content", "content must not be blank");
        }
        int limit = messages.config().maxContentBytes();
        int bytes = request.content().getBytes(StandardCharsets.UTF_8).length;
        if (bytes > limit) {
            throw WebRefusal.tooLarge("content", "content must be at most " + limit + " bytes of UTF-8, but was " + bytes);
        }
        if (request.metadata() != null) {
            int metadataBytes = Documents.write(request.metadata()).getBytes(StandardCharsets.UTF_8).length;
            if (metadataBytes > limit) {
                throw WebRefusal.tooLarge("metadata", "metadata must be at most " + limit + " bytes as JSON, but was "
                        + metadataBytes);
            }
        }
        if (request.actionType() == ActionType.REDIRECT) {
            String field = "metadata." + Message.NEW_TASK_DESCRIPTION;
            Object task = request.metadata() == null ? null : request.metadata().get(Message.NEW_TASK_DESCRIPTION);
            if (!(task instanceof String text)) {
                throw WebRefusal.badRequest(field, "a redirect needs " + field + ", the new task, as a string");
            }
            // It becomes the new workflow's task description: refuse it now rather than at the checkpoint.
            JsonBodies.checkText(field, text, maxTaskLength);
        }
    }

    private long workflowId(String raw) {
        long id;
        try {
            id = Protocol.parseAsciiLong(raw);
        } catch (NumberFormatException e) {
            throw WebRefusal.badRequest("id", "the workflow id must be a whole number of ASCII digits, but was '" + raw + "'");
        }
        if (id <= 0) {
            throw WebRefusal.badRequest("id", "the workflow id must be positive, but was " + id);
        }
        if (host.find(id).isEmpty()) {
            throw notFound(id);
        }
        return id;
    }

    private static WebRefusal notFound(long id) {
        return WebRefusal.notFound("id", "workflow " + id + " not found");
    }

    /** The body as text: the bytes the checks found to be UTF-8, decoded as such. */
    private static String text(WebRequest request) {
        return new String(request.bodyBytes(), StandardCharsets.UTF_8);
    }

    /** The first value of a query parameter, decoded; null when absent. */
    private static String queryParam(WebRequest request, String name) {
        String query = request.query();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            try {
                if (URLDecoder.decode(key, StandardCharsets.UTF_8).equals(name)) {
                    return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                }
            } catch (IllegalArgumentException e) {
                throw WebRefusal.badRequest(name, "the query cannot be decoded: " + e.getMessage());
            }
        }
        return null;
    }

    private static long longParam(WebRequest request, String name, long fallback) {
        String raw = queryParam(request, name);
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            long value = Protocol.parseAsciiLong(raw);
            if (value < 0) {
                throw WebRefusal.badRequest(name, name + " must not be negative, but was " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw WebRefusal.badRequest(name, name + " must be a whole number of ASCII digits, but was '" + raw + "'");
        }
    }

    private static int intParam(WebRequest request, String name, int fallback, int min, int max) {
        long value = longParam(request, name, fallback);
        if (value < min || value > max) {
            throw WebRefusal.badRequest(name, name + " must be between " + min + " and " + max + ", but was " + value);
        }
        return (int) value;
    }

    private static WebResponse ok(int status, Object document) {
        return WebResponse.json(status, Documents.write(document));
    }

    /** The settings of a {@link ThreadRestHandler}. */
    public static final class Builder {
        private final WorkflowMessages messages;
        private final WorkflowHost host;
        private String prefix = "/api";
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private int maxTaskLength = DEFAULT_MAX_TASK_LENGTH;

        private Builder(WorkflowMessages messages, WorkflowHost host) {
            this.messages = Objects.requireNonNull(messages, "messages");
            this.host = Objects.requireNonNull(host, "host");
        }

        /**
         * Where the API is mounted.
         *
         * @param prefix a path such as {@code /api} (the default) or {@code /threads/api}, or empty
         *               for the root; a trailing {@code /} is dropped
         * @return this builder
         * @throws IllegalArgumentException when it is not empty and does not begin with {@code /}
         */
        public Builder prefix(String prefix) {
            String trimmed = Objects.requireNonNull(prefix, "prefix").endsWith("/")
                    ? prefix.substring(0, prefix.length() - 1) : prefix;
            if (!trimmed.isEmpty() && !trimmed.startsWith("/")) {
                throw new IllegalArgumentException("prefix must begin with /, but was '" + prefix + "'");
            }
            this.prefix = trimmed;
            return this;
        }

        /**
         * The largest body taken (413 above it). The host's server should cap what it reads at the
         * same size.
         *
         * @param maxBodyBytes at least 1; {@link #DEFAULT_MAX_BODY_BYTES} unless set
         * @return this builder
         * @throws IllegalArgumentException when below 1
         */
        public Builder maxBodyBytes(int maxBodyBytes) {
            if (maxBodyBytes < 1) {
                throw new IllegalArgumentException("maxBodyBytes must be at least 1, but was " + maxBodyBytes);
            }
            this.maxBodyBytes = maxBodyBytes;
            return this;
        }

        /**
         * The longest task description, of a new workflow or a redirect's (413 above it).
         *
         * @param maxTaskLength at least 1 character; {@link #DEFAULT_MAX_TASK_LENGTH} unless set
         * @return this builder
         * @throws IllegalArgumentException when below 1
         */
        public Builder maxTaskLength(int maxTaskLength) {
            if (maxTaskLength < 1) {
                throw new IllegalArgumentException("maxTaskLength must be at least 1, but was " + maxTaskLength);
            }
            this.maxTaskLength = maxTaskLength;
            return this;
        }

        /**
         * Builds it.
         *
         * @return the handler
         */
        public ThreadRestHandler build() {
            return new ThreadRestHandler(this);
        }
    }
}
