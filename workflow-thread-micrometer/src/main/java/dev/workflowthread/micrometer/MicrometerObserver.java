package dev.workflowthread.micrometer;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionTaken;
import dev.workflowthread.ActionType;
import dev.workflowthread.OutcomeUnknownException;
import dev.workflowthread.PauseTimeoutOutcome;
import dev.workflowthread.StorageException;
import dev.workflowthread.WorkflowThreadObserver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Objects;

/**
 * A {@link WorkflowThreadObserver} that keeps Micrometer meters. Give it to the service's
 * configuration (and to the JDBC store's builder, for its retries):
 *
 * <pre>{@code
 * MicrometerObserver meters = MicrometerObserver.of(registry);
 * JdbcThreadStore store = JdbcThreadStore.builder().dataSource(dataSource).observer(meters).build();
 * WorkflowMessages messages = WorkflowMessages.create(store, WorkflowThreadConfig.builder().observer(meters).build());
 * }</pre>
 *
 * <p>The meters (each also with the tags given to {@link #of(MeterRegistry, Iterable)}):
 * <table>
 *   <caption>meters</caption>
 *   <tr><th>name</th><th>type</th><th>tags</th><th>what</th></tr>
 *   <tr><td>{@value #MESSAGES_SENT}</td><td>counter</td><td>{@code action}, {@code outcome}</td>
 *       <td>a person's messages stored, by action type and what sending did (e.g. {@code pause}, {@code ignored})</td></tr>
 *   <tr><td>{@value #MESSAGES_APPLIED}</td><td>counter</td><td>{@code action}, {@code outcome}</td>
 *       <td>messages checkpoints applied: control messages processed or ignored, comments processed,
 *       instructions acknowledged</td></tr>
 *   <tr><td>{@value #CHECKPOINT_LATENCY}</td><td>timer</td><td>{@code action}</td>
 *       <td>from a person's send to the checkpoint applying it</td></tr>
 *   <tr><td>{@value #PAUSE_DURATION}</td><td>timer</td><td></td><td>how long pauses lasted</td></tr>
 *   <tr><td>{@value #PAUSE_TIMEOUTS}</td><td>counter</td><td>{@code outcome}</td><td>pauses that timed out</td></tr>
 *   <tr><td>{@value #LISTENER_LAG}</td><td>timer</td><td></td>
 *       <td>from a message's creation to a listener having it (replays not counted)</td></tr>
 *   <tr><td>{@value #LISTENER_FAILURES}</td><td>counter</td><td>{@code event}</td><td>listeners that threw</td></tr>
 *   <tr><td>{@value #WATCHED_WORKFLOWS}</td><td>gauge</td><td></td>
 *       <td>workflows with a checkpoint or a subscription in this JVM</td></tr>
 *   <tr><td>{@value #HEARING_OTHER_PROCESSES}</td><td>gauge</td><td></td>
 *       <td>1 while the store tells of other processes' commits, else 0</td></tr>
 *   <tr><td>{@value #STORE_RETRIES}</td><td>counter</td><td></td><td>transactions tried again after a deadlock</td></tr>
 *   <tr><td>{@value #STORE_FAILURES}</td><td>counter</td><td>{@code kind}: {@code failed} or {@code outcome_unknown}</td>
 *       <td>store operations that failed</td></tr>
 * </table>
 * Tag values are the wire names ({@code pause}, {@code processed}, {@code pause_requested},
 * {@code message:new}). The gauges are registered for the first service the observer is
 * attached to; give each service of one registry its own observer with a distinguishing tag.
 */
public final class MicrometerObserver implements WorkflowThreadObserver {
    /** Counter: a person's messages stored. */
    public static final String MESSAGES_SENT = "workflow.thread.messages.sent";
    /** Counter: messages checkpoints applied. */
    public static final String MESSAGES_APPLIED = "workflow.thread.messages.applied";
    /** Timer: from a person's send to the checkpoint applying it. */
    public static final String CHECKPOINT_LATENCY = "workflow.thread.checkpoint.latency";
    /** Timer: how long pauses lasted. */
    public static final String PAUSE_DURATION = "workflow.thread.pause.duration";
    /** Counter: pauses that timed out. */
    public static final String PAUSE_TIMEOUTS = "workflow.thread.pause.timeouts";
    /** Timer: from a message's creation to a listener having it. */
    public static final String LISTENER_LAG = "workflow.thread.listener.lag";
    /** Counter: listeners that threw. */
    public static final String LISTENER_FAILURES = "workflow.thread.listener.failures";
    /** Gauge: workflows watched in this JVM. */
    public static final String WATCHED_WORKFLOWS = "workflow.thread.workflows.watched";
    /** Gauge: 1 while other processes' commits are heard. */
    public static final String HEARING_OTHER_PROCESSES = "workflow.thread.store.hearing";
    /** Counter: store transactions tried again. */
    public static final String STORE_RETRIES = "workflow.thread.store.retries";
    /** Counter: store operations that failed. */
    public static final String STORE_FAILURES = "workflow.thread.store.failures";

    private final MeterRegistry registry;
    private final Tags tags;
    private final Timer pauseDuration;
    private final Timer listenerLag;
    private final Counter storeRetries;
    private final Counter storeFailures;
    private final Counter storeOutcomesUnknown;

    private MicrometerObserver(MeterRegistry registry, Tags tags) {
        this.registry = registry;
        this.tags = tags;
        this.pauseDuration = Timer.builder(PAUSE_DURATION).description("How long workflows stayed paused")
                .tags(tags).register(registry);
        this.listenerLag = Timer.builder(LISTENER_LAG)
                .description("From a message's creation until a listener had it").tags(tags).register(registry);
        this.storeRetries = Counter.builder(STORE_RETRIES)
                .description("Store transactions tried again after a deadlock or serialization failure")
                .tags(tags).register(registry);
        this.storeFailures = storeFailureCounter("failed");
        this.storeOutcomesUnknown = storeFailureCounter("outcome_unknown");
    }

    /**
     * An observer keeping its meters in {@code registry}.
     *
     * @param registry where the meters go
     * @return the observer
     * @throws NullPointerException when {@code registry} is null
     */
    public static MicrometerObserver of(MeterRegistry registry) {
        return of(registry, Tags.empty());
    }

    /**
     * An observer keeping its meters in {@code registry}, each with {@code tags} besides its own
     * (for instance the name of the service, when one registry has several).
     *
     * @param registry where the meters go
     * @param tags     tags every meter gets
     * @return the observer
     * @throws NullPointerException when {@code registry} or {@code tags} is null
     */
    public static MicrometerObserver of(MeterRegistry registry, Iterable<Tag> tags) {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(tags, "tags");
        return new MicrometerObserver(registry, Tags.of(tags));
    }

    private Counter storeFailureCounter(String kind) {
        return Counter.builder(STORE_FAILURES).description("Store operations that failed").tags(tags).tag("kind", kind)
                .register(registry);
    }

    /** Registers the gauges, reading {@code gauges} at each scrape (held strongly, as the service holds nothing of them). */
    @Override
    public void attached(Gauges gauges) {
        Gauge.builder(WATCHED_WORKFLOWS, gauges, Gauges::watchedWorkflows)
                .description("Workflows with a checkpoint or a subscription in this JVM").tags(tags).strongReference(true)
                .register(registry);
        Gauge.builder(HEARING_OTHER_PROCESSES, gauges, g -> g.hearingOtherProcesses() ? 1 : 0)
                .description("1 while the store tells this JVM of other processes' commits, else 0").tags(tags)
                .strongReference(true).register(registry);
    }

    @Override
    public void messageSent(long workflowId, ActionType actionType, ActionTaken taken) {
        Counter.builder(MESSAGES_SENT).description("A person's messages stored").tags(tags)
                .tag("action", actionType.wireName()).tag("outcome", taken.wireName()).register(registry).increment();
    }

    @Override
    public void messageApplied(long workflowId, ActionType actionType, ActionStatus outcome, Duration sinceSent) {
        Counter.builder(MESSAGES_APPLIED).description("Messages checkpoints applied or handed over").tags(tags)
                .tag("action", actionType.wireName()).tag("outcome", outcome.wireName()).register(registry).increment();
        Timer.builder(CHECKPOINT_LATENCY).description("From a person's send to the checkpoint applying it").tags(tags)
                .tag("action", actionType.wireName()).register(registry).record(sinceSent);
    }

    @Override
    public void pauseEnded(long workflowId, Duration pausedFor) {
        pauseDuration.record(pausedFor);
    }

    @Override
    public void pauseTimedOut(long workflowId, PauseTimeoutOutcome outcome) {
        Counter.builder(PAUSE_TIMEOUTS).description("Pauses that lasted longer than the pause timeout").tags(tags)
                .tag("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT)).register(registry).increment();
    }

    @Override
    public void listenerDelivered(long workflowId, Duration lag) {
        listenerLag.record(lag);
    }

    @Override
    public void listenerFailed(long workflowId, String eventName, Throwable failure) {
        Counter.builder(LISTENER_FAILURES).description("Listeners that threw on an event").tags(tags)
                .tag("event", eventName).register(registry).increment();
    }

    @Override
    public void storeRetried(String operation, Throwable cause) {
        storeRetries.increment();
    }

    @Override
    public void storeFailed(StorageException failure) {
        (failure instanceof OutcomeUnknownException ? storeOutcomesUnknown : storeFailures).increment();
    }

    @Override
    public String toString() {
        return "MicrometerObserver" + tags;
    }
}
