package dev.workflowthread.jdbc;

import dev.workflowthread.WorkflowMessages;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a cross-process test starts and must stop: its worker JVMs, then its services and stores,
 * newest first; and workflow ids made from the clock, so that runs do not meet each other's data.
 */
final class CrossProcessRun implements AutoCloseable {
    private static final AtomicLong WORKFLOW_IDS = new AtomicLong(System.currentTimeMillis() * 100);

    private final List<WorkerProcess> workers = new ArrayList<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** Closes {@code closeable} when the run closes, before what was added earlier. */
    <T extends AutoCloseable> T closeAfter(T closeable) {
        toClose.add(0, closeable);
        return closeable;
    }

    /** A worker JVM, stopped when the run closes. */
    WorkerProcess worker(WorkerProcess worker) {
        workers.add(worker);
        return worker;
    }

    List<WorkerProcess> workers() {
        return workers;
    }

    /**
     * A service of this JVM on the shared pool of {@code database}, with the tables of
     * {@code prefix}, closed with the run; skips the test when the database cannot be reached.
     */
    WorkflowMessages service(TestDatabase database, String prefix) {
        database.assumeAvailable();
        JdbcThreadStore store = closeAfter(JdbcThreadStore.builder().dataSource(database.dataSource())
                .tablePrefix(prefix).build());
        return closeAfter(WorkflowMessages.create(store));
    }

    /** Starts {@code count} new workflows. */
    List<Long> startWorkflows(WorkflowMessages messages, int count) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long id = WORKFLOW_IDS.incrementAndGet();
            messages.start(id);
            ids.add(id);
        }
        return ids;
    }

    @Override
    public void close() throws Exception {
        for (WorkerProcess worker : workers) {
            worker.close();
        }
        for (AutoCloseable closeable : toClose) {
            closeable.close();
        }
    }
}
