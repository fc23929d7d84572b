package dev.workflowthread.examples.agents;

import dev.workflowthread.AgentNarrator;
import dev.workflowthread.Answer;
import dev.workflowthread.StopToken;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * A simulated agent's tools for one run: every call does the thing for real on the workspace (or
 * pretends to, for the model), narrates it in the narrator's wording, waits as long as the {@link Pace}
 * says, and then takes the checkpoint. The waits watch the step's stop token: a cancel, a redirect
 * or an urgent message ends them early, and a model call or a tool run cut short says so
 * ("Model call cut short: urgent instruction"), takes the checkpoint (which applies or hands over
 * what fired the token) and starts again, with what the person said.
 */
final class Bench {
    private final AgentContext context;
    private final Pace pace;
    private final Workspace workspace;
    private final Feature feature;

    /** How long a question waits for the person, or null when the agents ask nothing. */
    private final Duration questionTimeout;

    Bench(AgentContext context, Pace pace, Duration questionTimeout) {
        this.context = context;
        this.pace = pace;
        this.questionTimeout = questionTimeout;
        this.workspace = Workspace.at(context.workspace());
        this.feature = Feature.of(context.task());
    }

    Feature feature() {
        return feature;
    }

    String task() {
        return context.task();
    }

    Workspace workspace() {
        return workspace;
    }

    /** The person's notes so far. */
    List<String> notes() {
        return context.userNotes();
    }

    /** "Reading file: {path}", and its text. */
    String read(String path) throws InterruptedException {
        context.narrator().readingFile(path);
        String text = workspace.read(path);
        step();
        return text;
    }

    /** Writes the file, then "Writing file: {path} ({bytes} bytes)". */
    void write(String path, String content) throws InterruptedException {
        long bytes = workspace.write(path, content);
        context.narrator().writingFile(path, bytes);
        step();
    }

    /** A comment of the agent's own. */
    void say(String text) throws InterruptedException {
        context.narrator().say(text);
        step();
    }

    /**
     * "Calling AI model for {purpose}...", the model's time to answer, and its answer. An urgent
     * message cuts the call short; the call is made again once the message is handed over, so the
     * answer takes it into account.
     */
    <T> T askModel(String purpose, Supplier<T> answer) throws InterruptedException {
        context.narrator().callingModel(purpose);
        pretend(pace.modelCall(), "Model call", () -> context.narrator().callingModel(purpose + ", again"));
        context.checkpoint();
        return answer.get();
    }

    /** Whether this run asks the person questions (the demo server's agents do). */
    boolean asksQuestions() {
        return questionTimeout != null;
    }

    /**
     * Asks the person, offering {@code options}; {@code defaultAnswer} goes when nobody answers
     * within the question timeout. Then takes the checkpoint.
     */
    Answer ask(String question, List<String> options, String defaultAnswer) throws InterruptedException {
        Answer answer = context.ask(question, options, questionTimeout, defaultAnswer);
        context.checkpoint();
        return answer;
    }

    /** Runs the pretend build: "Build verification: PASSED", or the problems and FAILED. */
    boolean build() throws InterruptedException {
        AgentNarrator narrator = context.narrator();
        String running = "Running build: npm run build (type-checking " + Toolchain.sources(workspace).size() + " files)";
        narrator.say(running);
        pretend(pace.toolRun(), "Build", () -> narrator.say(running + ", again"));
        List<String> problems = Toolchain.typeCheck(workspace);
        for (String problem : problems) {
            narrator.say("Build error: " + problem);
        }
        narrator.buildResult(problems.isEmpty());
        step();
        return problems.isEmpty();
    }

    /** Runs the pretend test suite, narrating each file and case; returns {passed, failed}. */
    int[] test() throws InterruptedException {
        say("Running test suite: npm test");
        pretend(pace.toolRun(), "Test run", () -> context.narrator().say("Running test suite again: npm test"));
        int passed = 0;
        int failed = 0;
        for (Toolchain.TestFile file : Toolchain.runTests(workspace)) {
            if (file.passed()) {
                say("PASS " + file.path() + " (" + file.cases().size() + " tests)");
                for (String testCase : file.cases()) {
                    say("  ✓ " + testCase);
                }
                passed += file.cases().size();
            } else {
                say("FAIL " + file.path() + ": " + file.error());
                failed += Math.max(1, file.cases().size());
            }
        }
        context.narrator().testResult(passed, failed);
        step();
        return new int[] {passed, failed};
    }

    private void step() throws InterruptedException {
        // A step is short: cut short, it ends without a word, and the checkpoint acts at once.
        Pace.await(pace.step(), context.stopToken());
        context.checkpoint();
    }

    /** What a cut-short piece of work starts again with. */
    @FunctionalInterface
    private interface Restart {
        void run() throws InterruptedException;
    }

    /**
     * Waits as long as the pretend work takes; each time the stop token cuts it short, says so,
     * takes the checkpoint (a cancel or redirect throws there) and starts the work again.
     */
    private void pretend(Duration duration, String what, Restart restart) throws InterruptedException {
        while (true) {
            StopToken token = context.stopToken();
            if (Pace.await(duration, token)) {
                return;
            }
            context.narrator().say(what + " cut short: " + context.stopCause(token.reason().orElseThrow()));
            context.checkpoint();
            restart.run();
        }
    }
}
