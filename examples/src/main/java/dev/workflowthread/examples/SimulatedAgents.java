package dev.workflowthread.examples;

import dev.workflowthread.AgentNarrator;
import dev.workflowthread.Message;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The plan's six agents, simulated: each one is a short list of steps, and every step narrates
 * one action with an {@link AgentNarrator} helper. A real agent would read files, call a model
 * and run the build where these only say so.
 */
final class SimulatedAgents {

    /** How long a simulated model call takes. Short, so the whole demo runs in well under a second. */
    static final long MODEL_LATENCY_MILLIS = 15;

    /** What the agents of one workflow know besides their task: the notes the person gave so far. */
    interface RunContext {
        List<String> userNotes();
    }

    /** One action of an agent: what it narrates, and how long the simulated work takes. */
    record Step(Function<AgentNarrator, Message> narration, long latencyMillis) {

        static Step of(Function<AgentNarrator, Message> narration) {
            return new Step(narration, 0);
        }

        static Step model(String purpose) {
            return new Step(narrator -> narrator.callingModel(purpose), MODEL_LATENCY_MILLIS);
        }
    }

    /**
     * One agent of the pipeline.
     *
     * @param type        the plan's agent type: plan, scaffold, code, test, review, docs
     * @param description what "Starting {type} agent - …" says
     * @param steps       its actions, with a checkpoint after each
     * @param summary     what "{type} agent completed: …" says
     * @param metadata    structured results for the completion message, or null
     */
    record Agent(String type, String description, Function<RunContext, List<Step>> steps,
                 Function<RunContext, String> summary, Map<String, Object> metadata) {
    }

    private SimulatedAgents() {
    }

    /** The six agents, in the order the orchestrator runs them, for the given task. */
    static List<Agent> pipeline(String task) {
        // The "model" decides which component the task needs.
        boolean dropdown = task.toLowerCase(Locale.ROOT).contains("dropdown");
        String component = dropdown ? "src/components/DropdownMenu.tsx" : "src/components/Button.tsx";
        long componentBytes = dropdown ? 2048 : 1234;
        String componentTest = dropdown ? "src/components/__tests__/DropdownMenu.test.tsx"
                : "src/components/__tests__/Button.test.tsx";

        return List.of(
                new Agent("plan", "Analyzing codebase and creating implementation plan",
                        context -> List.of(
                                Step.of(n -> n.readingFile("package.json")),
                                Step.of(n -> n.readingFile("src/index.ts")),
                                Step.model("implementation planning"),
                                Step.of(n -> n.say("Plan completed - 5 sub-tasks identified"
                                        + notesConsidered(context)))),
                        context -> "5 sub-tasks identified",
                        Map.of("subTasks", 5)),
                new Agent("scaffold", "Creating the settings page skeleton",
                        context -> List.of(
                                Step.of(n -> n.readingFile("src/routes.ts")),
                                Step.of(n -> n.writingFile("src/pages/SettingsPage.tsx", 412)),
                                Step.of(n -> n.writingFile("src/routes.ts", 1873)),
                                Step.of(n -> n.buildResult(true))),
                        context -> "2 files created or updated",
                        Map.of("filesWritten", 2)),
                new Agent("code", "Implementing code changes",
                        context -> List.of(
                                Step.model("code generation"),
                                Step.of(n -> n.writingFile(component, componentBytes)),
                                Step.of(n -> n.writingFile("src/pages/SettingsPage.tsx", 2210)),
                                Step.of(n -> n.buildResult(true))),
                        context -> "2 files written, build passing",
                        Map.of("filesWritten", 2)),
                new Agent("test", "Writing and running tests",
                        context -> List.of(
                                Step.model("test generation"),
                                Step.of(n -> n.writingFile(componentTest, 1580)),
                                Step.of(n -> n.say("Running test suite: npm test")),
                                Step.of(n -> n.testResult(14, 0))),
                        context -> "14 passed, 0 failed",
                        Map.of("passed", 14, "failed", 0)),
                new Agent("review", "Reviewing the changes",
                        context -> List.of(
                                Step.of(n -> n.readingFile(component)),
                                Step.model("code review"),
                                Step.of(n -> n.say("Review: no blocking issues, 1 suggestion (add an aria-label)"))),
                        context -> "approved with 1 suggestion",
                        null),
                new Agent("docs", "Updating the documentation",
                        context -> List.of(
                                Step.of(n -> n.readingFile("README.md")),
                                Step.model("documentation"),
                                Step.of(n -> n.writingFile("docs/settings-page.md", 964))),
                        context -> "1 page written",
                        null));
    }

    private static String notesConsidered(RunContext context) {
        int notes = context.userNotes().size();
        if (notes == 0) {
            return "";
        }
        return notes == 1 ? " (1 user note considered)" : " (" + notes + " user notes considered)";
    }
}
