package dev.workflowthread.examples;

// README-BEGIN
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.workflowthread.ActionType;
import dev.workflowthread.Checkpoint;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.Message;
import dev.workflowthread.SendRequest;
import dev.workflowthread.ThreadEvent;
import dev.workflowthread.WorkflowCancelledException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.inmemory.InMemoryThreadStore;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FirstHostTest {
    // Stands in for each step's slow work (a model call, a build): the test says when it is done.
    private final BlockingQueue<String> work = new LinkedBlockingQueue<>();
    private final BlockingQueue<ThreadEvent> events = new LinkedBlockingQueue<>();

    /** The agent loop: three steps, a check() before each. */
    String runAgents(WorkflowMessages messages, long workflowId) throws InterruptedException {
        CheckpointGuard guard = messages.guard(workflowId);
        try {
            for (String step : List.of("plan", "code", "test")) {
                Checkpoint checkpoint = guard.check();        // blocks while paused
                for (Message instruction : checkpoint.instructions()) {
                    guard.acknowledge(instruction, "Acknowledged user context - " + instruction.content());
                }
                guard.agentStarting(step, "the " + step + " step");
                guard.narrator(step, null).say("Working on " + step + ": " + work.take());
                guard.agentCompleted(step, step + " done", null);
            }
            messages.complete(workflowId, "All steps finished");
            return "completed";
        } catch (WorkflowCancelledException e) {
            return "cancelled: " + e.reason();
        }
    }

    @Test
    void aPersonPausesInstructsResumesAndCancels() throws Exception {
        try (WorkflowMessages messages = WorkflowMessages.create(InMemoryThreadStore.create())) {
            long workflowId = 42;
            messages.start(workflowId);
            messages.subscribe(workflowId, 0, events::add);   // what a WebSocket would forward
            CompletableFuture<String> run = CompletableFuture.supplyAsync(() -> {
                try {
                    return runAgents(messages, workflowId);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });

            messages.pause(workflowId, "Let me look first");
            work.add("the plan");                             // step 1 ends; step 2's check() pauses
            awaitEvent(ThreadEvent.WorkflowPaused.class);
            messages.send(workflowId, SendRequest.of(ActionType.INSTRUCTION, "Use JWT cookies"));
            messages.unpause(workflowId);                     // step 2 starts with the instruction
            awaitEvent(ThreadEvent.WorkflowUnpaused.class);
            messages.cancel(workflowId, "Not needed any more");
            work.add("the code");                             // step 2 ends; step 3's check() stops

            assertEquals("cancelled: Not needed any more", run.get(10, TimeUnit.SECONDS));
            assertEquals(WorkflowStatus.CANCELLED, messages.getState(workflowId).status());
            assertTrue(messages.getMessages(workflowId).stream().anyMatch(
                    m -> m.content().equals("Acknowledged user context - Use JWT cookies")));
        }
    }

    private void awaitEvent(Class<? extends ThreadEvent> type) throws InterruptedException {
        for (ThreadEvent event = events.poll(10, TimeUnit.SECONDS); !type.isInstance(event);
                event = events.poll(10, TimeUnit.SECONDS)) {
            if (event == null) {
                throw new AssertionError("no " + type.getSimpleName() + " within 10 s");
            }
        }
    }
}
// README-END
