package dev.workflowthread.jdbc;

import java.util.ArrayList;
import java.util.List;

/** What a test opened, closed after it in the reverse order: stores, services, pools, proxies. */
final class Closing implements AutoCloseable {
    private final List<AutoCloseable> opened = new ArrayList<>();

    /** Closes {@code closeable} after the test, before whatever was added earlier; returns it. */
    <T extends AutoCloseable> T after(T closeable) {
        opened.add(0, closeable);
        return closeable;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
        opened.clear();
    }
}
