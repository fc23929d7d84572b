package dev.workflowthread.langchain4j;

/** What a {@link WorkflowAgent} narrates into the thread; every kind is on by default. */
public enum Narration {
    /** "Calling AI model {model}..." before each model call. */
    MODEL_CALLS,
    /** The model's answer (tokens in and out, time taken), its error, or a streamed answer cut short. */
    MODEL_RESULTS,
    /** "Tool {name}({arguments}) returned N characters", a tool's failure, or a tool not run. */
    TOOL_EXECUTIONS
}
