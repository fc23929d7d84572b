package dev.workflowthread.inmemory;

import dev.workflowthread.spi.ThreadStore;
import dev.workflowthread.tck.ThreadStoreContract;

/** The whole contract suite against the in-memory store. */
class InMemoryThreadStoreTest extends ThreadStoreContract {

    @Override
    protected ThreadStore createStore() {
        return InMemoryThreadStore.create();
    }
}
