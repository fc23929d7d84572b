package dev.workflowthread.examples;

import dev.workflowthread.Checkpoint;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.Message;
import dev.workflowthread.QuestionTimeout;
import dev.workflowthread.StopToken;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The README's steering example, compiled and tested: a step that a cancel, a redirect or an
 * urgent message cuts short, a question with a deadline, and a skip ({@code ReadmeSteeringTest}
 * checks that the README shows it as it is here, and runs it).
 */
final class ReadmeSteering {
    /** A model client with an asynchronous call, as most SDKs and HTTP clients have. */
    interface Model {
        CompletableFuture<String> generate(String prompt);
    }

    // README-BEGIN
    String codeStep(CheckpointGuard guard, Model model) throws InterruptedException {
        Checkpoint checkpoint = guard.check();             // applies a cancel, pause, redirect ...
        if (checkpoint.skipTo().isPresent()) {             // {"metadata": {"skipToAgent": "review"}}
            Message skip = checkpoint.instructions().get(checkpoint.instructions().size() - 1);
            guard.acknowledge(skip, "Skipping to " + checkpoint.skipTo().get() + " agent at user request");
            return "skipped";
        }
        String name = guard.ask("Which component name should I use?", List.of("Button", "PrimaryButton"),
                Duration.ofMinutes(5), QuestionTimeout.answer("Button")).text();
        StopToken token = guard.stopToken();               // fires on cancel, redirect, urgent message
        CompletableFuture<String> call = model.generate("Write the " + name + " component");
        token.onStop(reason -> call.cancel(true));         // so "Stop" stops the call in progress
        try {
            return call.join();
        } catch (CancellationException cutShort) {
            return "cut short";                            // the next check() applies what fired it
        }
    }
    // README-END

    /** A model that answers with {@code answer} once {@code gate} lets it. */
    static Model answeringWhen(CompletableFuture<Void> gate, Function<String, String> answer) {
        return prompt -> gate.thenApply(ignored -> answer.apply(prompt));
    }
}
