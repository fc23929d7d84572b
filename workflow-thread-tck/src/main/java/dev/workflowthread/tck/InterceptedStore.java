package dev.workflowthread.tck;

import dev.workflowthread.spi.ThreadStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.Callable;

/** Wraps a store so a test can count, hold or race its calls, to force one interleaving. */
final class InterceptedStore {

    /** Sees every store call; {@code proceed} makes the real call and returns its result. */
    @FunctionalInterface
    interface Interceptor {
        Object intercept(Method method, Object[] args, Callable<Object> proceed) throws Exception;
    }

    /** Runs on the calling thread before each store call. */
    @FunctionalInterface
    interface Before {
        void before(Method method, Object[] args) throws Exception;
    }

    private InterceptedStore() {
    }

    static ThreadStore around(ThreadStore store, Interceptor interceptor) {
        return (ThreadStore) Proxy.newProxyInstance(ThreadStore.class.getClassLoader(),
                new Class<?>[] {ThreadStore.class}, (self, method, args) -> {
                    try {
                        return interceptor.intercept(method, args, () -> method.invoke(store, args));
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    static ThreadStore before(ThreadStore store, Before hook) {
        return around(store, (method, args, proceed) -> {
            hook.before(method, args);
            return proceed.call();
        });
    }
}
