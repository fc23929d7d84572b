package dev.workflowthread.jdbc;

import dev.workflowthread.StorageException;
import dev.workflowthread.spi.Commit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Comments from all threads of this JVM, committed together: the commits that only append agent
 * or system messages ({@link CommentBatch#qualifies}) queue here, and one caller at a time writes
 * whatever is queued, across workflows, in one transaction ({@link CommentBatch}).
 *
 * <p>The writer is a caller, not a thread of its own: a commit that finds nobody writing writes
 * at once (a lone caller waits for nothing), and one that finds a writer at work waits. When a
 * writer's batch is done it hands the writing to the first commit still queued, which takes
 * everything queued by then, and returns. Each caller returns once its own batch ended: with its
 * commit stored, or with its failure.
 */
final class GroupCommit {
    private final Transactions transactions;
    private final CommentBatch batch;
    /** Guards {@link #queue} and {@link #writing}. */
    private final Object lock = new Object();
    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    /** True while some caller writes; then the queue's head, if any, is the next writer. */
    private boolean writing;
    /** The most commits one batch held so far. */
    private int largestBatch;

    GroupCommit(Transactions transactions, CommentBatch batch) {
        this.transactions = transactions;
        this.batch = batch;
    }

    /**
     * Commits {@code commit}, which {@link CommentBatch#qualifies}, with whatever else is queued, and
     * returns when it is stored.
     *
     * @throws StorageException (or its {@code OutcomeUnknownException}) naming this commit's
     *         operation, when the batch failed; {@code WorkflowNotFoundException} when its workflow
     *         has no state row
     */
    CommentBatch.Outcome commit(Commit commit) {
        Waiter own = new Waiter(commit);
        boolean lead;
        synchronized (lock) {
            queue.add(own);
            lead = !writing;
            writing = true;
        }
        if (!lead && !own.awaitTurn()) {
            return own.outcome();
        }
        write();
        return own.outcome();
    }

    /** How many commits wait for a batch now. */
    int queued() {
        synchronized (lock) {
            return queue.size();
        }
    }

    /** The most commits one batch held so far. */
    int largestBatch() {
        synchronized (lock) {
            return largestBatch;
        }
    }

    /** Writes what is queued (this caller's own commit first), then hands the writing on. */
    private void write() {
        List<Waiter> taken = new ArrayList<>();
        synchronized (lock) {
            int messages = 0;
            while (!queue.isEmpty() && (taken.isEmpty()
                    || messages + queue.peek().commit.messages().size() <= CommentBatch.MAX_MESSAGES)) {
                Waiter next = queue.poll();
                messages += next.commit.messages().size();
                taken.add(next);
            }
            largestBatch = Math.max(largestBatch, taken.size());
        }
        try {
            List<Commit> commits = taken.stream().map(waiter -> waiter.commit).toList();
            String operation = "commit comments to " + commits.stream().map(Commit::workflowId).distinct().count()
                    + " workflows";
            List<CommentBatch.Outcome> outcomes = transactions.transaction(operation,
                    handle -> batch.apply(handle, commits));
            for (int i = 0; i < taken.size(); i++) {
                taken.get(i).done(outcomes.get(i), null);
            }
        } catch (RuntimeException | Error e) {
            for (Waiter waiter : taken) {
                waiter.done(null, e);
            }
        } finally {
            Waiter next;
            synchronized (lock) {
                next = queue.peek();
                writing = next != null;
            }
            if (next != null) {
                next.lead();
            }
        }
    }

    /** A queued commit and its caller, until its batch ended. */
    private static final class Waiter {
        private static final int WAITING = 0;
        private static final int LEADING = 1;
        private static final int DONE = 2;

        final Commit commit;
        private final Thread thread = Thread.currentThread();
        private volatile int state = WAITING;
        private CommentBatch.Outcome outcome;
        private Throwable failure;

        Waiter(Commit commit) {
            this.commit = commit;
        }

        /**
         * Waits, not to be interrupted (the commit goes on either way), until the batch holding
         * this commit ended or this caller is to write; true for the latter.
         */
        boolean awaitTurn() {
            boolean interrupted = false;
            while (state == WAITING) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                thread.interrupt();
            }
            return state == LEADING;
        }

        void lead() {
            state = LEADING;
            LockSupport.unpark(thread);
        }

        void done(CommentBatch.Outcome outcome, Throwable failure) {
            this.outcome = outcome;
            this.failure = failure;
            state = DONE; // publishes the fields above
            if (thread != Thread.currentThread()) {
                LockSupport.unpark(thread);
            }
        }

        /** What this commit came to, or its failure, as the single commit would throw it. */
        CommentBatch.Outcome outcome() {
            String operation = "commit to workflow " + commit.workflowId();
            if (failure instanceof StorageException storage) {
                throw Transactions.sameFailure(operation, storage);
            }
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (failure instanceof Error error) {
                throw error;
            }
            if (outcome.failure() != null) {
                throw outcome.failure();
            }
            return outcome;
        }
    }
}
