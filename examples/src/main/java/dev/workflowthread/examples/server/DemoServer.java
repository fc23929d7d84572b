package dev.workflowthread.examples.server;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.examples.agents.Pace;
import dev.workflowthread.examples.agents.Workspace;
import dev.workflowthread.jdbc.JdbcThreadStore;
import dev.workflowthread.web.ThreadRestHandler;
import dev.workflowthread.web.ThreadSockets;
import dev.workflowthread.web.WebRefusal;
import dev.workflowthread.web.WebAssets;
import dev.workflowthread.web.WebResponse;
import dev.workflowthread.web.WorkflowHost;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo: a web server with workflow-thread-web's REST API, a WebSocket that pushes each workflow's thread
 * live, and the conversation page, over simulated agents that work for a few minutes per workflow
 * while a person steers them. Threads are kept in an embedded H2 database file.
 *
 * <p>Run it with {@code ./mvnw -q -pl examples -am compile exec:java} and open the URL it prints.
 * Arguments (with {@code -Dexec.args="…"}): {@code --port=7070}, {@code --host=localhost},
 * {@code --allowed-hosts=NAME,…}, {@code --db=PATH} (an H2 file), {@code --in-memory},
 * {@code --pace=human|fast}, {@code --question-timeout=SECONDS}.
 */
public final class DemoServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DemoServer.class);

    /** The port the demo listens on unless told otherwise. */
    public static final int DEFAULT_PORT = 7070;
    /** The system property that names the database file; the examples' pom sets it under target/. */
    public static final String DATABASE_PROPERTY = "workflowthread.demo.db";
    /** How long a stopping server waits for its WebSocket clients to receive the last events. */
    static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(2);
    /** How many workflows may run at once. */
    public static final int DEFAULT_MAX_RUNNING = 20;
    /** How long the code agent's question waits unless told otherwise. */
    public static final Duration DEFAULT_QUESTION_TIMEOUT = Duration.ofSeconds(60);
    /** A quick look: the whole pipeline in about fifteen seconds. */
    public static final Pace FAST = new Pace(Duration.ofMillis(120), Duration.ofMillis(300), Duration.ofMillis(200));

    static final String USAGE = """
            usage: DemoServer [--port=7070] [--host=localhost] [--allowed-hosts=NAME,...] [--db=PATH | --in-memory]
                              [--pace=human|fast] [--question-timeout=SECONDS] [--help]
              --port      the HTTP port (0 picks a free one)
              --host      the address to listen on (0.0.0.0 for every interface)
              --allowed-hosts  more host names requests may be addressed to (their Host header), besides
                          localhost, 127.0.0.1, [::1] and the --host; others are refused (421)
              --db        the H2 database file the threads are kept in
              --in-memory keep nothing when the server stops
              --pace      human: a comment every second or so, a few minutes per workflow; fast: seconds
              --question-timeout  how long the code agent waits for an answer to its question (asked for a
                          task that wants a button) before it goes on with the default; 60 unless told""";

    /**
     * How to run the demo.
     *
     * @param host          the address to listen on
     * @param port          the HTTP port; 0 for a free one
     * @param databaseUrl   the H2 JDBC URL
     * @param databaseLabel how to name the database to a person
     * @param pace          how fast the simulated agents work
     * @param maxRunning    how many workflows may run at once
     * @param allowedHosts  the host names requests may be addressed to besides the loopback's and
     *                      {@code host} (see {@link AllowedHosts})
     * @param questionTimeout how long the code agent's question (for a task that asks for a button)
     *                      waits for the person before it goes on with the default
     */
    public record Settings(String host, int port, String databaseUrl, String databaseLabel, Pace pace, int maxRunning,
                           List<String> allowedHosts, Duration questionTimeout) {

        public Settings {
            allowedHosts = List.copyOf(allowedHosts);
            if (questionTimeout == null || questionTimeout.isNegative() || questionTimeout.isZero()) {
                throw new IllegalArgumentException("questionTimeout must be positive, but was " + questionTimeout);
            }
        }

        /** How long the code agent's question waits for an answer before it goes on with the default. */
        public Settings withQuestionTimeout(Duration questionTimeout) {
            return new Settings(host, port, databaseUrl, databaseLabel, pace, maxRunning, allowedHosts, questionTimeout);
        }

        /** An H2 file at {@code path} (".mv.db" is added by H2). */
        public static Settings h2File(Path path) {
            String file = path.toAbsolutePath().toString();
            return new Settings("localhost", DEFAULT_PORT, "jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE",
                    file + ".mv.db", Pace.HUMAN, DEFAULT_MAX_RUNNING, List.of(), DEFAULT_QUESTION_TIMEOUT);
        }

        /** A private in-memory H2 database, gone when the server stops. */
        public static Settings inMemory() {
            return new Settings("localhost", DEFAULT_PORT, "jdbc:h2:mem:demo-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                    "memory (kept until the server stops)", Pace.HUMAN, DEFAULT_MAX_RUNNING, List.of(),
                    DEFAULT_QUESTION_TIMEOUT);
        }

        public Settings withHost(String host) {
            return new Settings(host, port, databaseUrl, databaseLabel, pace, maxRunning, allowedHosts, questionTimeout);
        }

        public Settings withPort(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, but was " + port);
            }
            return new Settings(host, port, databaseUrl, databaseLabel, pace, maxRunning, allowedHosts, questionTimeout);
        }

        public Settings withPace(Pace pace) {
            return new Settings(host, port, databaseUrl, databaseLabel, pace, maxRunning, allowedHosts, questionTimeout);
        }

        public Settings withMaxRunning(int maxRunning) {
            return new Settings(host, port, databaseUrl, databaseLabel, pace, maxRunning, allowedHosts, questionTimeout);
        }

        /** Names requests may be addressed to, besides the loopback's and the address listened on. */
        public Settings withAllowedHosts(List<String> allowedHosts) {
            return new Settings(host, port, databaseUrl, databaseLabel, pace, maxRunning, allowedHosts, questionTimeout);
        }

        /** Reads the command line; throws {@link IllegalArgumentException} saying what was wrong. */
        static Settings parse(String[] args) {
            Settings settings = h2File(Path.of(System.getProperty(DATABASE_PROPERTY, "workflow-thread-demo/workflows")));
            int port = DEFAULT_PORT;
            String host = "localhost";
            Pace pace = Pace.HUMAN;
            List<String> allowedHosts = List.of();
            Duration questionTimeout = DEFAULT_QUESTION_TIMEOUT;
            for (String arg : args) {
                if (arg.equals("--in-memory")) {
                    settings = inMemory();
                } else if (arg.startsWith("--db=") && arg.length() > "--db=".length()) {
                    settings = h2File(Path.of(arg.substring("--db=".length())));
                } else if (arg.startsWith("--port=")) {
                    try {
                        port = Integer.parseInt(arg.substring("--port=".length()));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--port must be a number, but was " + arg);
                    }
                } else if (arg.startsWith("--host=") && arg.length() > "--host=".length()) {
                    host = arg.substring("--host=".length());
                } else if (arg.startsWith("--allowed-hosts=")) {
                    try {
                        allowedHosts = AllowedHosts.parseList(arg.substring("--allowed-hosts=".length()));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("--allowed-hosts must be host names or addresses separated"
                                + " by commas: " + e.getMessage());
                    }
                } else if (arg.equals("--pace=human")) {
                    pace = Pace.HUMAN;
                } else if (arg.equals("--pace=fast")) {
                    pace = FAST;
                } else if (arg.startsWith("--question-timeout=")) {
                    questionTimeout = seconds("--question-timeout", arg.substring("--question-timeout=".length()));
                } else if (arg.startsWith("--pace=")) {
                    throw new IllegalArgumentException("--pace must be human or fast, but was " + arg);
                } else {
                    throw new IllegalArgumentException("unknown argument " + arg);
                }
            }
            return settings.withHost(host).withPort(port).withPace(pace).withAllowedHosts(allowedHosts)
                    .withQuestionTimeout(questionTimeout);
        }

        private static Duration seconds(String option, String value) {
            try {
                long seconds = Long.parseLong(value);
                if (seconds > 0 && seconds <= 86_400) {
                    return Duration.ofSeconds(seconds);
                }
            } catch (NumberFormatException e) {
                // said below
            }
            throw new IllegalArgumentException(option + " must be a number of seconds from 1 to 86400, but was " + value);
        }
    }

    private final Settings settings;
    private final HikariDataSource dataSource;
    private final JdbcThreadStore store;
    private final WorkflowMessages messages;
    private final HostWorkflows host;
    private final Path workspaces;
    private final WorkflowRunner runner;
    private final ThreadSockets sockets;
    private final ThreadSocket socket;
    private final ApiRoutes api;
    private final AllowedHosts allowedHosts;
    private final String indexHtml;
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile Javalin http;
    private volatile int port;

    private DemoServer(Settings settings) throws IOException {
        this.settings = settings;
        this.allowedHosts = new AllowedHosts(settings.host(), settings.allowedHosts());
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(settings.databaseUrl());
        pool.setMaximumPoolSize(10);
        pool.setPoolName("workflow-thread-demo");
        this.dataSource = new HikariDataSource(pool);
        JdbcThreadStore madeStore = null;
        WorkflowMessages madeMessages = null;
        try {
            madeStore = JdbcThreadStore.builder().dataSource(dataSource).build();
            Clock clock = Clock.systemUTC();
            this.host = new HostWorkflows(Jdbi.create(dataSource), clock);
            madeMessages = WorkflowMessages.create(madeStore, WorkflowThreadConfig.builder()
                    .clock(clock)
                    // The host's workflows table creates the replacing workflow; the runner starts its agents.
                    .redirectHandler(host::createForRedirect)
                    // Anyone may comment or instruct; only a workflow's starter may steer it.
                    .sendPolicy(new StarterSteers(host))
                    .build());
            this.indexHtml = WebAssets.page("/", "/api", "/ws");
            this.workspaces = Files.createTempDirectory("workflow-thread-demo-");
        } catch (IOException | RuntimeException e) {
            if (madeMessages != null) {
                madeMessages.close();
            }
            if (madeStore != null) {
                madeStore.close();
            }
            dataSource.close();
            throw e;
        }
        this.store = madeStore;
        this.messages = madeMessages;
        this.runner = new WorkflowRunner(messages, host, workspaces, settings.pace(), settings.questionTimeout(),
                settings.maxRunning());
        WorkflowHost workflows = new DemoWorkflows();
        this.sockets = ThreadSockets.builder(messages, workflows).build();
        this.socket = new ThreadSocket(sockets);
        this.api = new ApiRoutes(ThreadRestHandler.builder(messages, workflows).prefix("/api")
                .maxTaskLength(HostWorkflows.MAX_TASK_LENGTH).build());
        this.port = settings.port();
    }

    /** Opens the database, fails the workflows an earlier run left unfinished, and starts serving. */
    public static DemoServer start(Settings settings) {
        DemoServer server;
        try {
            server = new DemoServer(settings);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a folder for the agents' workspaces", e);
        }
        try {
            server.runner.failAbandoned();
            server.startHttp();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** Where the server listens, e.g. {@code http://localhost:7070/}. */
    public URI uri() {
        String shown = AllowedHosts.isWildcard(settings.host()) ? "localhost" : settings.host();
        return URI.create("http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + port + "/");
    }

    public int port() {
        return port;
    }

    /** The library service the server runs on. */
    public WorkflowMessages messages() {
        return messages;
    }

    /** Where the agents' copies of the sample project are: one folder per workflow. */
    public Path workspaces() {
        return workspaces;
    }

    /** How many WebSocket clients are connected. */
    int connectionCount() {
        return sockets.connectionCount();
    }

    /** Starts serving HTTP and WebSocket (again) on the server's port. */
    synchronized void startHttp() {
        if (http != null) {
            return;
        }
        http = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = settings.host();
            config.jetty.port = port;
            config.http.maxRequestSize = ApiRoutes.MAX_BODY_BYTES;
            config.http.prefer405over404 = true;
            // Jetty's own refusals (a URI it cannot take, such as %00 in a path) are JSON too.
            config.jetty.modifyServer(server -> server.setErrorHandler(JsonErrorPages.jetty()));
            // An Error (not an Exception) thrown by a handler, which Javalin answers with an empty 500.
            config.router.javaLangErrorHandler((response, error) -> {
                LOG.error("a request failed", error);
                try {
                    JsonErrorPages.write(response, 500, null, "the server failed: " + error);
                } catch (IOException e) {
                    LOG.debug("could not answer a failed request: {}", e.toString());
                }
            });
            config.jetty.modifyWebSocketServletFactory(factory -> factory.setMaxTextMessageSize(64 * 1024));
            // The web module's page and element, at the root: /app.js, /workflow-thread.js, …
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/" + WebAssets.RESOURCE_ROOT;
                files.location = Location.CLASSPATH;
                files.headers = Map.of("Cache-Control", "no-cache");
            });
            // Before anything else: a request addressed to another name may come through DNS rebinding.
            config.routes.before(allowedHosts::require);
            config.routes.before(ctx -> {
                ctx.header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; object-src 'none';"
                        + " base-uri 'none'; frame-ancestors 'none'");
                ctx.header("X-Content-Type-Options", "nosniff");
                ctx.header("Referrer-Policy", "no-referrer");
            });
            config.routes.get("/", ctx -> ctx.html(indexHtml));
            config.routes.get("/workflows/{id}", ctx -> ctx.html(indexHtml));
            // A page of another site must not follow workflows through a visitor's browser.
            config.routes.wsBeforeUpgrade("/ws", this::refuseUpgradeUnlessAllowed);
            config.routes.ws("/ws", socket::configure);
            api.register(config.routes);
            for (int status : new int[] {404, 405}) {
                config.routes.error(status, ctx -> {
                    String type = ctx.res().getContentType();
                    if (type == null || !type.startsWith("application/json")) {
                        ApiRoutes.write(ctx, WebResponse.error(status, null, status == 404
                                ? "no such endpoint: " + ctx.method() + " " + ctx.path()
                                : ctx.method() + " is not allowed on " + ctx.path()));
                    }
                });
            }
        }).start();
        port = http.port();
    }

    /**
     * Runs the checks of a WebSocket upgrade (the demo's allowed hosts, then the web module's);
     * when one refuses, answers with its JSON error body and throws, so that the upgrade does not
     * happen. (Javalin maps the exception of an upgrade to its status but sends no body: the body is
     * written here, and the response committed.)
     */
    private void refuseUpgradeUnlessAllowed(io.javalin.http.Context ctx) throws IOException {
        WebResponse refusal;
        try {
            allowedHosts.require(ctx);
            refusal = ThreadSockets.refuseUpgrade(ApiRoutes.request(ctx).build()).orElse(null);
        } catch (WebRefusal e) {
            refusal = WebResponse.error(e.status(), e.field(), e.getMessage());
        }
        if (refusal != null) {
            ctx.res().setStatus(refusal.status());
            ctx.res().setContentType(WebResponse.JSON);
            ctx.res().getOutputStream().write(refusal.body());
            ctx.res().flushBuffer();
            throw new WebRefusal(refusal.status(), null, "upgrade refused");
        }
    }

    /** The web module's view of the demo's workflows: its table, and the runner that starts their agents. */
    private final class DemoWorkflows implements WorkflowHost {
        @Override
        public Optional<Map<String, Object>> find(long workflowId) {
            return host.find(workflowId).map(HostWorkflows::fields);
        }

        @Override
        public List<Long> newest(int limit) {
            return host.newest(limit);
        }

        @Override
        public long create(String taskDescription, String startedBy) {
            runner.reservePlace();
            long id;
            try {
                id = host.create(taskDescription, startedBy).id();
                messages.start(id);
            } catch (RuntimeException e) {
                runner.releasePlace();
                throw e;
            }
            runner.launchInReservedPlace(id);
            return id;
        }
    }

    /** Stops serving HTTP and WebSocket; the agents go on working. */
    synchronized void stopHttp() {
        if (http == null) {
            return;
        }
        sockets.closeAll();
        http.stop();
        http = null;
    }

    /**
     * Stops the agents (failing the workflows they leave), lets the WebSocket clients receive that
     * (for at most {@link #SHUTDOWN_GRACE}), stops serving, and closes the database. A second call
     * does nothing.
     */
    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            runner.close();
        } catch (RuntimeException e) {
            LOG.warn("stopping the agents failed", e);
        }
        try {
            sockets.awaitCaughtUp(SHUTDOWN_GRACE);
        } catch (RuntimeException e) {
            LOG.warn("waiting for the WebSocket clients to catch up failed", e);
        }
        try {
            stopHttp();
        } catch (RuntimeException e) {
            LOG.warn("stopping the HTTP server failed", e);
        }
        sockets.close();
        messages.close();
        store.close();
        if (settings.databaseUrl().startsWith("jdbc:h2:mem:")) {
            // Kept until the JVM exits otherwise (DB_CLOSE_DELAY=-1).
            try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            } catch (SQLException e) {
                LOG.debug("dropping the in-memory database: {}", e.toString()); // closing its connection fails, as it should
            }
        }
        dataSource.close();
        try {
            Workspace.delete(workspaces);
        } catch (UncheckedIOException e) {
            LOG.warn("could not delete {}", workspaces, e);
        }
    }

    public static void main(String[] args) throws InterruptedException {
        if (java.util.Arrays.asList(args).contains("--help")) {
            System.out.println(USAGE);
            return;
        }
        Settings settings;
        try {
            settings = Settings.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        DemoServer server;
        try {
            server = start(settings);
        } catch (RuntimeException e) {
            System.err.println("The demo server could not start: " + e.getMessage());
            System.err.println("(Is another one running on port " + settings.port() + " or on the same database?"
                    + " Try --port=PORT, --db=PATH or --in-memory.)");
            System.exit(1);
            return;
        }
        System.out.println("workflow-thread demo: open " + server.uri());
        System.out.println("  answering requests addressed to " + String.join(", ", server.allowedHosts.names()));
        System.out.println("  REST API under " + server.uri() + "api/workflows, WebSocket at ws://"
                + server.uri().getAuthority() + "/ws");
        System.out.println("  threads kept in the H2 database " + settings.databaseLabel());
        System.out.println("  agents work on copies of a sample project in " + server.workspaces());
        System.out.println("  Ctrl+C stops it");
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "demo-server-shutdown"));
        stopped.await();
    }
}
