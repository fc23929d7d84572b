package dev.workflowthread.jdbc;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import javax.sql.DataSource;

/** Connections of a real pool whose calls a test watches or changes: to cut, fail or hold a commit. */
final class ConnectionHooks {
    private ConnectionHooks() {
    }

    /** Runs {@code hook} on the real connection each time the store commits a transaction on it. */
    static DataSource beforeCommit(DataSource dataSource, ConnectionHook hook) {
        return aroundConnection(dataSource, (real, method, args) -> {
            if (method.getName().equals("commit")) {
                hook.beforeCommit(real);
            }
            return invoke(real, method, args);
        });
    }

    /** Passes every call on a connection of {@code dataSource} through {@code handler}. */
    static DataSource aroundConnection(DataSource dataSource, ConnectionCalls handler) {
        return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
                (self, method, args) -> {
                    Object result = invoke(dataSource, method, args);
                    if (method.getName().equals("getConnection")) {
                        Connection real = (Connection) result;
                        return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                                (proxy, connectionMethod, connectionArgs) ->
                                        handler.call(real, connectionMethod, connectionArgs));
                    }
                    return result;
                });
    }

    @FunctionalInterface
    interface ConnectionCalls {
        Object call(Connection real, java.lang.reflect.Method method, Object[] args) throws Throwable;
    }

    static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @FunctionalInterface
    interface ConnectionHook {
        void beforeCommit(Connection connection) throws Exception;
    }
}
