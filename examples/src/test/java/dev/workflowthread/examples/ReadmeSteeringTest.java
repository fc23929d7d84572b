package dev.workflowthread.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.workflowthread.ActionType;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.Message;
import dev.workflowthread.SendRequest;
import dev.workflowthread.WorkflowCancelledException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.inmemory.InMemoryThreadStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The README's steering example: it stands in the README as compiled, and does what the README says. */
class ReadmeSteeringTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final ExecutorService pool = Executors.newSingleThreadExecutor();
    private final WorkflowMessages messages = WorkflowMessages.create(InMemoryThreadStore.create());

    @AfterEach
    void stop() {
        pool.shutdownNow();
        messages.close();
    }

    @Test
    void theReadmeShowsTheStepAsItIsCompiled() throws Exception {
        assertThat(ReadmeSnippet.readme()).contains(ReadmeSnippet.of("ReadmeSteering.java", 4));
    }

    private Message awaitQuestion(long id) {
        await().atMost(WAIT).until(() -> messages.getMessages(id).stream().anyMatch(Message::isQuestion));
        return messages.getMessages(id).stream().filter(Message::isQuestion).findFirst().orElseThrow();
    }

    private void answer(long id, String choice) {
        Message question = awaitQuestion(id);
        messages.send(id, SendRequest.of(ActionType.COMMENT, choice)
                .withMetadata(Map.of(Message.IN_REPLY_TO, question.id(), Message.CHOICE, choice)));
    }

    @Test
    void theAnswerReachesTheModelCallAndAnUrgentInstructionCutsItShort() throws Exception {
        messages.start(1);
        CheckpointGuard guard = messages.guard(1);
        CompletableFuture<Void> never = new CompletableFuture<>();
        List<String> prompts = new java.util.concurrent.CopyOnWriteArrayList<>();
        Future<String> step = pool.submit(() -> new ReadmeSteering().codeStep(guard,
                ReadmeSteering.answeringWhen(never, prompt -> {
                    prompts.add(prompt);
                    return prompt;
                })));
        answer(1, "PrimaryButton");
        await().atMost(WAIT).until(() -> messages.getMessages(1).stream()
                .anyMatch(m -> m.content().equals("Question answered by a person: PrimaryButton")));

        messages.send(1, SendRequest.of(ActionType.INSTRUCTION, "Use the design system's Card instead")
                .withMetadata(Map.of(Message.DELIVERY, "interrupt")));

        assertThat(step.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("cut short");
        assertThat(guard.check().instructions()).extracting(Message::content)
                .containsExactly("Use the design system's Card instead");
    }

    @Test
    void theStepFinishesWhenNothingStopsItAndACancelStopsIt() throws Exception {
        messages.start(2);
        CheckpointGuard guard = messages.guard(2);
        CompletableFuture<Void> gate = new CompletableFuture<>();
        Future<String> step = pool.submit(() -> new ReadmeSteering().codeStep(guard,
                ReadmeSteering.answeringWhen(gate, prompt -> "done: " + prompt)));
        answer(2, "Button");
        await().atMost(WAIT).until(() -> messages.getMessages(2).stream()
                .anyMatch(m -> m.content().startsWith("Question answered")));
        gate.complete(null);
        assertThat(step.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("done: Write the Button component");

        CompletableFuture<Void> never = new CompletableFuture<>();
        Future<String> second = pool.submit(() -> new ReadmeSteering().codeStep(guard,
                ReadmeSteering.answeringWhen(never, prompt -> prompt)));
        await().atMost(WAIT).until(() -> messages.getMessages(2).stream().filter(Message::isQuestion).count() == 2);
        Message question = messages.getMessages(2).stream().filter(Message::isQuestion).reduce((a, b) -> b).orElseThrow();
        messages.send(2, SendRequest.of(ActionType.COMMENT, "Button")
                .withMetadata(Map.of(Message.IN_REPLY_TO, question.id(), Message.CHOICE, "Button")));
        await().atMost(WAIT).until(() -> messages.getMessages(2).stream()
                .filter(m -> m.content().startsWith("Question answered")).count() == 2);
        messages.cancel(2, "wrong repository");
        assertThat(second.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("cut short");
        assertThatThrownBy(guard::check).isInstanceOf(WorkflowCancelledException.class);
    }

    @Test
    void aSkipIsAcknowledgedInTheThread() throws Exception {
        messages.start(3);
        CheckpointGuard guard = messages.guard(3);
        messages.send(3, SendRequest.of(ActionType.INSTRUCTION, "skip to the review")
                .withMetadata(Map.of(Message.SKIP_TO_AGENT, "review")));
        assertThat(new ReadmeSteering().codeStep(guard, prompt -> new CompletableFuture<>())).isEqualTo("skipped");
        assertThat(messages.getMessages(3)).extracting(Message::content)
                .contains("Skipping to review agent at user request");
    }
}
