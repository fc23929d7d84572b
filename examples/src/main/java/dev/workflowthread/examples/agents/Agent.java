package dev.workflowthread.examples.agents;

/**
 * One agent of the pipeline the {@link DemoOrchestrator} runs: the plan, scaffold, code, test,
 * review and docs agents. Small on purpose: a host plugs in an agent backed by a real model
 * by implementing these three methods; the simulated ones of {@link SimulatedAgents} need no API
 * key.
 *
 * <p>{@link #run} does the agent's work and narrates every action through
 * {@link AgentContext#narrator()}. Between two steps it calls {@link AgentContext#checkpoint()},
 * which blocks while the person has the workflow paused, hands over what they wrote, and throws
 * when they cancelled or redirected it: the agent lets that exception pass.
 */
public interface Agent {

    /** The agent's type, as its messages carry it ({@code plan}, {@code code}, …); at most 50 characters. */
    String type();

    /** What "Starting {type} agent - {description}" says. */
    String description();

    /**
     * Does the agent's part of the workflow's task.
     *
     * @return what "{type} agent completed: {summary}" says, with structured results
     * @throws InterruptedException when the server stops the run
     */
    AgentResult run(AgentContext context) throws InterruptedException;
}
