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

    protected ThreadStore store;
    protected SettableClock clock;
    /** The redirects the default handler saw; it answers with a fresh workflow id. */
    protected final List<RedirectRequest> redirects = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<ExecutorService> executors = new ArrayList<>();

    /** A new, empty-or-shared store for one test; it is closed after the test. */
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

    /** A fresh workflow id. */
    protected static long newWorkflowId() {
        return WORKFLOW_IDS.incrementAndGet();
    }

    /** The configuration tests start from: the settable clock and a redirect handler that records. */
    protected WorkflowThreadConfig.Builder config() {
        return WorkflowThreadConfig.builder()
                .clock(clock)
                .pausedCheckInterval(Duration.ofMillis(20))
                .redirectHandler(request -> {
                    redirects.add(request);
                    return newWorkflowId();
                });
    }

    protected WorkflowMessages service() {
        return service(builder -> { });
    }

    protected WorkflowMessages service(Consumer<WorkflowThreadConfig.Builder> customizer) {
        WorkflowThreadConfig.Builder builder = config();
        customizer.accept(builder);
        return closeAfter(WorkflowMessages.create(store, builder.build()));
    }

    protected <T extends AutoCloseable> T closeAfter(T closeable) {
        toClose.add(0, closeable);
        return closeable;
    }

    /** A thread pool shut down after the test. */
    protected ExecutorService threads(int count) {
        ExecutorService executor = Executors.newFixedThreadPool(count);
        executors.add(executor);
        return executor;
    }

    /** A started workflow. */
    protected static long startedWorkflow(WorkflowMessages messages) {
        long id = newWorkflowId();
        messages.start(id);
        return id;
    }

    /** The thread rendered as the plan prints it: {@code [Agent Comment] …}, {@code [User Message] …}, {@code [System] …}. */
    protected static List<String> transcript(WorkflowMessages messages, long workflowId) {
        return messages.getMessages(workflowId).stream().map(ContractSupport::line).toList();
    }

    protected static String line(Message message) {
        String prefix = message.messageType() == MessageType.AGENT ? "[Agent Comment] "
                : message.messageType() == MessageType.USER ? "[User Message] " : "[System] ";
        return prefix + message.content();
    }

    /** Collects events delivered to a listener. */
    protected static final class Recorder implements dev.workflowthread.ThreadListener {
        public final List<ThreadEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(ThreadEvent event) {
            events.add(event);
        }

        public List<String> names() {
            return events.stream().map(ThreadEvent::name).toList();
        }

        public List<ThreadEvent> of(long workflowId) {
            return events.stream().filter(e -> e.workflowId() == workflowId).toList();
        }

        /** Waits until at least {@code count} events arrived. */
        public void awaitCount(int count) {
            await().atMost(WAIT).until(() -> events.size() >= count);
        }
    }
}
