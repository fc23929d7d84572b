package dev.workflowthread.langchain4j;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A model built already, with one more listener. {@code ChatModel.chat} merges the default
 * request parameters and calls the listeners around {@code doChat}; this model lends its
 * delegate's parameters, listeners and provider to that, and its {@code doChat} is the delegate's.
 */
final class NarratedChatModel implements ChatModel {

    private final ChatModel delegate;
    private final List<ChatModelListener> listeners;

    NarratedChatModel(ChatModel delegate, ChatModelListener listener) {
        this.delegate = delegate;
        this.listeners = withListener(delegate.listeners(), listener);
    }

    static List<ChatModelListener> withListener(List<ChatModelListener> own, ChatModelListener listener) {
        List<ChatModelListener> all = new ArrayList<>(own == null ? List.of() : own);
        all.add(listener);
        return List.copyOf(all);
    }

    @Override
    public ChatResponse doChat(ChatRequest chatRequest) {
        return delegate.doChat(chatRequest);
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
        return "NarratedChatModel[" + delegate + "]";
    }
}
