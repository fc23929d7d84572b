package dev.workflowthread.tck;

import static org.awaitility.Awaitility.await;

import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.RedirectRequest;
import dev.workflowthread.ThreadEvent;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.spi.ThreadStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every part of the contract suite shares: a fresh store per test, services over it with a
 * {@link SettableClock}, workflow ids that never repeat (so a store backed by a database that
 * outlives the test run works too), and small helpers.
 */
public abstract class ContractSupport {
    /** Bounded waits for things that happen on other threads. */
    protected static final Duration WAIT = Duration.ofSeconds(20);

    private static final AtomicLong WORKFLOW_IDS = new AtomicLong(
            (System.currentTimeMillis() % 100_000_000L) * 1_000L + System.nanoTime() % 1_000L);

    /** The store of the running test, from {@link #createStore()}; closed after the test. */
    protected ThreadStore store;
    /** The clock of the running test's services, at the current time when the test starts. */
    protected SettableClock clock;
    /** The redirects the default handler saw; it answers with a fresh workflow id. */
    protected final List<RedirectRequest> redirects = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<ExecutorService> executors = new ArrayList<>();

    /** Constructor for the contract classes that extend this one. */
    public ContractSupport() {
    }

    /**
     * A new, empty-or-shared store for one test; it is closed after the test.
     *
     * @return the store under test
     */
    protected abstract ThreadStore createStore();

    @BeforeEach
    void createStoreAndClock() {
        store = createStore();
        clock = SettableClock.atNow();
    }

    @AfterEach
    void closeEverything() throws Exception {
        for (ExecutorService executor : executors) {
            executor.shutdownNow();
            executor.awaitTermination(10, TimeUnit.SECONDS);
        }
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
        store.close();
    }

    /**
     * A fresh workflow id.
     *
     * @return an id no other test of this JVM got, and unlikely to be in a database from an earlier run
     */
    protected static long newWorkflowId() {
        return WORKFLOW_IDS.incrementAndGet();
    }

    /**
     * The configuration tests start from: the settable clock, a poll interval of 20 ms, and a
     * redirect handler that records each request in {@link #redirects} and answers with a fresh
     * workflow id.
     *
     * @return a new builder with those settings
     */
    protected WorkflowThreadConfig.Builder config() {
        return WorkflowThreadConfig.builder()
                .clock(clock)
                .pausedCheckInterval(Duration.ofMillis(20))
                .redirectHandler(request -> {
                    redirects.add(request);
                    return newWorkflowId();
                });
    }

    /**
     * A service over the test's store with the {@link #config()} configuration, closed after the test.
     *
     * @return the service
     */
    protected WorkflowMessages service() {
        return service(builder -> { });
    }

    /**
     * A service over the test's store with the {@link #config()} configuration changed by
     * {@code customizer}, closed after the test.
     *
     * @param customizer what to change on the configuration's builder before it is built
     * @return the service
     */
    protected WorkflowMessages service(Consumer<WorkflowThreadConfig.Builder> customizer) {
        WorkflowThreadConfig.Builder builder = config();
        customizer.accept(builder);
        return closeAfter(WorkflowMessages.create(store, builder.build()));
    }

    /**
     * Closes {@code closeable} after the test, before the store; what is given later is closed first.
     *
     * @param closeable what to close
     * @param <T>       its type
     * @return {@code closeable}
     */
    protected <T extends AutoCloseable> T closeAfter(T closeable) {
        toClose.add(0, closeable);
        return closeable;
    }

    /**
     * A thread pool shut down after the test.
     *
     * @param count how many threads the pool has
     * @return the pool
     */
    protected ExecutorService threads(int count) {
        ExecutorService executor = Executors.newFixedThreadPool(count);
        executors.add(executor);
        return executor;
    }

    /**
     * The result of a task on another thread, waiting at most {@link #WAIT}; what the task threw
     * is thrown as it was.
     *
     * @param future the task
     * @param <T>    its result's type
     * @return its result
     * @throws Exception what the task threw, or a timeout
     */
    protected static <T> T result(java.util.concurrent.Future<T> future) throws Exception {
        try {
            return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /**
     * A started workflow.
     *
     * @param messages the service that starts it
     * @return the new workflow's id
     */
    protected static long startedWorkflow(WorkflowMessages messages) {
        long id = newWorkflowId();
        messages.start(id);
        return id;
    }

    /**
     * The thread as lines of text, one per message in seq order: {@code [Agent Comment] …},
     * {@code [User Message] …}, {@code [System] …}.
     *
     * @param messages   the service to read the thread with
     * @param workflowId the workflow
     * @return the lines, as {@link #line(Message)} writes them
     */
    protected static List<String> transcript(WorkflowMessages messages, long workflowId) {
        return messages.getMessages(workflowId).stream().map(ContractSupport::line).toList();
    }

    /**
     * One message as a line of text: its content after {@code [Agent Comment] },
     * {@code [User Message] } or {@code [System] }, as its type says.
     *
     * @param message the message
     * @return the line
     */
    protected static String line(Message message) {
        String prefix = message.messageType() == MessageType.AGENT ? "[Agent Comment] "
                : message.messageType() == MessageType.USER ? "[User Message] " : "[System] ";
        return prefix + message.content();
    }

    /** Collects events delivered to a listener. */
    protected static final class Recorder implements dev.workflowthread.ThreadListener {
        /** The events delivered, in the order they arrived; safe to read while more arrive. */
        public final List<ThreadEvent> events = new CopyOnWriteArrayList<>();

        /** A recorder that has seen no event yet. */
        protected Recorder() {
        }

        @Override
        public void onEvent(ThreadEvent event) {
            events.add(event);
        }

        /**
         * The names of the events delivered so far.
         *
         * @return the names ({@code workflow:paused}, …), in the order the events arrived
         */
        public List<String> names() {
            return events.stream().map(ThreadEvent::name).toList();
        }

        /**
         * The events delivered so far about one workflow.
         *
         * @param workflowId the workflow
         * @return its events, in the order they arrived
         */
        public List<ThreadEvent> of(long workflowId) {
            return events.stream().filter(e -> e.workflowId() == workflowId).toList();
        }

        /**
         * Waits until at least {@code count} events arrived, at most {@link #WAIT}.
         *
         * @param count how many events to wait for
         */
        public void awaitCount(int count) {
            await().atMost(WAIT).until(() -> events.size() >= count);
        }
    }
}
