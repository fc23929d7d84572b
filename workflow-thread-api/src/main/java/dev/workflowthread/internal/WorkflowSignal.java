package dev.workflowthread.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The newest state version this JVM has heard of for one workflow, and a place for paused
 * checkpoints to wait for it to change. Reading it is one volatile load: the quiet path of
 * {@code check()}.
 */
final class WorkflowSignal {
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile long version;
    /** How many open guards hold this signal. */
    private final java.util.concurrent.atomic.AtomicInteger holders = new java.util.concurrent.atomic.AtomicInteger();

    WorkflowSignal(long version) {
        this.version = version;
    }

    void hold() {
        holders.incrementAndGet();
    }

    /** Lets go of one hold; true when no open guard holds it any more. */
    boolean release() {
        return holders.decrementAndGet() <= 0;
    }

    boolean isHeld() {
        return holders.get() > 0;
    }

    long version() {
        return version;
    }

    void advance(long newVersion) {
        if (newVersion <= version) {
            return;
        }
        lock.lock();
        try {
            if (newVersion > version) {
                version = newVersion;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits until the version differs from {@code seen} or the time is up; returns the version. */
    long await(long seen, long timeout, TimeUnit unit) throws InterruptedException {
        long nanos = unit.toNanos(timeout);
        lock.lockInterruptibly();
        try {
            while (version == seen && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
            return version;
        } finally {
            lock.unlock();
        }
    }
}
