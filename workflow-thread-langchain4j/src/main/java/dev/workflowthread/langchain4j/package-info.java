/**
 * LangChain4j agents that narrate their model calls and tool executions into the workflow's
 * thread and stop at its checkpoints, with one line of wiring: {@link
 * dev.workflowthread.langchain4j.WorkflowThreadAgents#wrap(dev.workflowthread.CheckpointGuard, String, Long)}
 * gives the {@link dev.workflowthread.langchain4j.WorkflowAgent} to plug into {@code AiServices}.
 */
package dev.workflowthread.langchain4j;
