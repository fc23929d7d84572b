package dev.workflowthread.langchain4j;

import dev.workflowthread.inmemory.InMemoryThreadStore;
import dev.workflowthread.spi.ThreadStore;
import org.junit.jupiter.api.DisplayName;

/** The LangChain4j agent on the in-memory store. */
@DisplayName("LangChain4j agent on the in-memory store")
class InMemoryAgentTest extends AgentContract {

    @Override
    ThreadStore newStore() {
        return InMemoryThreadStore.create();
    }
}
