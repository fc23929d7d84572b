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
import dev.workflowthread.PauseTimeoutOutcome;
import dev.workflowthread.SendRequest;
import dev.workflowthread.WorkflowCancelledException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowRedirectedException;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.WorkflowStoppedException;
import dev.workflowthread.WorkflowThreadConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import dev.workflowthread.spi.ThreadStore;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** What {@code CheckpointGuard.check()} does between an agent loop's steps. */
public abstract class CheckpointContract extends ContractSupport {

    /** Constructor for a store's test class that extends this part of the contract. */
    public CheckpointContract() {
    }

    /** A check on another thread, and a wait until the workflow is paused by it. */
    private Future<Checkpoint> checkUntilPaused(WorkflowMessages messages, CheckpointGuard guard) {
        Future<Checkpoint> check = threads(1).submit(guard::check);
        await().atMost(WAIT).until(() -> messages.getState(guard.workflowId()).paused());
        return check;
    }

    @Test
    void aQuietCheckMakesNoStoreCallsAtAll() throws Exception {
        CountingStore counting = new CountingStore(store);
        WorkflowMessages messages = closeAfter(WorkflowMessages.create(counting.store(), config().build()));
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        guard.check();
        long before = counting.calls();
        for (int i = 0; i < 10_000; i++) {
            assertThat(guard.check()).isSameAs(Checkpoint.EMPTY);
        }
        assertThat(counting.calls()).isEqualTo(before);

        messages.addMessage(id, dev.workflowthread.MessageType.AGENT, "narration does not wake anyone",
                dev.workflowthread.MessageOptions.NONE);
        long afterNarration = counting.calls();
        guard.check();
        assertThat(counting.calls()).as("agent narration is no reason to look").isEqualTo(afterNarration);

        messages.send(id, SendRequest.of(ActionType.INSTRUCTION, "now there is something"));
        assertThat(guard.check().instructions()).hasSize(1);
    }

    @Test
    void aPauseStopsAtTheNextCheckpointAndResumeWakesItAtOnce() throws Exception {
        // A poll interval of an hour: only the in-process wake-up can end this wait in time.
        WorkflowMessages messages = service(builder -> builder.pausedCheckInterval(Duration.ofHours(1)));
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        guard.check();
        messages.pause(id, "Please pause - I need to add something");
        Future<Checkpoint> check = checkUntilPaused(messages, guard);

        assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.PAUSED);
        assertThat(messages.getState(id).pausedAt()).isEqualTo(clock.instant());
        assertThat(check.isDone()).isFalse();
        messages.unpause(id);
        Checkpoint resumed = result(check);
        assertThat(resumed.isEmpty()).isTrue();
        assertThat(resumed.resumed()).as("the agent can tell it was held").isTrue();
        assertThat(guard.check().resumed()).isFalse();
        assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(messages.getState(id).paused()).isFalse();
        assertThat(transcript(messages, id)).containsExactly(
                "[User Message] Please pause - I need to add something",
                "[System] Workflow paused at user request",
                "[User Message] Resume requested",
                "[System] Workflow resumed");
    }

    @Test
    void aCancelWakesAPausedCheckpointAtOnceAndStopsTheLoop() throws Exception {
        WorkflowMessages messages = service(builder -> builder.pausedCheckInterval(Duration.ofHours(1)));
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        messages.pause(id, "hold");
        Future<Checkpoint> check = checkUntilPaused(messages, guard);
        messages.cancel(id, "Requirements changed, stop");

        assertThatThrownBy(() -> result(check)).isInstanceOfSatisfying(WorkflowCancelledException.class, e -> {
            assertThat(e.reason()).isEqualTo("Requirements changed, stop");
            assertThat(e.workflowId()).isEqualTo(id);
            assertThat(e.getStackTrace()).as("a cheap stop signal").isEmpty();
        });
        assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.CANCELLED);
        assertThat(messages.getState(id).paused()).isFalse();
        assertThat(transcript(messages, id)).last().isEqualTo("[System] Workflow cancelled by user: Requirements changed, stop");
    }

    @Test
    void aStopCannotBeOverlookedEveryLaterCheckThrowsAgain() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        messages.cancel(id, "stop");
        assertThatThrownBy(guard::check).isInstanceOf(WorkflowCancelledException.class);
        assertThatThrownBy(guard::check).isInstanceOf(WorkflowCancelledException.class);
        assertThatThrownBy(() -> messages.guard(id).check()).isInstanceOf(WorkflowCancelledException.class)
                .hasMessageContaining("stop");
        assertThat(messages.getMessages(id).stream().filter(m -> m.content().startsWith("Workflow cancelled"))).hasSize(1);
    }

    @Test
    void aCancelWinsOverEverythingStillPending() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        long pause = messages.pause(id, "hold").messageId();
        long instruction = messages.send(id, SendRequest.of(ActionType.INSTRUCTION, "also do X")).messageId();
        long cancel = messages.cancel(id, "never mind").messageId();
        long redirect = messages.send(id, SendRequest.redirect("REDIRECT: y", "Do Y")).messageId();

        assertThatThrownBy(guard::check).isInstanceOf(WorkflowCancelledException.class);
        Map<Long, ActionStatus> statuses = new java.util.HashMap<>();
        messages.getMessages(id).forEach(m -> statuses.put(m.id(), m.actionStatus()));
        assertThat(statuses).containsEntry(cancel, ActionStatus.PROCESSED)
                .containsEntry(pause, ActionStatus.IGNORED)
                .containsEntry(instruction, ActionStatus.IGNORED)
                .containsEntry(redirect, ActionStatus.IGNORED);
        assertThat(redirects).isEmpty();
        assertThat(transcript(messages, id)).doesNotContain("[System] Workflow paused at user request");
    }

    @Test
    void aRedirectCreatesTheNewWorkflowThroughTheHostsHandlerAndStopsTheLoop() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        messages.send(id, SendRequest.redirect("REDIRECT: Actually, make this a dropdown menu instead of a button",
                "Build a dropdown menu").withAuthor("ana"));

        WorkflowRedirectedException e = org.assertj.core.api.Assertions.catchThrowableOfType(
                WorkflowRedirectedException.class, guard::check);
        assertThat(redirects).hasSize(1);
        assertThat(redirects.get(0).newTaskDescription()).isEqualTo("Build a dropdown menu");
        assertThat(redirects.get(0).originalWorkflowId()).isEqualTo(id);
        assertThat(redirects.get(0).author()).isEqualTo("ana");
        long newId = e.newWorkflowId();
        assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.REDIRECTED);
        assertThat(messages.getState(id).redirectedTo()).isEqualTo(newId);
        assertThat(messages.getState(newId).status()).as("the new workflow's thread is started").isEqualTo(WorkflowStatus.RUNNING);
        assertThat(transcript(messages, id)).containsExactly(
                "[User Message] REDIRECT: Actually, make this a dropdown menu instead of a button",
                "[System] Creating new workflow with updated instructions...",
                "[System] Original workflow cancelled, new workflow #" + newId + " created");
        assertThatThrownBy(guard::check).isInstanceOf(WorkflowRedirectedException.class);
        assertThat(redirects).as("the handler runs once").hasSize(1);
    }

    @Test
    void aFailingRedirectHandlerLeavesTheWorkflowRunningAndSaysWhy() throws Exception {
        WorkflowMessages messages = service(builder -> builder.redirectHandler(request -> {
            throw new IllegalStateException("quota of workflows reached");
        }));
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        long redirect = messages.send(id, SendRequest.redirect("REDIRECT: x", "Do X")).messageId();
        assertThat(guard.check().isEmpty()).isTrue();
        assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(transcript(messages, id)).last().asString().contains("Redirect failed").contains("quota of workflows reached");
        assertThat(messages.getMessages(id).stream().filter(m -> m.id() == redirect).findFirst().orElseThrow().actionStatus())
                .isEqualTo(ActionStatus.IGNORED);
    }

    @Test
    void instructionsAndCommentsAreHandedOverInSeqOrderOnce() throws Exception {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        for (int i = 1; i <= 5; i++) {
            messages.send(id, SendRequest.of(i % 2 == 0 ? ActionType.COMMENT : ActionType.INSTRUCTION, "note " + i));
        }
        Checkpoint checkpoint = guard.check();
        assertThat(checkpoint.messages()).extracting(Message::content)
                .containsExactly("note 1", "note 2", "note 3", "note 4", "note 5");
        assertThat(checkpoint.instructions()).hasSize(3);
        assertThat(checkpoint.comments()).hasSize(2).extracting(Message::actionStatus).containsOnly(ActionStatus.PROCESSED);
        assertThat(guard.check().isEmpty()).isTrue();
        assertThat(messages.guard(id).check().isEmpty()).as("another guard does not get them either").isTrue();
    }

    @Test
    void anInstructionNotAnsweredWithinTheLeaseIsHandedOverAgain() throws Exception {
        WorkflowMessages messages = service(builder -> builder.leaseDuration(Duration.ofMinutes(2)));
        long id = startedWorkflow(messages);
        CheckpointGuard first = messages.guard(id);
        CheckpointGuard second = messages.guard(id);
        messages.send(id, SendRequest.of(ActionType.INSTRUCTION, "refactor the auth module"));
        Message handed = first.check().instructions().get(0);
        assertThat(second.check().isEmpty()).isTrue();

        clock.advance(Duration.ofMinutes(2));
        Message again = second.check().instructions().get(0);
        assertThat(again.id()).isEqualTo(handed.id());
        second.acknowledge(again, "Acknowledged user context - refactoring auth");
        assertThat(first.check().isEmpty()).isTrue();
        assertThat(messages.getPendingUserMessages(id)).isEmpty();
        assertThat(messages.getMessages(id).get(0).actionStatus()).isEqualTo(ActionStatus.PROCESSED);
    }

    @Test
    void aControlMessageHeldByADeadCheckpointIsAppliedOnceAfterTheLease() throws Exception {
        WorkflowMessages messages = service(builder -> builder.leaseDuration(Duration.ofSeconds(30)));
        long id = startedWorkflow(messages);
        long cancel = messages.cancel(id, "stop after crash").messageId();
        Instant now = clock.instant();
        // A checkpoint took the cancel and died before applying it.
        assertThat(store.claim(cancel, "dead-guard", now, now.plusSeconds(30))).isPresent();

        CheckpointGuard survivor = messages.guard(id);
        Future<Checkpoint> check = threads(1).submit(survivor::check);
        await().during(Duration.ofMillis(100)).atMost(WAIT).until(() -> !check.isDone());
        assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.RUNNING);

        clock.advance(Duration.ofSeconds(30));
        assertThatThrownBy(() -> result(check)).isInstanceOf(WorkflowCancelledException.class);
        assertThat(messages.getMessages(id).stream().filter(m -> m.content().startsWith("Workflow cancelled"))).hasSize(1);
        assertThat(store.commit(new dev.workflowthread.spi.Commit(id, dev.workflowthread.spi.Commit.ANY_VERSION, null,
                List.of(dev.workflowthread.spi.Resolution.ofClaimed(cancel, "dead-guard", ActionStatus.PROCESSED)),
                List.of())).committed()).as("the dead guard can no longer apply it a second time").isFalse();
    }

    @Test
    void aPauseTimesOutWithCancelByDefault() throws Exception {
        WorkflowMessages messages = service(builder -> builder.pauseTimeout(Duration.ofMinutes(30)));
        assertThat(messages.config().pauseTimeoutOutcome()).isEqualTo(PauseTimeoutOutcome.CANCEL);
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        messages.pause(id, "lunch");
        Future<Checkpoint> check = checkUntilPaused(messages, guard);
        clock.advance(Duration.ofMinutes(29));
        await().during(Duration.ofMillis(100)).atMost(WAIT).until(() -> !check.isDone());
        clock.advance(Duration.ofMinutes(1));
        assertThatThrownBy(() -> result(check)).isInstanceOfSatisfying(WorkflowCancelledException.class,
                e -> assertThat(e.reason()).isEqualTo("paused for longer than 30 minutes"));
        assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.CANCELLED);
        assertThat(transcript(messages, id)).last().isEqualTo("[System] Workflow cancelled: paused for longer than 30 minutes");
    }

    @Test
    void aPauseThatTimesOutWithFailFailsTheWorkflow() throws Exception {
        WorkflowMessages messages = service(builder -> builder.pauseTimeout(Duration.ofMinutes(5))
                .pauseTimeoutOutcome(PauseTimeoutOutcome.FAIL));
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        messages.pause(id, "lunch");
        Future<Checkpoint> check = checkUntilPaused(messages, guard);
        clock.advance(Duration.ofMinutes(5));
        assertThatThrownBy(() -> result(check)).isInstanceOfSatisfying(WorkflowStoppedException.class,
                e -> assertThat(e.status()).isEqualTo(WorkflowStatus.FAILED));
        assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.FAILED);
    }

    @Test
    void aPauseThatTimesOutWithResumeRunsOn() throws Exception {
        WorkflowMessages messages = service(builder -> builder.pauseTimeout(Duration.ofMinutes(5))
                .pauseTimeoutOutcome(PauseTimeoutOutcome.RESUME));
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        messages.pause(id, "lunch");
        Future<Checkpoint> check = checkUntilPaused(messages, guard);
        clock.advance(Duration.ofMinutes(5));
        assertThat(result(check).isEmpty()).isTrue();
        assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(messages.getState(id).isPauseRequested()).isFalse();
        assertThat(messages.pause(id, "again").ignored()).as("a new pause is possible").isFalse();
    }

    @Test
    void aPausedCheckpointHonoursThreadInterruptAndTheWorkflowStaysPaused() throws Exception {
        WorkflowMessages messages = service(builder -> builder.pausedCheckInterval(Duration.ofHours(1)));
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        messages.pause(id, "hold");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread loop = new Thread(() -> {
            try {
                guard.check();
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        loop.start();
        await().atMost(WAIT).until(() -> messages.getState(id).paused());
        loop.interrupt();
        loop.join(WAIT.toMillis());
        assertThat(loop.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.PAUSED);

        messages.unpause(id);
        assertThat(messages.guard(id).check().isEmpty()).as("a new loop resumes it").isTrue();
    }

    @Test
    void aCheckpointOfAWorkflowTheHostFinishedThrows() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        messages.complete(id, "done");
        assertThatThrownBy(guard::check).isInstanceOfSatisfying(WorkflowStoppedException.class,
                e -> assertThat(e.status()).isEqualTo(WorkflowStatus.COMPLETED));
    }

    @Test
    void aResumeSentThroughAnotherServiceOnTheSameStoreWakesThePausedCheckpoint() throws Exception {
        WorkflowMessages orchestrator = service(builder -> builder.pausedCheckInterval(Duration.ofHours(1)));
        WorkflowMessages webServer = service();
        long id = startedWorkflow(webServer);
        CheckpointGuard guard = orchestrator.guard(id);
        webServer.pause(id, "hold");
        Future<Checkpoint> check = checkUntilPaused(webServer, guard);
        webServer.unpause(id);
        assertThat(result(check).isEmpty()).isTrue();
    }

    @Test
    void theOrchestratorAndAgentCommentsUseTheDocumentedWording() {
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        guard.agentStarting("plan", "Analyzing codebase and creating implementation plan");
        AgentNarrator code = guard.narrator("code", 11L);
        code.readingFile("src/index.ts");
        code.writingFile("src/components/Button.tsx", 1234);
        code.callingModel("code generation");
        code.buildResult(true);
        code.buildResult(false);
        code.testResult(12, 1);
        guard.agentCompleted("plan", "Plan completed - 5 sub-tasks identified", Map.of("artifactsCount", 5));

        assertThat(transcript(messages, id)).containsExactly(
                "[Agent Comment] Starting plan agent - Analyzing codebase and creating implementation plan",
                "[Agent Comment] Reading file: src/index.ts",
                "[Agent Comment] Writing file: src/components/Button.tsx (1234 bytes)",
                "[Agent Comment] Calling AI model for code generation...",
                "[Agent Comment] Build verification: PASSED",
                "[Agent Comment] Build verification: FAILED",
                "[Agent Comment] Tests: 12 passed, 1 failed",
                "[Agent Comment] plan agent completed: Plan completed - 5 sub-tasks identified");
        List<Message> thread = messages.getMessages(id);
        assertThat(thread.get(1).agentType()).isEqualTo("code");
        assertThat(thread.get(1).agentExecutionId()).isEqualTo(11L);
        assertThat(thread.get(1).metadata()).containsEntry("operation", "read_file").containsEntry("path", "src/index.ts");
        assertThat(thread.get(2).metadata()).containsEntry("bytes", 1234L);
        assertThat(thread.get(4).metadata()).containsEntry("passed", true);
        assertThat(thread.get(7).metadata()).containsEntry("artifactsCount", 5L);
    }

    /** A store that holds the first call of one method, once armed, until opened. */
    private static final class Gate {
        private final String method;
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch proceed = new CountDownLatch(1);
        private final AtomicBoolean armed = new AtomicBoolean();

        Gate(String method) {
            this.method = method;
        }

        ThreadStore around(ThreadStore store) {
            return InterceptedStore.before(store, (called, args) -> {
                if (called.getName().equals(method) && armed.compareAndSet(true, false)) {
                    reached.countDown();
                    proceed.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                }
            });
        }

        void arm() {
            armed.set(true);
        }

        void awaitReached() throws InterruptedException {
            assertThat(reached.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as(method + " reached").isTrue();
        }

        void open() {
            proceed.countDown();
        }
    }

    /**
     * Regression: while a checkpoint applied a resume, a pause came in and made its commit retry;
     * the checkpoint then took the version after its retried commit as "seen", though it had never
     * listed the pause, and answered every later check from memory: the pause was never applied.
     */
    @Test
    void aPauseSentWhileACheckpointAppliesAResumeIsAppliedAtTheNextCheck() throws Exception {
        // Only the agent's service goes through the gate, so the commit it stops is the checkpoint's.
        Gate gate = new Gate("commit");
        WorkflowMessages messages = service();
        WorkflowMessages agent = closeAfter(WorkflowMessages.create(gate.around(store), config().build()));
        long id = startedWorkflow(messages);
        CheckpointGuard guard = agent.guard(id);
        messages.pause(id, "first pause");
        Future<Checkpoint> paused = checkUntilPaused(messages, guard);

        gate.arm();
        messages.unpause(id);
        gate.awaitReached(); // the checkpoint listed the resume and is committing it
        long secondPause = messages.pause(id, "second pause").messageId();
        gate.open();
        assertThat(result(paused).resumed()).isTrue();

        Future<Checkpoint> next = threads(1).submit(guard::check);
        await().atMost(WAIT).until(() -> messages.getState(id).paused());
        assertThat(messages.getMessages(id).stream().filter(m -> m.id() == secondPause).findFirst().orElseThrow()
                .actionStatus()).isEqualTo(ActionStatus.PROCESSED);
        messages.unpause(id);
        assertThat(result(next).resumed()).isTrue();
        assertThat(messages.getPendingUserMessages(id)).isEmpty();
    }

    /**
     * Regression: a checkpoint read the state (paused), another checkpoint then applied a resume,
     * and a new pause came in; the first one read the open messages after all that and, deciding on
     * its old state, ignored the new pause as "already paused".
     */
    @Test
    void aPauseIsNotIgnoredOnAStateReadBeforeAnotherCheckpointResumed() throws Exception {
        Gate gate = new Gate("findOpenUserMessages");
        WorkflowMessages fast = service();
        WorkflowMessages slow = closeAfter(WorkflowMessages.create(gate.around(store), config().build()));
        long id = startedWorkflow(fast);
        fast.pause(id, "first pause");
        Future<Checkpoint> fastCheck = checkUntilPaused(fast, fast.guard(id));

        gate.arm();
        CheckpointGuard slowGuard = slow.guard(id);
        Future<Checkpoint> slowCheck = threads(1).submit(slowGuard::check);
        gate.awaitReached(); // it has read "paused"
        fast.unpause(id);
        assertThat(result(fastCheck).resumed()).isTrue();
        long secondPause = fast.pause(id, "second pause").messageId();
        gate.open();

        await().atMost(WAIT).until(() -> fast.getState(id).paused());
        fast.unpause(id);
        result(slowCheck);
        Message pause = fast.getMessages(id).stream().filter(m -> m.id() == secondPause).findFirst().orElseThrow();
        assertThat(pause.actionStatus()).isEqualTo(ActionStatus.PROCESSED);
        assertThat(fast.getMessages(id)).filteredOn(m -> m.metadata() != null
                && Long.valueOf(secondPause).equals(m.metadata().get("sourceMessageId"))).hasSize(1);
    }

    @Test
    void configurationMistakesAreRefusedWithWhatWasWrong() {
        assertThatThrownBy(() -> WorkflowThreadConfig.builder().pausedCheckInterval(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("pausedCheckInterval must be positive, but was PT0S");
        assertThatThrownBy(() -> WorkflowThreadConfig.builder().pauseTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pauseTimeout");
        assertThatThrownBy(() -> WorkflowThreadConfig.builder().maxContentBytes(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxContentBytes");
        // More than the databases take in one statement (found by a new user's probe).
        assertThatThrownBy(() -> WorkflowThreadConfig.builder().maxContentBytes(100_000_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxContentBytes must be between 1 and 4194304, but was 100000000");
    }
}
