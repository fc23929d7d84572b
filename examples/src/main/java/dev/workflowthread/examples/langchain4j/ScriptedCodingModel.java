package dev.workflowthread.examples.langchain4j;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;

/**
 * The model the coding assistant runs on when no provider is configured: it plays what a model
 * would do for "add a button" (list the files, read the app, write the button, say what it did),
 * one step per tool result in the request. No network.
 */
public final class ScriptedCodingModel implements ChatModel {

    /** The model name it answers as. */
    public static final String NAME = "scripted-coder";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The button it writes. */
    static final String BUTTON = """
            export function Button({ label, onClick }: { label: string; onClick: () => void }) {
              return <button className="primary" onClick={onClick}>{label}</button>;
            }
            """;

    @Override
    public ChatResponse doChat(ChatRequest request) {
        long toolResults = request.messages().stream().filter(ToolExecutionResultMessage.class::isInstance).count();
        AiMessage answer = switch ((int) toolResults) {
            case 0 -> call("listFiles", "{}");
            case 1 -> call("readFile", "{\"path\":\"src/App.tsx\"}");
            case 2 -> call("writeFile", "{\"path\":\"src/Button.tsx\",\"content\":" + json(BUTTON) + "}");
            default -> AiMessage.from("Added src/Button.tsx, a Button component for src/App.tsx to use.");
        };
        return ChatResponse.builder().aiMessage(answer).modelName(NAME)
                .tokenUsage(new TokenUsage(120 * (int) (toolResults + 1), 30))
                .finishReason(answer.hasToolExecutionRequests() ? FinishReason.TOOL_EXECUTION : FinishReason.STOP)
                .build();
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return DefaultChatRequestParameters.builder().modelName(NAME).build();
    }

    private static AiMessage call(String tool, String arguments) {
        return AiMessage.from(ToolExecutionRequest.builder().id(tool + "-1").name(tool).arguments(arguments).build());
    }

    private static String json(String text) {
        try {
            return JSON.writeValueAsString(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
