package dev.workflowthread.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.util.List;

/**
 * A model that plays a fixed conversation, one answer per call, and keeps every request it got.
 * No network: the answers are written by the test.
 */
final class ScriptedChatModel implements ChatModel {

    static final String NAME = "scripted-model";

    private final List<AiMessage> answers;
    private final Recorded<ChatRequest> requests = new Recorded<>();

    ScriptedChatModel(AiMessage... answers) {
        this.answers = List.of(answers);
    }

    /** An answer asking for tool calls. */
    static AiMessage tools(ToolExecutionRequest... calls) {
        return AiMessage.from(calls);
    }

    /** One tool call with its arguments as JSON. */
    static ToolExecutionRequest call(String id, String name, String arguments) {
        return ToolExecutionRequest.builder().id(id).name(name).arguments(arguments).build();
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        int index = requests.add(request);
        if (index >= answers.size()) {
            throw new IllegalStateException("the script has " + answers.size() + " answers; call " + (index + 1));
        }
        AiMessage answer = answers.get(index);
        return ChatResponse.builder()
                .aiMessage(answer)
                .modelName(NAME)
                .tokenUsage(new TokenUsage(100 + index, 10 + index))
                .finishReason(answer.hasToolExecutionRequests() ? FinishReason.TOOL_EXECUTION : FinishReason.STOP)
                .build();
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return DefaultChatRequestParameters.builder().modelName(NAME).build();
    }

    /** The requests so far, in order. */
    List<ChatRequest> requests() {
        return requests.all();
    }
}
