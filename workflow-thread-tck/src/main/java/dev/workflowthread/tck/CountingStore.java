package dev.workflowthread.tck;

import dev.workflowthread.spi.ThreadStore;
import java.util.concurrent.atomic.AtomicLong;

/** Wraps a store and counts the calls that reach it: to show what a quiet checkpoint costs. */
final class CountingStore {
    private final AtomicLong calls = new AtomicLong();
    private final ThreadStore proxy;

    CountingStore(ThreadStore delegate) {
        proxy = InterceptedStore.before(delegate, (method, args) -> calls.incrementAndGet());
    }

    ThreadStore store() {
        return proxy;
    }

    long calls() {
        return calls.get();
    }
}
