package dev.workflowthread.examples.agents;

import dev.workflowthread.AgentNarrator;
import java.util.List;
import java.util.function.Supplier;

/**
 * A simulated agent's tools for one run: every call does the thing for real on the workspace (or
 * pretends to, for the model), narrates it in the narrator's wording, waits as long as the {@link Pace}
 * says, and then takes the checkpoint.
 */
final class Bench {
    private final AgentContext context;
    private final Pace pace;
    private final Workspace workspace;
    private final Feature feature;

    Bench(AgentContext context, Pace pace) {
        this.context = context;
        this.pace = pace;
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

    /** "Calling AI model for {purpose}...", the model's time to answer, and its answer. */
    <T> T askModel(String purpose, Supplier<T> answer) throws InterruptedException {
        context.narrator().callingModel(purpose);
        Pace.await(pace.modelCall());
        context.checkpoint();
        return answer.get();
    }

    /** Runs the pretend build: "Build verification: PASSED", or the problems and FAILED. */
    boolean build() throws InterruptedException {
        AgentNarrator narrator = context.narrator();
        narrator.say("Running build: npm run build (type-checking " + Toolchain.sources(workspace).size() + " files)");
        Pace.await(pace.toolRun());
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
        Pace.await(pace.toolRun());
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
        Pace.await(pace.step());
        context.checkpoint();
    }
}
