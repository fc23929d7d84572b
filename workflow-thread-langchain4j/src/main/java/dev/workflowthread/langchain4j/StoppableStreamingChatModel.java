package dev.workflowthread.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.CompleteToolCall;
import dev.langchain4j.model.chat.response.PartialResponse;
import dev.langchain4j.model.chat.response.PartialResponseContext;
import dev.langchain4j.model.chat.response.PartialThinking;
import dev.langchain4j.model.chat.response.PartialThinkingContext;
import dev.langchain4j.model.chat.response.PartialToolCall;
import dev.langchain4j.model.chat.response.PartialToolCallContext;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.chat.response.StreamingHandle;
import dev.workflowthread.StopReason;
import dev.workflowthread.StopRequestedException;
import dev.workflowthread.Subscription;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A streaming model built already, with the agent's listener, whose each call ends early when the
 * step's stop token fires: the provider's stream is cancelled through the {@link StreamingHandle}
 * its partial responses carry, the partial answer is narrated as cut short, and the handler gets a
 * {@link StopRequestedException} instead of a complete response. Whatever the provider sends after
 * that is dropped. What the complete response's handler throws (AI Services runs the tools and the
 * next request's checkpoint in it, so a cancel during a tool is thrown there) goes to the handler's
 * {@code onError}, so the caller hears of it whatever the provider does with it.
 */
final class StoppableStreamingChatModel implements StreamingChatModel {

    private final StreamingChatModel delegate;
    private final WorkflowAgent agent;
    private final List<ChatModelListener> listeners;

    StoppableStreamingChatModel(StreamingChatModel delegate, WorkflowAgent agent) {
        this.delegate = delegate;
        this.agent = agent;
        this.listeners = NarratedChatModel.withListener(delegate.listeners(), agent.listener());
    }

    @Override
    public void doChat(ChatRequest chatRequest, StreamingChatResponseHandler handler) {
        StoppingHandler stopping = new StoppingHandler(handler, NarratingListener.modelName(chatRequest, null, provider()));
        stopping.watch(agent.guard().stopToken().onStop(stopping::cut));
        if (!stopping.done.get()) {
            delegate.doChat(chatRequest, stopping);
        }
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return delegate.defaultRequestParameters();
    }

    @Override
    public List<ChatModelListener> listeners() {
        return listeners;
    }

    @Override
    public ModelProvider provider() {
        return delegate.provider();
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return delegate.supportedCapabilities();
    }

    @Override
    public String toString() {
        return "StoppableStreamingChatModel[" + delegate + "]";
    }

    /** Passes the stream on until it ends or the token fires, whichever comes first. */
    private final class StoppingHandler implements StreamingChatResponseHandler {

        private final StreamingChatResponseHandler downstream;
        private final String model;
        private final AtomicBoolean done = new AtomicBoolean();
        private final StringBuilder partial = new StringBuilder();
        private volatile StreamingHandle handle;
        private volatile Subscription subscription;

        StoppingHandler(StreamingChatResponseHandler downstream, String model) {
            this.downstream = downstream;
            this.model = model;
        }

        void watch(Subscription subscription) {
            this.subscription = subscription;
            if (done.get()) {
                subscription.close();
            }
        }

        void cut(StopReason reason) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            StreamingHandle streaming = handle;
            if (streaming != null && !streaming.isCancelled()) {
                streaming.cancel();
            }
            String answered;
            synchronized (partial) {
                answered = partial.toString();
            }
            if (agent.narrates(Narration.MODEL_RESULTS)) {
                String why = reason.kind().name().toLowerCase(Locale.ROOT).replace('_', ' ');
                Map<String, Object> metadata = NarratingListener.metadata("model_cut_short", model);
                metadata.put("reason", reason.kind().name().toLowerCase(Locale.ROOT));
                metadata.put("partial_chars", answered.length());
                metadata.put("partial_answer", agent.truncate(answered));
                agent.say("AI model " + model + " cut short after " + answered.length() + " characters ("
                        + why + ")", metadata);
            }
            downstream.onError(new StopRequestedException(agent.guard().workflowId(), reason));
        }

        private void finished() {
            Subscription watching = subscription;
            if (watching != null) {
                watching.close();
            }
        }

        private void append(String text) {
            if (text != null) {
                synchronized (partial) {
                    partial.append(text);
                }
            }
        }

        @Override
        public void onPartialResponse(String partialResponse) {
            if (!done.get()) {
                append(partialResponse);
                downstream.onPartialResponse(partialResponse);
            }
        }

        @Override
        public void onPartialResponse(PartialResponse partialResponse, PartialResponseContext context) {
            handle = context.streamingHandle();
            if (done.get()) {
                handle.cancel();
                return;
            }
            append(partialResponse.text());
            downstream.onPartialResponse(partialResponse, context);
        }

        @Override
        public void onPartialThinking(PartialThinking partialThinking) {
            if (!done.get()) {
                downstream.onPartialThinking(partialThinking);
            }
        }

        @Override
        public void onPartialThinking(PartialThinking partialThinking, PartialThinkingContext context) {
            handle = context.streamingHandle();
            if (!done.get()) {
                downstream.onPartialThinking(partialThinking, context);
            }
        }

        @Override
        public void onPartialToolCall(PartialToolCall partialToolCall) {
            if (!done.get()) {
                downstream.onPartialToolCall(partialToolCall);
            }
        }

        @Override
        public void onPartialToolCall(PartialToolCall partialToolCall, PartialToolCallContext context) {
            handle = context.streamingHandle();
            if (!done.get()) {
                downstream.onPartialToolCall(partialToolCall, context);
            }
        }

        @Override
        public void onCompleteToolCall(CompleteToolCall completeToolCall) {
            if (!done.get()) {
                downstream.onCompleteToolCall(completeToolCall);
            }
        }

        @Override
        public void onUnmappedRawEvent(Object rawEvent) {
            if (!done.get()) {
                downstream.onUnmappedRawEvent(rawEvent);
            }
        }

        @Override
        public void onCompleteResponse(ChatResponse completeResponse) {
            if (done.compareAndSet(false, true)) {
                finished();
                try {
                    downstream.onCompleteResponse(completeResponse);
                } catch (RuntimeException stoppedOrFailed) {
                    // AI Services runs the tools and the checkpoint of the next request in here, on
                    // the provider's thread: a stop exception thrown there must reach the caller's
                    // onError, not the provider, which may only log it
                    downstream.onError(stoppedOrFailed);
                }
            }
        }

        @Override
        public void onError(Throwable error) {
            if (done.compareAndSet(false, true)) {
                finished();
                downstream.onError(error);
            }
        }
    }
}
