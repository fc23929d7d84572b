package dev.workflowthread.examples.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.workflowthread.ActionType;
import dev.workflowthread.InvalidArgumentException;
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
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 *   <li>413: the body is over {@link #MAX_BODY_BYTES}, a value over one of the library's size limits
 *       (its {@link InvalidArgumentException#reason() reason} is
 *       {@link InvalidArgumentException.Reason#TOO_LARGE TOO_LARGE}: {@code content} or
 *       {@code metadata} over the content limit, …), or a task description over
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
        routes.exception(InvalidArgumentException.class, (e, ctx) ->
                error(ctx, e.reason() == InvalidArgumentException.Reason.TOO_LARGE ? 413 : 400, e.field(), e.getMessage()));
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
            if (readingTheBodyFailed(e)) {
                // The client's doing (it went away mid-body, or sent less than it said): no server failure.
                LOG.debug("{} {}: the body could not be read", ctx.method(), ctx.path(), e);
                error(ctx, 400, "body", "the body could not be read: " + e.getMessage());
                return;
            }
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
     * naming {@code body}, rather than text with U+FFFD in their place. (The handlers then
     * decode the same bytes as UTF-8.)
     */
    private static void refuseOtherSitesAndOtherMediaTypes(Context ctx) {
        refuseMethodOverride(ctx);
        Visitors.refuseSeveralCookies(ctx);
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

    /** The headers with which a client asks a server to take a POST for another method (Javalin honours the first). */
    static final List<String> METHOD_OVERRIDES = List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");

    /**
     * Refuses a request that asks for another method than its own (400 naming the header): Javalin
     * would route a {@code POST} with {@code X-HTTP-Method-Override: DELETE} to the cancel, past
     * what a browser lets a page of another site send.
     */
    static void refuseMethodOverride(Context ctx) {
        for (String header : METHOD_OVERRIDES) {
            if (ctx.header(header) != null) {
                throw ApiError.badRequest(header, header + " is refused: a request is taken for the method it was sent"
                        + " with");
            }
        }
    }

    /**
     * Refuses a {@code Content-Type} whose parameters name a charset other than UTF-8 or cannot be
     * read (415 naming {@code Content-Type}), parsing it strictly: {@code name=value} parameters,
     * the value a token or a quoted string; a parameter whose name begins with {@code charset} must
     * be {@code charset=utf-8} exactly (ASCII case ignored), since Javalin's decoding takes the
     * first parameter whose name begins so ({@code charsetx=UTF-16BE}) for the charset.
     */
    private static void requireUtf8Charset(String contentType) {
        String problem = charsetProblem(contentType);
        if (problem != null) {
            throw ApiError.unsupportedMediaType("Content-Type", "a request body must be application/json in UTF-8,"
                    + " JSON's encoding, but was sent as " + contentType + " (" + problem + ")");
        }
    }

    /** What is wrong with the parameters of {@code contentType} (after its media type), or null. */
    static String charsetProblem(String contentType) {
        int i = contentType.indexOf(';');
        int n = contentType.length();
        while (i >= 0 && i < n) {
            i++; // past the ';'
            while (i < n && isSpace(contentType.charAt(i))) {
                i++;
            }
            int nameStart = i;
            while (i < n && isTokenChar(contentType.charAt(i))) {
                i++;
            }
            String name = contentType.substring(nameStart, i);
            if (name.isEmpty() || i >= n || contentType.charAt(i) != '=') {
                return "a parameter must be name=value";
            }
            i++; // past the '='
            StringBuilder value = new StringBuilder();
            if (i < n && contentType.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = contentType.charAt(i++);
                    if (c == '"') {
                        closed = true;
                        break;
                    }
                    if (c == '\\') {
                        if (i >= n) {
                            break;
                        }
                        c = contentType.charAt(i++);
                    }
                    value.append(c);
                }
                if (!closed) {
                    return "a quoted value is not closed";
                }
                if (value.indexOf(";") >= 0) {
                    return "a quoted value with a ';', which parsers split differently";
                }
            } else {
                while (i < n && isTokenChar(contentType.charAt(i))) {
                    value.append(contentType.charAt(i++));
                }
                if (value.length() == 0) {
                    return "parameter " + name + " has no value";
                }
            }
            while (i < n && isSpace(contentType.charAt(i))) {
                i++;
            }
            if (i < n && contentType.charAt(i) != ';') {
                return "parameter " + name + " is followed by more than a ';'";
            }
            if (name.regionMatches(true, 0, "charset", 0, "charset".length())
                    && !(name.equalsIgnoreCase("charset") && value.toString().equalsIgnoreCase("utf-8"))) {
                return "the only charset taken is charset=utf-8";
            }
        }
        return null;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    /** RFC 9110's tchar. */
    private static boolean isTokenChar(char c) {
        return c < 0x7f && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
    }

    /** The body as text: the bytes the filter found to be UTF-8, decoded as such (not as any charset the header names). */
    private static String body(Context ctx) {
        return new String(ctx.bodyAsBytes(), StandardCharsets.UTF_8);
    }

    /** Whether {@code e} is reading the request's body failing (an I/O error: the client went away mid-body). */
    private static boolean readingTheBodyFailed(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.IOException) {
                return true;
            }
        }
        return false;
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
        List<String> origins = java.util.Collections.list(ctx.req().getHeaders("Origin"));
        if (origins.isEmpty()) {
            return;
        }
        if (origins.size() > 1) {
            throw ApiError.forbidden("Origin", "a request must not carry more than one Origin, but had " + origins);
        }
        String origin = origins.get(0);
        if (!isThisServer(origin, ctx.header("Host"), ctx.req().getLocalPort())) {
            throw ApiError.forbidden("Origin", "requests from " + origin + " are refused: only pages of this server"
                    + " (http://, the host the request was sent to, this server's port) may change workflows");
        }
    }

    /**
     * Whether {@code origin} is exactly {@code http://} and {@code host} (the request's
     * {@code Host}, already found to be an allowed name), with the server's port, {@code port}:
     * no other scheme, no user info, path or leading zero, not the {@code null} origin.
     */
    static boolean isThisServer(String origin, String host, int port) {
        if (host == null || !origin.startsWith("http://")) {
            return false;
        }
        String authority = origin.substring("http://".length());
        if (!authority.equalsIgnoreCase(host)) {
            return false;
        }
        int close = authority.lastIndexOf(']');
        int colon = authority.lastIndexOf(':');
        String digits = colon > close ? authority.substring(colon + 1) : "80";
        return digits.matches("[1-9][0-9]{0,4}") && Integer.parseInt(digits) == port;
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
        ObjectNode body = JsonBodies.object(body(ctx), true, CREATE_FIELDS);
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
        String body = body(ctx);
        SendRequest request = asCaller(ctx, WireFormat.parseSendRequest(body));
        checkNewTask(request);
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
        ObjectNode body = JsonBodies.object(body(ctx), false, CONTROL_FIELDS);
        String content = JsonBodies.optionalText(body, "content");
        SendRequest request = asCaller(ctx, new SendRequest(content == null ? DEFAULT_CONTENT.get(action) : content,
                action, null, JsonBodies.optionalText(body, "author")));
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
     * action on a finished workflow (which the policy refuses too, against the state the message
     * would be stored against; nothing is stored then), naming {@code field} (the request's
     * {@code action_type}; null for the shorthand endpoints, whose action is the path's). The
     * library refuses a bad message first (400, or 413 for one over a limit).
     */
    private SendResult sendUnlessFinished(long id, SendRequest request, String field) {
        try {
            return messages.send(id, request);
        } catch (SendRefusedException e) {
            throw ApiError.forbidden(field, e.reason());
        } catch (WorkflowFinishedException e) {
            throw ApiError.conflict(field, request.actionType().wireName() + " does not apply: workflow " + id
                    + " is already " + e.status().wireName());
        }
    }

    /**
     * The demo's own limit on a redirect's new task, which becomes the new workflow's task
     * description: over {@link HostWorkflows#MAX_TASK_LENGTH} characters is a 413 now rather than
     * a failure at the checkpoint. The library checks the rest of the request when sending.
     */
    private static void checkNewTask(SendRequest request) {
        if (request.actionType() == ActionType.REDIRECT && request.metadata() != null
                && request.metadata().get(Message.NEW_TASK_DESCRIPTION) instanceof String task) {
            JsonBodies.checkText("metadata." + Message.NEW_TASK_DESCRIPTION, task, HostWorkflows.MAX_TASK_LENGTH);
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
