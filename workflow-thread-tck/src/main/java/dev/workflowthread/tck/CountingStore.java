package dev.workflowthread.tck;

import dev.workflowthread.spi.ThreadStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicLong;

/** Wraps a store and counts the calls that reach it: to show what a quiet checkpoint costs. */
final class CountingStore {
    private final AtomicLong calls = new AtomicLong();
    private final ThreadStore proxy;

    CountingStore(ThreadStore delegate) {
        InvocationHandler handler = (self, method, args) -> {
            if (method.getDeclaringClass() == ThreadStore.class) {
                calls.incrementAndGet();
            }
            try {
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        proxy = (ThreadStore) Proxy.newProxyInstance(ThreadStore.class.getClassLoader(),
                new Class<?>[] {ThreadStore.class}, handler);
    }

    ThreadStore store() {
        return proxy;
    }

    long calls() {
        return calls.get();
    }
}
