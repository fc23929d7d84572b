package dev.workflowthread.examples.agents;

import java.time.Duration;
import java.util.List;

/**
 * The demo's six agents (plan, scaffold, code, test, review, docs), simulated so that the demo needs no API key: they read and write the
 * files of the {@link Workspace} for real, "call the model" (which takes a while and answers from
 * templates), run a pretend build and test suite ({@link Toolchain}), and narrate every action.
 * What the person wrote into the thread shows up in the files they write. Their pretend model
 * calls and builds end early when the step's stop token fires (a cancel, a redirect, an urgent
 * message), and, when asked to, the code agent asks the person which name to give a button
 * component.
 */
public final class SimulatedAgents {

    private SimulatedAgents() {
    }

    /** The six agents, in the order the orchestrator runs them, working at {@code pace}; they ask nothing. */
    public static List<Agent> pipeline(Pace pace) {
        return pipeline(pace, null);
    }

    /**
     * The six agents, working at {@code pace}. For a task that asks for a button ("… with a save
     * button"), the code agent asks which component name to use, going on with the default when
     * nobody answers within {@code questionTimeout}.
     *
     * @param questionTimeout how long a question waits, or null for agents that ask nothing
     */
    public static List<Agent> pipeline(Pace pace, Duration questionTimeout) {
        if (questionTimeout != null && (questionTimeout.isNegative() || questionTimeout.isZero())) {
            throw new IllegalArgumentException("questionTimeout must be positive, but was " + questionTimeout);
        }
        return List.of(new PlanAgent(pace), new ScaffoldAgent(pace), new CodeAgent(pace), new TestAgent(pace),
                new ReviewAgent(pace), new DocsAgent(pace)).stream()
                .<Agent>map(agent -> agent.asking(questionTimeout)).toList();
    }

    /** An agent whose run is a sequence of {@link Bench} calls. */
    abstract static class SimulatedAgent implements Agent {
        private final Pace pace;
        private final String type;
        private final String description;
        private Duration questionTimeout;

        SimulatedAgent(Pace pace, String type, String description) {
            this.pace = pace;
            this.type = type;
            this.description = description;
        }

        /** Lets this agent ask the person, waiting {@code timeout} (null: it asks nothing). */
        final SimulatedAgent asking(Duration timeout) {
            this.questionTimeout = timeout;
            return this;
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
            return work(new Bench(context, pace, questionTimeout));
        }

        abstract AgentResult work(Bench bench) throws InterruptedException;
    }
}
