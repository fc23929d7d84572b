package dev.workflowthread.examples.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.MimeTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plan's REST API. Every answer is JSON in the plan's names (through the library's
 * {@link WireFormat}); every refusal is {@code {"status":…,"error":"…","field":"…"}}:
 *
 * <ul>
 *   <li>400: the body is not one JSON object, has a key twice or a field the endpoint does not
 *       know, or a field is missing, of the wrong type or invalid (a blank {@code content}, an
 *       unknown {@code action_type}, …); also a path or query parameter that is not a number;</li>
 *   <li>403: a pause, resume, cancel or redirect by someone other than the person who started the
 *       workflow (the {@link StarterSteers} policy; the caller is who their {@link Visitors} cookie
 *       says, never an {@code author} in the body, which is refused with 400); nothing is stored;</li>
 *   <li>404: no workflow has that id;</li>
 *   <li>409: a control action (pause, resume, cancel, redirect) on a workflow that already
 *       finished; nothing is stored;</li>
 *   <li>413: the body is over {@link #MAX_BODY_BYTES}, or {@code content} or {@code metadata} over
 *       the library's content limit, or a task description over
 *       {@link HostWorkflows#MAX_TASK_LENGTH} characters;</li>
 *   <li>429: too many workflows run at once.</li>
 * </ul>
 */
final class ApiRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ApiRoutes.class);
    /** The largest request body: room for a message at the content limit, escaped, with its metadata. */
    static final long MAX_BODY_BYTES = 1024 * 1024;
    static final int DEFAULT_PAGE = 100;
    static final int DEFAULT_LIST = 50;
    static final int MAX_LIST = 200;
    private static final String JSON = "application/json; charset=utf-8";
    private static final List<String> CREATE_FIELDS = List.of("task_description");
    private static final List<String> CONTROL_FIELDS = List.of("content", "author");
    private static final Map<ActionType, String> DEFAULT_CONTENT = Map.of(
            ActionType.PAUSE, "Pause requested",
            ActionType.RESUME, "Resume requested",
            ActionType.CANCEL, "Cancel requested");

    private final WorkflowMessages messages;
    private final HostWorkflows host;
    private final WorkflowRunner runner;

    ApiRoutes(WorkflowMessages messages, HostWorkflows host, WorkflowRunner runner) {
        this.messages = messages;
        this.host = host;
        this.runner = runner;
    }

    void register(RoutesConfig routes) {
        routes.before("/api/*", ApiRoutes::refuseOtherSitesAndOtherMediaTypes);
        routes.get("/api/session", this::session);
        routes.get("/api/workflows", this::list);
        routes.post("/api/workflows", this::create);
        routes.get("/api/workflows/{id}", this::get);
        routes.delete("/api/workflows/{id}", ctx -> control(ctx, ActionType.CANCEL));
        routes.get("/api/workflows/{id}/messages", this::page);
        routes.post("/api/workflows/{id}/messages", this::send);
        routes.post("/api/workflows/{id}/pause", ctx -> control(ctx, ActionType.PAUSE));
        routes.post("/api/workflows/{id}/unpause", ctx -> control(ctx, ActionType.RESUME));

        routes.exception(ApiError.class, (e, ctx) -> error(ctx, e.status(), e.field(), e.getMessage()));
        routes.exception(InvalidMessageException.class, (e, ctx) -> error(ctx, 400, e.field(), e.getMessage()));
        routes.exception(WorkflowNotFoundException.class,
                (e, ctx) -> error(ctx, 404, "id", "workflow " + e.workflowId() + " not found"));
        routes.exception(WorkflowFinishedException.class, (e, ctx) -> error(ctx, 409, "id", e.getMessage()));
        routes.exception(RedirectNotConfiguredException.class,
                (e, ctx) -> error(ctx, 400, "action_type", e.getMessage()));
        routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(),
                e.getStatus() == HttpStatus.CONTENT_TOO_LARGE.getCode() ? "body" : null, httpMessage(e)));
        routes.exception(StorageException.class, (e, ctx) -> {
            LOG.error("{} {} failed in the store", ctx.method(), ctx.path(), e);
            error(ctx, 503, null, "the database failed: " + e.getMessage());
        });
        routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, 500, null, "the server failed: " + e);
        });
    }

    /**
     * What keeps another web site from steering workflows through a visitor's browser: a request
     * that changes something must come from a page of this server (a browser sends its
     * {@code Origin}; curl and other clients send none), and a body must be JSON, which a plain
     * form or a no-cors fetch cannot send. The body must also be UTF-8, JSON's encoding, strictly:
     * a {@code Content-Type} that names another charset is a 415, bytes that are not UTF-8 a 400
     * naming {@code body}, rather than text with U+FFFD in their place. (So {@code ctx.body()},
     * which decodes with the charset named or UTF-8, gives the body's text unaltered after this.)
     */
    private static void refuseOtherSitesAndOtherMediaTypes(Context ctx) {
        HandlerType method = ctx.method();
        if (method == HandlerType.GET || method == HandlerType.HEAD || method == HandlerType.OPTIONS) {
            return;
        }
        requireSameOrigin(ctx);
        byte[] body = ctx.bodyAsBytes();
        if (body.length > 0) {
            // The header as sent: the servlet's getContentType() throws for a charset Java does not know.
            String type = ctx.header("Content-Type");
            String mediaType = type == null ? "" : type.split(";", 2)[0].trim();
            if (!mediaType.equalsIgnoreCase("application/json")) {
                throw ApiError.unsupportedMediaType("Content-Type", "a request body must be application/json, but was "
                        + (type == null ? "sent without a Content-Type" : type));
            }
            requireUtf8Charset(type);
            requireUtf8(body);
        }
    }

    private static void requireUtf8Charset(String contentType) {
        boolean utf8;
        try {
            String charset = MimeTypes.getCharsetFromContentType(contentType);
            utf8 = charset == null || Charset.forName(charset).equals(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException unknownCharset) {
            utf8 = false;
        }
        if (!utf8) {
            throw ApiError.unsupportedMediaType("Content-Type", "a request body must be UTF-8, JSON's encoding, but was"
                    + " sent as " + contentType);
        }
    }

    /** Refuses bytes that are not well-formed UTF-8 (also an overlong form or an encoded surrogate), naming where. */
    private static void requireUtf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(body.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw ApiError.badRequest("body", "the body is not valid UTF-8: " + result.length() + " byte(s) at offset "
                    + in.position() + " form no character");
        }
    }

    /**
     * Refuses a request whose {@code Origin} header names another site than the one it was sent to
     * (its {@code Host}); one without an {@code Origin} (not from a browser) passes.
     */
    static void requireSameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        if (origin == null) {
            return;
        }
        String host = ctx.host();
        if (host == null || !host.equalsIgnoreCase(authority(origin))) {
            throw ApiError.forbidden("Origin", "requests from " + origin + " are refused: only pages of this server"
                    + " may change workflows");
        }
    }

    /** {@code host:port} of an origin such as {@code http://localhost:7070}, or "" when it has none. */
    private static String authority(String origin) {
        try {
            URI uri = new URI(origin);
            if (uri.getHost() == null) {
                return "";
            }
            String host = uri.getHost().contains(":") ? "[" + uri.getHost() + "]" : uri.getHost();
            return uri.getPort() == -1 ? host : host + ":" + uri.getPort();
        } catch (URISyntaxException e) {
            return "";
        }
    }

    /** {@code GET /api/session}: {@code {"visitor":"visitor-…"}}, who the server takes this client for. */
    private void session(Context ctx) {
        ObjectNode node = JsonBodies.MAPPER.createObjectNode();
        node.put("visitor", Visitors.identify(ctx));
        json(ctx, 200, WorkflowJson.write(node));
    }

    /** {@code GET /api/workflows?limit=50}: the newest workflows first. */
    private void list(Context ctx) {
        int limit = intParam(ctx, "limit", DEFAULT_LIST, 1, MAX_LIST);
        List<ObjectNode> workflows = new ArrayList<>();
        for (HostWorkflows.HostWorkflow workflow : host.newest(limit)) {
            try {
                workflows.add(WorkflowJson.workflow(workflow, messages.getState(workflow.id())));
            } catch (WorkflowNotFoundException noThread) {
                // its creation failed between the host's row and the thread's start: not a workflow yet
            }
        }
        json(ctx, 200, WorkflowJson.write(WorkflowJson.list(workflows)));
    }

    /** {@code POST /api/workflows {"task_description":"…"}}: stores it, starts its thread and its agents. */
    private void create(Context ctx) {
        ObjectNode body = JsonBodies.object(ctx.body(), true, CREATE_FIELDS);
        String task = JsonBodies.requiredText(body, "task_description", HostWorkflows.MAX_TASK_LENGTH);
        runner.reservePlace();
        HostWorkflows.HostWorkflow workflow;
        WorkflowState state;
        try {
            workflow = host.create(task, Visitors.identify(ctx));
            state = messages.start(workflow.id());
        } catch (RuntimeException e) {
            runner.releasePlace();
            throw e;
        }
        runner.launchInReservedPlace(workflow.id());
        ctx.header("Location", "/api/workflows/" + workflow.id());
        json(ctx, 201, WorkflowJson.write(WorkflowJson.workflow(workflow, state)));
    }

    /** {@code GET /api/workflows/:id}: the task and the thread's state. */
    private void get(Context ctx) {
        HostWorkflows.HostWorkflow workflow = workflow(ctx);
        json(ctx, 200, WorkflowJson.write(WorkflowJson.workflow(workflow, messages.getState(workflow.id()))));
    }

    /** {@code GET /api/workflows/:id/messages?after=0&limit=100}: {@code {"messages":[…]}}, ascending by seq. */
    private void page(Context ctx) {
        long id = workflow(ctx).id();
        long after = longParam(ctx, "after", 0);
        int limit = intParam(ctx, "limit", DEFAULT_PAGE, 1, WorkflowMessages.MAX_PAGE_SIZE);
        json(ctx, 200, WireFormat.page(messages.getMessages(id, after, limit)));
    }

    /** {@code POST /api/workflows/:id/messages}: the plan's send request; 201 with {@code {success, messageId, actionTaken}}. */
    private void send(Context ctx) {
        long id = workflow(ctx).id();
        String body = ctx.body();
        SendRequest request = asCaller(ctx, WireFormat.parseSendRequest(body));
        checkContent(request);
        json(ctx, 201, WireFormat.sendResult(sendUnlessFinished(id, request, "action_type")));
    }

    /**
     * {@code POST …/pause}, {@code POST …/unpause}, {@code DELETE /api/workflows/:id}: the plan's
     * shorthands, with an optional body {@code {"content":"…","author":"…"}}. 202 when the action
     * was taken up, 200 when it did not apply (already paused, not paused: the result's
     * {@code reason} says why).
     */
    private void control(Context ctx, ActionType action) {
        long id = workflow(ctx).id();
        ObjectNode body = JsonBodies.object(ctx.body(), false, CONTROL_FIELDS);
        String content = JsonBodies.optionalText(body, "content");
        SendRequest request = asCaller(ctx, new SendRequest(content == null ? DEFAULT_CONTENT.get(action) : content,
                action, null, JsonBodies.optionalText(body, "author")));
        checkContent(request);
        SendResult result = sendUnlessFinished(id, request, null);
        json(ctx, result.ignored() ? 200 : 202, WireFormat.sendResult(result));
    }

    /**
     * The request as the caller's: its author is who the {@link Visitors} cookie says the caller
     * is. A body that names an author itself is refused, rather than the name silently replaced.
     */
    private static SendRequest asCaller(Context ctx, SendRequest request) {
        if (request.author() != null) {
            throw ApiError.badRequest("author", "author is not the client's to choose: the server sets it from the"
                    + " session cookie " + Visitors.COOKIE);
        }
        return request.withAuthor(Visitors.identify(ctx));
    }

    /**
     * Sends, answering 403 when the {@link StarterSteers} policy refuses it and 409 for a control
     * action on a finished workflow (nothing stored then),
     * naming {@code field} (the request's {@code action_type}; null for the shorthand endpoints,
     * whose action is the path's).
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
            throw ApiError.forbidden(field, e.reason());
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
            throw ApiError.conflict(field, action.wireName() + " does not apply: workflow " + id + " is already "
                    + state.status().wireName() + (stored == null ? "" : " (message " + stored.messageId()
                    + " was stored as ignored)"));
        }
    }

    /**
     * What must be refused before the 409 for a finished workflow: a missing or blank content, and
     * (413 rather than the library's 400) a content, metadata or new task over its limit. The
     * library checks everything else when sending.
     */
    private void checkContent(SendRequest request) {
        if (request.content() == null || request.content().isBlank()) {
            throw ApiError.badRequest("content", "content must not be blank");
        }
        int limit = messages.config().maxContentBytes();
        if (request.content() != null) {
            int bytes = request.content().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > limit) {
                throw ApiError.tooLarge("content", "content must be at most " + limit + " bytes of UTF-8, but was " + bytes);
            }
        }
        if (request.metadata() != null) {
            int bytes = jsonBytes(request.metadata());
            if (bytes > limit) {
                throw ApiError.tooLarge("metadata", "metadata must be at most " + limit + " bytes as JSON, but was " + bytes);
            }
        }
        if (request.actionType() == ActionType.REDIRECT) {
            String field = "metadata." + Message.NEW_TASK_DESCRIPTION;
            Object task = request.metadata() == null ? null : request.metadata().get(Message.NEW_TASK_DESCRIPTION);
            if (!(task instanceof String text)) {
                throw ApiError.badRequest(field, "a redirect needs " + field + ", the new task, as a string");
            }
            // It becomes the new workflow's task description: refuse it now rather than at the checkpoint.
            JsonBodies.checkText(field, text, HostWorkflows.MAX_TASK_LENGTH);
        }
    }

    private HostWorkflows.HostWorkflow workflow(Context ctx) {
        String raw = ctx.pathParam("id");
        long id;
        try {
            id = parseAsciiLong(raw);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("id", "the workflow id must be a whole number of ASCII digits, but was '" + raw + "'");
        }
        if (id <= 0) {
            throw ApiError.badRequest("id", "the workflow id must be positive, but was " + id);
        }
        return host.find(id).orElseThrow(() -> ApiError.notFound("id", "workflow " + id + " not found"));
    }

    private static long longParam(Context ctx, String name, long fallback) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        try {
            long value = parseAsciiLong(raw);
            if (value < 0) {
                throw ApiError.badRequest(name, name + " must not be negative, but was " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest(name, name + " must be a whole number of ASCII digits, but was '" + raw + "'");
        }
    }

    /**
     * {@link Long#parseLong}, but of ASCII digits only, with an optional minus: it would take any
     * Unicode digit (an Arabic-Indic {@code ١} is 1) and a plus sign.
     */
    static long parseAsciiLong(String raw) {
        String digits = raw.startsWith("-") ? raw.substring(1) : raw;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new NumberFormatException("not ASCII digits: " + raw);
        }
        return Long.parseLong(raw);
    }

    private static int intParam(Context ctx, String name, int fallback, int min, int max) {
        long value = longParam(ctx, name, fallback);
        if (value < min || value > max) {
            throw ApiError.badRequest(name, name + " must be between " + min + " and " + max + ", but was " + value);
        }
        return (int) value;
    }

    private static int jsonBytes(Map<String, Object> metadata) {
        try {
            return JsonBodies.MAPPER.writeValueAsBytes(metadata).length;
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("metadata", "metadata cannot be written as JSON: " + e.getOriginalMessage());
        }
    }

    private static String httpMessage(HttpResponseException e) {
        if (e.getStatus() == HttpStatus.CONTENT_TOO_LARGE.getCode()) {
            return "the body must be at most " + MAX_BODY_BYTES + " bytes";
        }
        return e.getMessage();
    }

    static void error(Context ctx, int status, String field, String message) {
        json(ctx, status, WorkflowJson.write(WorkflowJson.error(status, field, message)));
    }

    private static void json(Context ctx, int status, String body) {
        ctx.status(status).contentType(JSON).result(body);
    }
}
