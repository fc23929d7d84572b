package dev.workflowthread.examples.agents;

import java.util.List;

/**
 * The demo's six agents (plan, scaffold, code, test, review, docs), simulated so that the demo needs no API key: they read and write the
 * files of the {@link Workspace} for real, "call the model" (which takes a while and answers from
 * templates), run a pretend build and test suite ({@link Toolchain}), and narrate every action.
 * What the person wrote into the thread shows up in the files they write.
 */
public final class SimulatedAgents {

    private SimulatedAgents() {
    }

    /** The six agents, in the order the orchestrator runs them, working at {@code pace}. */
    public static List<Agent> pipeline(Pace pace) {
        return List.of(new PlanAgent(pace), new ScaffoldAgent(pace), new CodeAgent(pace), new TestAgent(pace),
                new ReviewAgent(pace), new DocsAgent(pace));
    }

    /** An agent whose run is a sequence of {@link Bench} calls. */
    abstract static class SimulatedAgent implements Agent {
        private final Pace pace;
        private final String type;
        private final String description;

        SimulatedAgent(Pace pace, String type, String description) {
            this.pace = pace;
            this.type = type;
            this.description = description;
        }

        @Override
        public final String type() {
            return type;
        }

        @Override
        public final String description() {
            return description;
        }

        @Override
        public final AgentResult run(AgentContext context) throws InterruptedException {
            return work(new Bench(context, pace));
        }

        abstract AgentResult work(Bench bench) throws InterruptedException;
    }
}
