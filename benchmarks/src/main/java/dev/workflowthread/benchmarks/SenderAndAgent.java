package dev.workflowthread.benchmarks;

import dev.workflowthread.ActionType;
import dev.workflowthread.Message;
import dev.workflowthread.SendRequest;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.spi.ThreadStore;
import java.util.Map;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What the send-to-observed and send-to-stopped benchmarks share: a person who sends (through the
 * design under test) and an agent side that says what it observed, both opened once per trial.
 */
abstract class SenderAndAgent {

    /** Sends a person's messages and starts workflows, through the design under test. */
    interface Sender extends AutoCloseable {
        void start(long workflowId);

        void send(long workflowId, String action);

        @Override
        void close();
    }

    /** The library's {@link WorkflowMessages} as the sender. */
    static Sender library(WorkflowMessages messages) {
        return new Sender() {
            @Override
            public void start(long workflowId) {
                messages.start(workflowId);
            }

            @Override
            public void send(long workflowId, String action) {
                switch (action) {
                    case "pause" -> messages.pause(workflowId, "benchmark pause");
                    case "resume" -> messages.unpause(workflowId);
                    case "cancel" -> messages.cancel(workflowId, "benchmark cancel");
                    case "urgent" -> messages.send(workflowId, new SendRequest("benchmark urgent instruction",
                            ActionType.INSTRUCTION, Map.of(Message.DELIVERY, "interrupt"), null));
                    default -> throw new IllegalArgumentException(action);
                }
            }

            @Override
            public void close() {
                messages.close();
            }
        };
    }

    /** The plan's Option A as the sender. */
    static Sender optionA(OptionABaseline baseline) {
        return new Sender() {
            @Override
            public void start(long workflowId) {
                baseline.createWorkflow(workflowId);
            }

            @Override
            public void send(long workflowId, String action) {
                baseline.send(workflowId, action, "benchmark " + action);
            }

            @Override
            public void close() {
                baseline.close();
            }
        };
    }

    /** The person's side, open during the trial. */
    protected Sender sender;
    /** The agent's side, open during the trial. */
    protected AgentSide agent;

    private ThreadStore libraryStore;
    private WorkflowMessages libraryMessages;

    /**
     * The library as the sender: a service on a fresh store of {@code database} at {@code url}
     * (tables of {@code prefix} emptied first), both closed with the trial.
     */
    protected Sender libraryOn(BenchDatabase database, String url, String prefix) {
        libraryStore = database.freshStore(url, prefix, 8);
        libraryMessages = AgentLoop.service(libraryStore);
        return library(libraryMessages);
    }

    /** The service {@link #libraryOn} opened, for an agent loop in this JVM. */
    protected WorkflowMessages libraryMessages() {
        return libraryMessages;
    }

    /** Opens the design under test; called once per trial. */
    protected abstract Sender openSender() throws Exception;

    /** Opens where the loop runs; called once per trial, after {@link #openSender()}. */
    protected abstract AgentSide openAgentSide() throws Exception;

    /** Closes what the subclass opened besides the two above. */
    protected void closeResources() throws Exception {
    }

    private static final boolean SMOKE = Boolean.getBoolean("workflowthread.bench.smoke");

    /** Pauses and resumes of the person's warm-up, each; see {@link #warmUp}. */
    static final int WARM_UP_SENDS = SMOKE ? 10 : 1_000;
    /** The workflow the person's warm-up sends to, far from the ids the benchmarks use. */
    static final long WARM_UP_WORKFLOW = 1_000_000_000L;

    /**
     * Runs the person's path 1,000 times over (10 in a smoke run; a pause and a resume each) on a
     * workflow of its own in the design's tables, before the trial: a host's web server is a
     * long-running process, and the few hundred sends of JMH's warm-up iterations leave the
     * sending code interpreted or barely compiled (in a fresh JVM a send took twice as long
     * over its first 400 calls as after 2,000). The agent's JVM warms itself the same way
     * ({@link AgentProcess}).
     */
    static void warmUp(Sender sender) {
        sender.start(WARM_UP_WORKFLOW);
        for (int i = 0; i < WARM_UP_SENDS; i++) {
            sender.send(WARM_UP_WORKFLOW, "pause");
            sender.send(WARM_UP_WORKFLOW, "resume");
        }
        sender.send(WARM_UP_WORKFLOW, "cancel");
    }

    @Setup(Level.Trial)
    public void openTrial() throws Exception {
        sender = openSender();
        warmUp(sender);
        agent = openAgentSide();
    }

    @TearDown(Level.Trial)
    public void closeTrial() throws Exception {
        try {
            if (agent != null) {
                agent.close();
            }
        } finally {
            if (sender != null) {
                sender.close();
            }
            if (libraryStore != null) {
                libraryStore.close();
            }
            closeResources();
        }
    }
}
