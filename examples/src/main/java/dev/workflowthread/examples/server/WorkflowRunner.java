package dev.workflowthread.examples.server;

import dev.workflowthread.WorkflowFinishedException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowNotFoundException;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.examples.agents.DemoOrchestrator;
import dev.workflowthread.examples.agents.Pace;
import dev.workflowthread.examples.agents.SimulatedAgents;
import dev.workflowthread.examples.agents.Workspace;
import dev.workflowthread.web.WebRefusal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each workflow's agents on a thread of its own, each in its own copy of the sample project,
 * and starts the replacing workflow when one is redirected. A workflow whose run the server could
 * not finish (it stopped, or crashed before) is failed, saying so, rather than left "running"
 * with nobody working on it.
 */
final class WorkflowRunner implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkflowRunner.class);
    static final String SERVER_STOPPED = "The demo server stopped while this workflow ran; start a new one";

    private final WorkflowMessages messages;
    private final HostWorkflows host;
    private final Path workspaces;
    private final Pace pace;
    private final Duration questionTimeout;
    private final int maxRunning;
    private final Set<Long> running = ConcurrentHashMap.newKeySet();
    /** Workflows running, and places reserved for workflows being created. */
    private final AtomicInteger places = new AtomicInteger();
    private final ExecutorService executor;

    WorkflowRunner(WorkflowMessages messages, HostWorkflows host, Path workspaces, Pace pace, Duration questionTimeout,
                   int maxRunning) {
        this.messages = messages;
        this.host = host;
        this.workspaces = workspaces;
        this.pace = pace;
        this.questionTimeout = questionTimeout;
        this.maxRunning = maxRunning;
        AtomicInteger count = new AtomicInteger();
        this.executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "agents-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Reserves the place of a workflow about to be created, or refuses it while {@code maxRunning}
     * run or are being created already (a redirect's replacement is always started: it takes the
     * place of the one it replaces). The place is given back with {@link #releasePlace} if the
     * workflow is not created after all, or taken by {@link #launchInReservedPlace}.
     */
    void reservePlace() {
        while (true) {
            int taken = places.get();
            if (taken >= maxRunning) {
                throw WebRefusal.tooMany("at most " + maxRunning + " workflows run at once; cancel one or wait for one to finish");
            }
            if (places.compareAndSet(taken, taken + 1)) {
                return;
            }
        }
    }

    void releasePlace() {
        places.decrementAndGet();
    }

    /** Starts the agents of a new workflow whose thread is started, in the place reserved for it. */
    void launchInReservedPlace(long workflowId) {
        start(workflowId);
    }

    /** Starts the agents of a workflow whose thread is started, taking a place beyond the limit if need be. */
    void launch(long workflowId) {
        places.incrementAndGet();
        start(workflowId);
    }

    private void start(long workflowId) {
        if (!running.add(workflowId)) {
            releasePlace();
            return;
        }
        try {
            executor.execute(() -> run(workflowId));
        } catch (RejectedExecutionException stopping) {
            running.remove(workflowId);
            releasePlace();
            LOG.info("not starting workflow {}: the server is stopping", workflowId);
            try {
                failUnlessFinished(workflowId, SERVER_STOPPED);
            } catch (RuntimeException e) {
                LOG.error("workflow {} could not be marked failed", workflowId, e);
            }
        }
    }

    /** Fails the workflow, unless its thread never started or it finished already. */
    private void failUnlessFinished(long workflowId, String reason) {
        try {
            messages.fail(workflowId, reason);
        } catch (WorkflowNotFoundException | WorkflowFinishedException gone) {
            // never started, or finished meanwhile: nothing to do
        }
    }

    /** Fails every workflow that is not finished and that no run of this server works on. */
    void failAbandoned() {
        for (long id : host.allIds()) {
            if (!running.contains(id)) {
                failUnlessFinished(id, SERVER_STOPPED);
            }
        }
    }

    private void run(long workflowId) {
        try {
            HostWorkflows.HostWorkflow workflow = host.find(workflowId).orElseThrow(
                    () -> new IllegalStateException("workflow " + workflowId + " is not in the host's table"));
            Path workspace = Workspace.createSampleProject(workspaces.resolve("workflow-" + workflowId)).root();
            DemoOrchestrator.Outcome outcome = new DemoOrchestrator(messages, DemoOrchestrator.CheckpointObserver.NONE)
                    .run(workflowId, workflow.taskDescription(), workspace, SimulatedAgents.pipeline(pace, questionTimeout));
            LOG.info("workflow {} ended {}", workflowId, outcome.status().wireName());
            if (outcome.status() == WorkflowStatus.REDIRECTED && outcome.newWorkflowId() != null) {
                launch(outcome.newWorkflowId());
            }
        } catch (InterruptedException stopping) {
            LOG.info("workflow {} stopped with the server", workflowId);
        } catch (RuntimeException e) {
            LOG.error("workflow {} could not run", workflowId, e);
            try {
                messages.fail(workflowId, "The demo could not run this workflow: " + e.getMessage());
            } catch (RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed);
                LOG.error("workflow {} could not be marked failed either", workflowId, alsoFailed);
            }
        } finally {
            running.remove(workflowId);
            releasePlace();
        }
    }

    /** Stops every run, waiting a few seconds, and fails the workflows they leave unfinished. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("some agent runs did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        running.clear();
        failAbandoned();
    }
}
