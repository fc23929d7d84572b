package dev.workflowthread.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.listener.ChatModelErrorContext;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelRequestContext;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.TokenUsage;
import dev.workflowthread.AgentNarrator;
import dev.workflowthread.StopRequestedException;
import dev.workflowthread.WorkflowStoppedException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Narrates model calls: "Calling AI model {name}..." on the request, then the answer with the
 * tokens in and out and the time taken, or the error. LangChain4j calls a listener on the model's
 * own thread and logs (and swallows) what it throws, so a listener only narrates; the checkpoint
 * is in the request transformer. A response also tells the agent that the model has seen what was
 * added to its request, which the agent then acknowledges.
 */
final class NarratingListener implements ChatModelListener {

    private static final String STARTED = NarratingListener.class.getName() + ".started";

    private final WorkflowAgent agent;

    NarratingListener(WorkflowAgent agent) {
        this.agent = agent;
    }

    @Override
    public void onRequest(ChatModelRequestContext context) {
        context.attributes().put(STARTED, System.nanoTime());
        if (!agent.narrates(Narration.MODEL_CALLS)) {
            return;
        }
        ChatRequest request = context.chatRequest();
        String model = modelName(request, null, context.modelProvider());
        Map<String, Object> metadata = metadata("model_call", model);
        metadata.put("messages", request.messages().size());
        metadata.put("tools", request.toolSpecifications() == null ? 0 : request.toolSpecifications().size());
        agent.say("Calling AI model " + model + "...", metadata);
    }

    @Override
    public void onResponse(ChatModelResponseContext context) {
        try {
            narrateResponse(context);
        } finally {
            agent.acknowledgeSeen();
        }
    }

    private void narrateResponse(ChatModelResponseContext context) {
        if (!agent.narrates(Narration.MODEL_RESULTS)) {
            return;
        }
        ChatResponse response = context.chatResponse();
        String model = modelName(context.chatRequest(), response, context.modelProvider());
        Map<String, Object> metadata = metadata("model_response", model);
        TokenUsage usage = response.metadata() == null ? null : response.metadata().tokenUsage();
        if (usage != null && usage.inputTokenCount() != null) {
            metadata.put("tokens_in", usage.inputTokenCount());
        }
        if (usage != null && usage.outputTokenCount() != null) {
            metadata.put("tokens_out", usage.outputTokenCount());
        }
        putDuration(metadata, context.attributes());
        if (response.metadata() != null && response.metadata().finishReason() != null) {
            metadata.put("finish_reason", response.metadata().finishReason().name().toLowerCase(java.util.Locale.ROOT));
        }
        AiMessage answer = response.aiMessage();
        String content;
        if (answer != null && answer.hasToolExecutionRequests()) {
            List<String> tools = answer.toolExecutionRequests().stream().map(ToolExecutionRequest::name).toList();
            metadata.put("tool_calls", tools);
            content = "AI model " + model + " asked for " + tools.size() + (tools.size() == 1 ? " tool: " : " tools: ")
                    + String.join(", ", tools);
        } else {
            int length = answer == null || answer.text() == null ? 0 : answer.text().length();
            metadata.put("answer_chars", length);
            content = "AI model " + model + " answered (" + length + " characters)";
        }
        agent.say(content, metadata);
    }

    @Override
    public void onError(ChatModelErrorContext context) {
        Throwable error = context.error();
        if (error instanceof StopRequestedException || error instanceof WorkflowStoppedException
                || error instanceof AgentInterruptedException || !agent.narrates(Narration.MODEL_RESULTS)) {
            return; // no failure of the model: a stream cut short is narrated where it is cut, a stop by the guard
        }
        String model = modelName(context.chatRequest(), null, context.modelProvider());
        Map<String, Object> metadata = metadata("model_error", model);
        String message = context.error().getMessage() == null ? context.error().getClass().getName()
                : context.error().getMessage();
        metadata.put("error", agent.truncate(message));
        putDuration(metadata, context.attributes());
        agent.say("AI model " + model + " failed: " + agent.truncate(message), metadata);
    }

    /** The model's name: the request's, else the response's, else the provider's. */
    static String modelName(ChatRequest request, ChatResponse response, ModelProvider provider) {
        if (request != null && request.modelName() != null && !request.modelName().isBlank()) {
            return request.modelName();
        }
        if (response != null && response.metadata() != null && response.metadata().modelName() != null) {
            return response.metadata().modelName();
        }
        return provider == null || provider == ModelProvider.OTHER ? "(unnamed)" : provider.name();
    }

    static Map<String, Object> metadata(String operation, String model) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put(AgentNarrator.OPERATION, operation);
        metadata.put("model", model);
        return metadata;
    }

    private static void putDuration(Map<String, Object> metadata, Map<Object, Object> attributes) {
        if (attributes.get(STARTED) instanceof Long started) {
            metadata.put("duration_ms", (System.nanoTime() - started) / 1_000_000);
        }
    }
}
