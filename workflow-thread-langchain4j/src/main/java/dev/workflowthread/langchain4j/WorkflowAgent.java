package dev.workflowthread.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.tool.BeforeToolExecution;
import dev.langchain4j.service.tool.ToolErrorHandlerResult;
import dev.langchain4j.service.tool.ToolExecution;
import dev.workflowthread.ActionType;
import dev.workflowthread.AgentNarrator;
import dev.workflowthread.Checkpoint;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.InvalidArgumentException;
import dev.workflowthread.Message;
import dev.workflowthread.WorkflowStoppedException;
import dev.workflowthread.WorkflowThreadException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One LangChain4j agent of a workflow: it narrates the agent's model calls and tool executions
 * into the workflow's thread, and holds the agent at a checkpoint before each of them. Get one from
 * {@link WorkflowThreadAgents}; one per agent run, used by one AI Service call at a time.
 *
 * <pre>{@code
 * WorkflowAgent agent = WorkflowThreadAgents.wrap(guard, "code", executionId);
 * Assistant assistant = agent.wire(AiServices.builder(Assistant.class))
 *         .chatModel(agent.chatModel(model))
 *         .chatMemory(agent.chatMemory(MessageWindowChatMemory.withMaxMessages(40)))
 *         .tools(new FileTools(workspace), agent.askUserTool())
 *         .build();
 * }</pre>
 *
 * <h2>The LangChain4j hooks it uses (LangChain4j 1.19)</h2>
 * <p>Built and tested on LangChain4j 1.19.0, the newest 1.x release of {@code langchain4j} and
 * {@code langchain4j-open-ai} at the time; the hooks below are in every 1.x release since 1.11
 * ({@code beforeToolExecution} and {@code afterToolExecution} came then). They were chosen over
 * wrapping each {@code ToolExecutor} or a {@code ToolProvider} because AI Services calls them for
 * every tool however it was registered ({@code tools(objects)}, a map of executors, providers), on the
 * calling thread, and lets what they throw end the call.
 * <ul>
 *   <li>{@code AiServices.chatRequestTransformer}, applied by AI Services to every request it
 *       sends, the first and each one after tool results, streaming or not: it calls
 *       {@link CheckpointGuard#check()} (a pause holds the call here; a cancel or redirect ends it
 *       with the library's {@link WorkflowStoppedException}) and adds the instructions and comments
 *       handed over as user messages, to the request and to the chat memory given to
 *       {@link #chatMemory(ChatMemory)}. Transformers can throw; listeners cannot (LangChain4j
 *       logs and swallows what a {@link ChatModelListener} throws), which is why the checkpoint is
 *       here and not in the listener.</li>
 *   <li>{@code AiServices.beforeToolExecution}: a checkpoint before each tool; when it stops the
 *       workflow the tool does not run, the thread says so, and the exception ends the AI Service
 *       call. {@code AiServices.afterToolExecution}: the tool's narration, with the result's size
 *       or the failure's message. {@code AiServices.toolExecutionErrorHandler}: a tool's failure
 *       goes back to the model as text (LangChain4j's default), except the library's stop
 *       exceptions, which end the call.</li>
 *   <li>A {@link ChatModelListener} ({@link #listener()}): "Calling AI model {name}..." on the
 *       request, then the tokens in and out and the time taken, or the error. The decorators
 *       {@link #chatModel(ChatModel)} and {@link #streamingChatModel(StreamingChatModel)} add it
 *       to a model already built; a host that builds its model itself may pass it to the model's
 *       builder ({@code .listeners(List.of(agent.listener()))}) instead.</li>
 *   <li>The streaming decorator cancels the provider's stream ({@code StreamingHandle.cancel()})
 *       when the step's {@link CheckpointGuard#stopToken() stop token} fires, narrates the partial
 *       answer as cut short, and ends the call with a {@link dev.workflowthread.StopRequestedException}.</li>
 * </ul>
 *
 * <p>{@link #wire(AiServices)} sets the AI Service's {@code chatRequestTransformer},
 * {@code beforeToolExecution}, {@code afterToolExecution} and {@code toolExecutionErrorHandler};
 * a host that sets one of them itself afterwards replaces this agent's, and should call
 * {@link #beforeModelCall}, {@link #beforeToolExecution} or {@link #afterToolExecution} from its own.
 * A guard is for one thread at a time, so leave {@code executeToolsConcurrently()} off for an AI
 * Service wired this way.
 */
public final class WorkflowAgent {

    private static final Logger LOG = LoggerFactory.getLogger(WorkflowAgent.class);
    private static final int MAX_ACKNOWLEDGED_LENGTH = 200;

    private final CheckpointGuard guard;
    private final AgentNarrator narrator;
    private final Set<Narration> narration;
    private final ToolCallFormat format;
    private final Duration questionTimeout;
    private final NarratingListener listener;

    /** Handed over by a checkpoint, not yet in a request to the model. */
    private final List<Message> waiting = new ArrayList<>();
    /** In a request to the model, not yet acknowledged. */
    private final List<Message> sent = new ArrayList<>();
    private volatile ChatMemory memory;

    private WorkflowAgent(Builder builder) {
        this.guard = builder.guard;
        this.narrator = guard.narrator(builder.agentType, builder.executionId);
        this.narration = Set.copyOf(builder.narration);
        this.format = new ToolCallFormat(builder.redactor, builder.maxArgumentLength);
        this.questionTimeout = builder.questionTimeout;
        this.listener = new NarratingListener(this);
    }

    /**
     * A builder for an agent of the workflow {@code guard} watches.
     *
     * @param guard the checkpoint guard of the agent loop
     * @return the builder
     * @throws InvalidArgumentException naming {@code guard} when it is null
     */
    public static Builder builder(CheckpointGuard guard) {
        return new Builder(guard);
    }

    /**
     * Sets this agent's hooks on an AI Service builder: the checkpoint and the handed-over messages
     * before each model request, the checkpoint before each tool, the narration after it, and stop
     * exceptions out of tools ending the call.
     *
     * @param aiServices the AI Service builder
     * @param <T>        the AI Service interface
     * @return the same builder, to go on with {@code .chatModel(...)} and the rest
     * @throws InvalidArgumentException naming {@code aiServices} when it is null
     */
    public <T> AiServices<T> wire(AiServices<T> aiServices) {
        return required("aiServices", aiServices)
                .chatRequestTransformer(this::beforeModelCall)
                .beforeToolExecution(this::beforeToolExecution)
                .afterToolExecution(this::afterToolExecution)
                .toolExecutionErrorHandler((error, context) -> {
                    if (error instanceof WorkflowStoppedException stopped) {
                        throw stopped;
                    }
                    if (error instanceof AgentInterruptedException interrupted) {
                        throw interrupted;
                    }
                    String message = error.getMessage();
                    return ToolErrorHandlerResult.text(message == null || message.isBlank()
                            ? error.getClass().getName() : message);
                });
    }

    /**
     * The model with this agent's {@link #listener()} added to its own listeners; calls go to
     * {@code model}'s {@code doChat}, with its default request parameters.
     *
     * @param model the model, built as usual
     * @return a model that narrates each call
     * @throws InvalidArgumentException naming {@code model} when it is null
     */
    public ChatModel chatModel(ChatModel model) {
        return new NarratedChatModel(required("model", model), listener);
    }

    /**
     * The streaming model with this agent's {@link #listener()} added, whose calls are cancelled
     * when the step's stop token fires (a cancel, a redirect, an urgent message): the provider's
     * stream is cancelled, the partial answer narrated as cut short, and the call's handler gets a
     * {@link dev.workflowthread.StopRequestedException} (on the thread that fired the token).
     *
     * @param model the streaming model, built as usual
     * @return a model that narrates each call and stops when the workflow asks
     * @throws InvalidArgumentException naming {@code model} when it is null
     */
    public StreamingChatModel streamingChatModel(StreamingChatModel model) {
        return new StoppableStreamingChatModel(required("model", model), this);
    }

    /**
     * Remembers the agent's chat memory: the instructions and comments a checkpoint hands over are
     * added to it (as user messages), so the model sees them in this request and every later one.
     * Without it they reach the next request only.
     *
     * @param memory the memory the AI Service uses
     * @return {@code memory}, to pass on to {@code AiServices.chatMemory}
     * @throws InvalidArgumentException naming {@code memory} when it is null
     */
    public ChatMemory chatMemory(ChatMemory memory) {
        this.memory = required("memory", memory);
        return memory;
    }

    /**
     * The listener that narrates model calls, for a model's builder ({@code .listeners(...)}).
     *
     * @return this agent's listener
     */
    public ChatModelListener listener() {
        return listener;
    }

    /**
     * A tool object the model can call to ask the person a question ({@code askUser}), backed by
     * {@link CheckpointGuard#ask}, with this agent's question timeout.
     *
     * @return a new tool object, for {@code AiServices.tools(...)}
     */
    public AskUserTool askUserTool() {
        return new AskUserTool(guard, questionTimeout);
    }

    /**
     * The narrator this agent writes with.
     *
     * @return the narrator, with the agent's type and execution id
     */
    public AgentNarrator narrator() {
        return narrator;
    }

    /**
     * The guard this agent checks.
     *
     * @return the guard
     */
    public CheckpointGuard guard() {
        return guard;
    }

    /**
     * What {@link #wire} runs before each model request: acknowledges the messages the model has
     * seen, calls {@link CheckpointGuard#check()}, and adds what it (or a checkpoint before a tool)
     * handed over to the request and the chat memory, as user messages ("Instruction: ...",
     * "Note: ..."). They are acknowledged ({@link CheckpointGuard#acknowledge}) when the
     * {@link #listener()} sees the model's answer to that request, or, with a model that does not
     * carry the listener, at this agent's next checkpoint.
     *
     * @param request the request AI Services is about to send
     * @return the request to send
     * @throws WorkflowStoppedException   when the workflow was cancelled or redirected
     * @throws AgentInterruptedException  when the thread was interrupted while paused
     */
    public ChatRequest beforeModelCall(ChatRequest request) {
        acknowledgeSeen();
        checkpoint();
        List<Message> notes;
        synchronized (this) {
            notes = List.copyOf(waiting);
            waiting.clear();
            sent.addAll(notes);
        }
        if (notes.isEmpty()) {
            return request;
        }
        List<ChatMessage> messages = new ArrayList<>(request.messages());
        ChatMemory chatMemory = memory;
        for (Message note : notes) {
            UserMessage userMessage = UserMessage.from(noteText(note));
            messages.add(userMessage);
            if (chatMemory != null) {
                chatMemory.add(userMessage);
            }
        }
        return request.toBuilder().messages(messages).build();
    }

    /**
     * What {@link #wire} runs before each tool: a checkpoint. When it stops the workflow, the tool
     * does not run: the thread says "Tool {call} not run: the workflow was cancelled" and the
     * exception ends the AI Service call. What the checkpoint hands over goes into the next request.
     *
     * @param before the tool call about to run
     * @throws WorkflowStoppedException  when the workflow was cancelled or redirected
     * @throws AgentInterruptedException when the thread was interrupted while paused
     */
    public void beforeToolExecution(BeforeToolExecution before) {
        acknowledgeSeen();
        try {
            checkpoint();
        } catch (WorkflowStoppedException stopped) {
            if (narrates(Narration.TOOL_EXECUTIONS)) {
                ToolExecutionRequest request = before.request();
                Map<String, String> arguments = format.arguments(request);
                Map<String, Object> metadata = toolMetadata("tool_not_run", request, arguments);
                metadata.put("status", stopped.status().name().toLowerCase(Locale.ROOT));
                say("Tool " + format.call(request, arguments) + " not run: the workflow was "
                        + stopped.status().name().toLowerCase(Locale.ROOT), metadata);
            }
            throw stopped;
        }
    }

    /**
     * What {@link #wire} runs after each tool: "Tool readFile(path=src/index.ts) returned 1234
     * characters" (metadata {@code operation = tool_call}, {@code tool}, {@code arguments},
     * {@code result_chars}, {@code duration_ms}), or "Tool ... failed: {message}"
     * ({@code operation = tool_error}, {@code error}).
     *
     * @param execution the tool call and its result
     */
    public void afterToolExecution(ToolExecution execution) {
        if (!narrates(Narration.TOOL_EXECUTIONS)) {
            return;
        }
        ToolExecutionRequest request = execution.request();
        Map<String, String> arguments = format.arguments(request);
        String call = format.call(request, arguments);
        String result = execution.result() == null ? "" : execution.result();
        boolean failed = execution.hasFailed();
        Map<String, Object> metadata = toolMetadata(failed ? "tool_error" : "tool_call", request, arguments);
        metadata.put("duration_ms", execution.duration().toMillis());
        if (failed) {
            metadata.put("error", format.truncate(result));
            say("Tool " + call + " failed: " + format.truncate(result), metadata);
        } else {
            metadata.put("result_chars", result.length());
            say("Tool " + call + " returned " + result.length() + " characters", metadata);
        }
    }

    boolean narrates(Narration kind) {
        return narration.contains(kind);
    }

    String truncate(String text) {
        return format.truncate(text);
    }

    /** Posts a comment; a narration the store refuses is logged, and the agent goes on. */
    void say(String content, Map<String, Object> metadata) {
        try {
            narrator.say(content, metadata);
        } catch (WorkflowThreadException refused) {
            LOG.warn("workflow {}: narration not stored: {}", guard.workflowId(), refused.getMessage());
        }
    }

    /** Acknowledges what the model has seen: the messages of the requests sent so far. */
    void acknowledgeSeen() {
        List<Message> seen;
        synchronized (this) {
            if (sent.isEmpty()) {
                return;
            }
            seen = List.copyOf(sent);
            sent.clear();
        }
        for (Message message : seen) {
            try {
                guard.acknowledge(message, "Acknowledged user context - " + shorten(message.content()));
            } catch (WorkflowThreadException refused) {
                LOG.warn("workflow {}: message {} not acknowledged: {}", guard.workflowId(), message.id(),
                        refused.getMessage());
            }
        }
    }

    private void checkpoint() {
        Checkpoint checkpoint;
        try {
            checkpoint = guard.check();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new AgentInterruptedException("interrupted while workflow " + guard.workflowId()
                    + " was paused", interrupted);
        }
        if (!checkpoint.isEmpty()) {
            synchronized (this) {
                waiting.addAll(checkpoint.messages());
            }
        }
    }

    private static String noteText(Message message) {
        return (message.actionType() == ActionType.INSTRUCTION ? "Instruction: " : "Note: ") + message.content();
    }

    private static String shorten(String content) {
        return content.length() <= MAX_ACKNOWLEDGED_LENGTH ? content
                : content.substring(0, MAX_ACKNOWLEDGED_LENGTH) + "…";
    }

    private static Map<String, Object> toolMetadata(String operation, ToolExecutionRequest request,
                                                    Map<String, String> arguments) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(AgentNarrator.OPERATION, operation);
        metadata.put("tool", request.name());
        metadata.put("arguments", new LinkedHashMap<>(arguments));
        return metadata;
    }

    static <T> T required(String field, T value) {
        if (value == null) {
            throw new InvalidArgumentException(field, InvalidArgumentException.Reason.MISSING,
                    field + " must not be null");
        }
        return value;
    }

    /** The settings of a {@link WorkflowAgent}; every one has a default. */
    public static final class Builder {

        /** The default longest argument value shown in the thread, in characters. */
        public static final int DEFAULT_MAX_ARGUMENT_LENGTH = 80;
        /** The default time the person has to answer an {@code askUser} question. */
        public static final Duration DEFAULT_QUESTION_TIMEOUT = Duration.ofMinutes(5);

        private final CheckpointGuard guard;
        private String agentType;
        private Long executionId;
        private EnumSet<Narration> narration = EnumSet.allOf(Narration.class);
        private ArgumentRedactor redactor = ArgumentRedactor.SECRETS;
        private int maxArgumentLength = DEFAULT_MAX_ARGUMENT_LENGTH;
        private Duration questionTimeout = DEFAULT_QUESTION_TIMEOUT;

        private Builder(CheckpointGuard guard) {
            this.guard = required("guard", guard);
        }

        /**
         * The agent's type, the {@code agent_type} of its narration.
         *
         * @param agentType for instance {@code "code"}, or null
         * @return this builder
         */
        public Builder agentType(String agentType) {
            this.agentType = agentType;
            return this;
        }

        /**
         * The host's id of this run of the agent, the {@code agent_execution_id} of its narration.
         *
         * @param executionId the id, or null
         * @return this builder
         */
        public Builder executionId(Long executionId) {
            this.executionId = executionId;
            return this;
        }

        /**
         * What to narrate (all of {@link Narration} by default).
         *
         * @param kinds the kinds to narrate, possibly none
         * @return this builder
         * @throws InvalidArgumentException naming {@code narration} when it is or holds null
         */
        public Builder narrate(Narration... kinds) {
            if (kinds == null || java.util.Arrays.asList(kinds).contains(null)) {
                throw new InvalidArgumentException("narration", InvalidArgumentException.Reason.MISSING,
                        "narration must not be or hold null");
            }
            this.narration = kinds.length == 0 ? EnumSet.noneOf(Narration.class) : EnumSet.copyOf(List.of(kinds));
            return this;
        }

        /**
         * What the thread shows of each tool argument ({@link ArgumentRedactor#SECRETS} by default).
         *
         * @param redactor the redactor
         * @return this builder
         * @throws InvalidArgumentException naming {@code redactor} when it is null
         */
        public Builder redactor(ArgumentRedactor redactor) {
            this.redactor = required("redactor", redactor);
            return this;
        }

        /**
         * The longest argument value (and tool error) shown, in characters; longer ones end in "…".
         *
         * @param maxArgumentLength 1 or more ({@value #DEFAULT_MAX_ARGUMENT_LENGTH} by default)
         * @return this builder
         * @throws InvalidArgumentException naming {@code maxArgumentLength} when it is less than 1
         */
        public Builder maxArgumentLength(int maxArgumentLength) {
            if (maxArgumentLength < 1) {
                throw new InvalidArgumentException("maxArgumentLength", InvalidArgumentException.Reason.OUT_OF_RANGE,
                        "maxArgumentLength must be 1 or more, was " + maxArgumentLength);
            }
            this.maxArgumentLength = maxArgumentLength;
            return this;
        }

        /**
         * How long the person has to answer an {@code askUser} question (5 minutes by default).
         *
         * @param questionTimeout a positive duration
         * @return this builder
         * @throws InvalidArgumentException naming {@code questionTimeout} when it is null, zero or negative
         */
        public Builder questionTimeout(Duration questionTimeout) {
            if (questionTimeout == null || questionTimeout.isZero() || questionTimeout.isNegative()) {
                throw new InvalidArgumentException("questionTimeout", InvalidArgumentException.Reason.OUT_OF_RANGE,
                        "questionTimeout must be positive, was " + questionTimeout);
            }
            this.questionTimeout = questionTimeout;
            return this;
        }

        /**
         * The agent.
         *
         * @return a new agent with these settings
         */
        public WorkflowAgent build() {
            return new WorkflowAgent(this);
        }
    }
}
