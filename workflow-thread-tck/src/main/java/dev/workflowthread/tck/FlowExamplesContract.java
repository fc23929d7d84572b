package dev.workflowthread.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionType;
import dev.workflowthread.AgentNarrator;
import dev.workflowthread.Checkpoint;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.Message;
import dev.workflowthread.RedirectRequest;
import dev.workflowthread.SendRequest;
import dev.workflowthread.SendResult;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowRedirectedException;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.WorkflowStatus;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Three whole conversations, played by a real agent loop on its own thread (calling
 * {@link CheckpointGuard#check()} between steps) and a person on the test thread: a user pauses
 * and resumes a workflow, a user redirects it to another workflow, and a user gives the agent more
 * context, which it acknowledges. Each test ends with the whole thread, line by line as
 * {@link ContractSupport#transcript} writes it, so the wording of every agent, user and system
 * message is checked too.
 */
public abstract class FlowExamplesContract extends ContractSupport {

    /** Constructor for a store's test class that extends this part of the contract. */
    public FlowExamplesContract() {
    }

    @Test
    void example1UserPausesWorkflow() throws Exception {
        WorkflowMessages messages = service();
        long workflowId = startedWorkflow(messages);
        CountDownLatch filesRead = new CountDownLatch(1);
        CountDownLatch pauseSent = new CountDownLatch(1);

        Future<Checkpoint> agent = runAgent(() -> {
            CheckpointGuard guard = messages.guard(workflowId);
            guard.check();
            guard.agentStarting("plan", "Analyzing codebase and creating implementation plan");
            AgentNarrator plan = guard.narrator("plan", null);
            plan.readingFile("package.json");
            plan.readingFile("src/index.ts");
            filesRead.countDown();
            awaitLatch(pauseSent);
            Checkpoint afterPause = guard.check(); // pauses here until the person resumes
            plan.say("Continuing plan agent execution...");
            return afterPause;
        });

        awaitLatch(filesRead);
        SendResult pause = messages.send(workflowId,
                SendRequest.of(ActionType.PAUSE, "Please pause - I need to add something to the requirements"));
        pauseSent.countDown();
        await().atMost(WAIT).until(() -> messages.getState(workflowId).paused());
        assertThat(agent.isDone()).as("the agent loop waits while paused").isFalse();
        SendResult resume = messages.send(workflowId,
                SendRequest.of(ActionType.RESUME, "Resume - I've updated the requirements"));
        Checkpoint afterPause = agent.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(transcript(messages, workflowId)).containsExactly(
                "[Agent Comment] Starting plan agent - Analyzing codebase and creating implementation plan",
                "[Agent Comment] Reading file: package.json",
                "[Agent Comment] Reading file: src/index.ts",
                "[User Message] Please pause - I need to add something to the requirements",
                "[System] Workflow paused at user request",
                "[User Message] Resume - I've updated the requirements",
                "[System] Workflow resumed",
                "[Agent Comment] Continuing plan agent execution...");
        assertThat(afterPause.isEmpty()).isTrue();
        assertThat(store.findMessage(pause.messageId()).orElseThrow().actionStatus()).isEqualTo(ActionStatus.PROCESSED);
        assertThat(store.findMessage(resume.messageId()).orElseThrow().actionStatus())
                .isEqualTo(ActionStatus.PROCESSED);
        WorkflowState state = messages.getState(workflowId);
        assertThat(state.status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(state.paused()).isFalse();
    }

    @Test
    void example2UserRedirectsWorkflow() throws Exception {
        long replacement = newWorkflowId();
        List<RedirectRequest> handled = new CopyOnWriteArrayList<>();
        WorkflowMessages messages = service(b -> b.redirectHandler(request -> {
            handled.add(request);
            return replacement;
        }));
        long workflowId = startedWorkflow(messages);
        CountDownLatch fileWritten = new CountDownLatch(1);
        CountDownLatch redirectSent = new CountDownLatch(1);

        Future<Checkpoint> agent = runAgent(() -> {
            CheckpointGuard guard = messages.guard(workflowId);
            guard.check();
            guard.agentStarting("code", "Implementing code changes");
            // writingFile(..) would add " (N bytes)"; the expected line has no size.
            guard.narrator("code", null).say("Writing file: src/components/Button.tsx");
            fileWritten.countDown();
            awaitLatch(redirectSent);
            return guard.check(); // throws WorkflowRedirectedException
        });

        awaitLatch(fileWritten);
        SendResult redirect = messages.send(workflowId, SendRequest.redirect(
                "REDIRECT: Actually, make this a dropdown menu instead of a button",
                "Make this a dropdown menu instead of a button"));
        redirectSent.countDown();

        assertThatThrownBy(() -> agent.get(WAIT.toMillis(), TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(WorkflowRedirectedException.class, e -> {
                    assertThat(e.newWorkflowId()).isEqualTo(replacement);
                    assertThat(e.workflowId()).isEqualTo(workflowId);
                });
        assertThat(transcript(messages, workflowId)).containsExactly(
                "[Agent Comment] Starting code agent - Implementing code changes",
                "[Agent Comment] Writing file: src/components/Button.tsx",
                "[User Message] REDIRECT: Actually, make this a dropdown menu instead of a button",
                "[System] Creating new workflow with updated instructions...",
                "[System] Original workflow cancelled, new workflow #" + replacement + " created");
        assertThat(handled).singleElement().satisfies(request -> {
            assertThat(request.sourceMessageId()).isEqualTo(redirect.messageId());
            assertThat(request.newTaskDescription()).isEqualTo("Make this a dropdown menu instead of a button");
        });
        WorkflowState state = messages.getState(workflowId);
        assertThat(state.status()).isEqualTo(WorkflowStatus.REDIRECTED);
        assertThat(state.redirectedTo()).isEqualTo(replacement);
        assertThat(store.findMessage(redirect.messageId()).orElseThrow().actionStatus())
                .isEqualTo(ActionStatus.PROCESSED);
        assertThat(messages.getState(replacement).status()).isEqualTo(WorkflowStatus.RUNNING);
    }

    @Test
    void example3UserProvidesAdditionalContext() throws Exception {
        WorkflowMessages messages = service();
        // Another workflow's chatter in the same store, so that message ids differ from seqs and
        // inReplyTo is seen to name the instruction's id.
        long neighbour = startedWorkflow(messages);
        for (int i = 0; i < 3; i++) {
            messages.narrator(neighbour, "docs", null).say("Writing docs " + i);
        }
        long workflowId = startedWorkflow(messages);
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch contextSent = new CountDownLatch(1);
        List<Message> replies = new CopyOnWriteArrayList<>();

        Future<Checkpoint> agent = runAgent(() -> {
            CheckpointGuard guard = messages.guard(workflowId);
            guard.check();
            guard.agentStarting("plan", "Analyzing codebase");
            started.countDown();
            awaitLatch(contextSent);
            Checkpoint checkpoint = guard.check();
            for (Message instruction : checkpoint.instructions()) {
                replies.add(guard.acknowledge(instruction,
                        "Acknowledged user context - will consider JWT cookie auth in implementation"));
            }
            guard.narrator("plan", null).say("Plan completed - 5 sub-tasks identified");
            return checkpoint;
        });

        awaitLatch(started);
        SendResult instruction = messages.send(workflowId, SendRequest.of(ActionType.INSTRUCTION,
                "Note: The authentication system uses JWT tokens stored in httpOnly cookies"));
        contextSent.countDown();
        Checkpoint handed = agent.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        assertThat(transcript(messages, workflowId)).containsExactly(
                "[Agent Comment] Starting plan agent - Analyzing codebase",
                "[User Message] Note: The authentication system uses JWT tokens stored in httpOnly cookies",
                "[Agent Comment] Acknowledged user context - will consider JWT cookie auth in implementation",
                "[Agent Comment] Plan completed - 5 sub-tasks identified");
        assertThat(handed.instructions()).extracting(Message::id).containsExactly(instruction.messageId());
        assertThat(store.findMessage(instruction.messageId()).orElseThrow().actionStatus())
                .isEqualTo(ActionStatus.PROCESSED);
        assertThat(messages.getPendingUserMessages(workflowId)).isEmpty();
        assertThat(replies).singleElement().satisfies(reply -> {
            Message stored = store.findMessage(reply.id()).orElseThrow();
            assertThat(stored.metadata()).containsKey("inReplyTo");
            assertThat(((Number) stored.metadata().get("inReplyTo")).longValue()).isEqualTo(instruction.messageId());
            assertThat(stored.agentType()).isEqualTo("plan");
        });
    }

    private Future<Checkpoint> runAgent(Callable<Checkpoint> loop) {
        return threads(1).submit(loop);
    }

    /** Waits for the latch within {@link #WAIT}; a latch that never opens fails the test. */
    private static void awaitLatch(CountDownLatch latch) throws InterruptedException {
        assertThat(latch.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("latch opened within %s", WAIT).isTrue();
    }
}
