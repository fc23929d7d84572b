package dev.workflowthread.langchain4j;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.request.DefaultChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A streaming model that plays one answer per call on its own thread, in the given parts. A part
 * {@link #HOLD} makes it wait (at most {@link #HOLD_AT_MOST}) for the stream to be cancelled before
 * it goes on; cancelled, it sends nothing more, as a provider whose connection was closed.
 */
final class ScriptedStreamingChatModel implements StreamingChatModel {

    static final String NAME = "scripted-stream";
    static final String HOLD = "\u0000hold";
    static final Duration HOLD_AT_MOST = Duration.ofSeconds(20);
    /** A part that starts with this ends the answer with a call of the tool named after it, its arguments after a space. */
    static final String TOOL = "\u0000tool:";

    private final List<List<String>> answers;
    private final Recorded<ChatRequest> requests = new Recorded<>();
    private final Recorded<Handle> handles = new Recorded<>();

    /** A model that plays {@code answers}, one per call, each a list of parts. */
    ScriptedStreamingChatModel(List<List<String>> answers) {
        this.answers = List.copyOf(answers);
    }

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        int index = requests.add(request);
        Handle handle = new Handle();
        handles.add(handle);
        List<String> parts = answers.get(index);
        Thread stream = new Thread(() -> play(parts, handle, handler), "scripted-stream-" + index);
        stream.setDaemon(true);
        stream.start();
    }

    private static void play(List<String> parts, Handle handle, StreamingChatResponseHandler handler) {
        StringBuilder text = new StringBuilder();
        for (String part : parts) {
            if (part.equals(HOLD)) {
                try {
                    handle.cancelled.await(HOLD_AT_MOST.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            if (handle.isCancelled()) {
                return;
            }
            if (part.startsWith(TOOL)) {
                String[] tool = part.substring(TOOL.length()).split(" ", 2);
                handler.onCompleteResponse(ChatResponse.builder()
                        .aiMessage(AiMessage.from(ToolExecutionRequest.builder().id("s1").name(tool[0]).arguments(tool[1]).build()))
                        .modelName(NAME).finishReason(FinishReason.TOOL_EXECUTION).build());
                return;
            }
            if (!part.equals(HOLD)) {
                text.append(part);
                handler.onPartialResponse(new PartialResponse(part), new PartialResponseContext(handle));
            }
        }
        handler.onCompleteResponse(ChatResponse.builder()
                .aiMessage(AiMessage.from(text.toString()))
                .modelName(NAME)
                .tokenUsage(new TokenUsage(50, text.length()))
                .finishReason(FinishReason.STOP)
                .build());
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return DefaultChatRequestParameters.builder().modelName(NAME).build();
    }

    List<ChatRequest> requests() {
        return requests.all();
    }

    List<Handle> handles() {
        return handles.all();
    }

    /** The stream's handle: cancelling it ends the stream. */
    static final class Handle implements StreamingHandle {
        private final CountDownLatch cancelled = new CountDownLatch(1);

        @Override
        public void cancel() {
            cancelled.countDown();
        }

        @Override
        public boolean isCancelled() {
            return cancelled.getCount() == 0;
        }
    }
}
