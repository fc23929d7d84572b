package dev.workflowthread.jdbc;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * How a store on a database without notifications hears other processes, at a cost that does not
 * grow with the number of workflows it watches. Every round (one per poll interval, from the
 * polling thread of {@link OtherProcesses}) it
 * <ol>
 *   <li>reads the ids and workflows of the messages committed since the last round, by the
 *       messages table's primary key: every commit that appends a message, and so every user
 *       message, pause, resume, cancel, redirect and finishing, inserts one;</li>
 *   <li>reads the states of the watched workflows those messages name, and of the workflows
 *       watched since the last round, and tells what moved ({@link ChangeWatcher#recheck});</li>
 *   <li>in some rounds, reads the states of a slice of {@value #SLICE} watched workflows, so that
 *       every watched state is read once per cycle of
 *       {@code max(reconcileInterval / pollInterval, watched / }{@value #SLICE}{@code )} rounds,
 *       the slices spread evenly over it: the backstop for what the first query cannot see.</li>
 * </ol>
 * Idle, a round is one query that finds nothing and at most one of {@value #SLICE} states by
 * primary key, whatever the number watched.
 *
 * <p>Message ids are given in the order the inserts ran, not the order their transactions
 * commit: a transaction that inserted before another and commits after it shows an id below ids
 * already seen. So a round does not read only after the highest id seen, but after the highest id
 * that a round saw {@value #LOOKBACK_MILLIS} ms or more before the previous round began, and
 * passes over the ids it saw already. A message whose transaction took less than that from its
 * insert to its commit is therefore always read: if its id is below the lower end, a higher id
 * was visible, and so its own id given, that long before the previous round, which did not see it
 * committed. Ids below the highest seen that were not seen (rolled back, or still uncommitted) are
 * asked for by name while there are few of them ({@value #MAX_GAPS} at most), so that a round reads
 * again only what it has not seen; with more, it reads everything after the lower end.
 *
 * <p>What the first query cannot see, the slices catch within two cycles: a commit that appends no
 * message but moves the version (a pause or resume that is ignored, as the workflow already is
 * so), a transaction that took longer than the look-back, one in flight when hearing began, and
 * ids that went back (a database whose counter was reset). A workflow watched from the start of
 * one cycle to the end of the next has its state read in both.
 *
 * <p>Used by one thread at a time; a failed round changes nothing of what it knows, and the next
 * reads the same again.
 */
final class ChangePolling {
    /** How long a transaction may take from a message's insert to its commit and still be read at once. */
    static final long LOOKBACK_MILLIS = 1_000;
    /** The most watched states a round reads as the backstop: one query. */
    static final int SLICE = 500;
    /** The most message ids one query reads. */
    static final int PAGE = 1_000;
    /** The most unseen ids below the highest seen that a query names. */
    static final int MAX_GAPS = 100;

    /** The highest id a round saw, and when its query returned. */
    private record Mark(long returnedNanos, long maxId) {
    }

    private final ChangeWatcher watcher;
    private final long lookbackNanos;
    /** Rounds per backstop cycle, before the number watched stretches it. */
    private final int roundsPerCycle;

    /** The marks of the successful rounds still needed for the lower end, oldest first. */
    private final Deque<Mark> marks = new ArrayDeque<>();
    /** When the previous successful round sent its query. */
    private long previousSentNanos;
    /** The ids seen above the lower end. */
    private final NavigableSet<Long> seen = new TreeSet<>();
    /** The highest id seen. */
    private long maxSeen;
    /** The watched workflows whose state was read since they were watched. */
    private final Set<Long> readOnce = new HashSet<>();
    /** This backstop cycle's workflows, the next one to read, and its rounds so far and in all. */
    private List<Long> cycle = List.of();
    private int cycleNext;
    private int cycleRound;
    private int cycleRounds;
    /** The queries of {@value #SLICE} states this cycle takes. */
    private int cycleSlices;

    ChangePolling(ChangeWatcher watcher, Duration pollInterval, Duration reconcileInterval) {
        this(watcher, pollInterval, reconcileInterval, Duration.ofMillis(LOOKBACK_MILLIS));
    }

    /** With a look-back of {@code lookback}; for tests. */
    ChangePolling(ChangeWatcher watcher, Duration pollInterval, Duration reconcileInterval, Duration lookback) {
        this.watcher = watcher;
        this.lookbackNanos = lookback.toNanos();
        this.roundsPerCycle = (int) Math.max(1, Math.min(Integer.MAX_VALUE,
                reconcileInterval.toNanos() / pollInterval.toNanos()));
    }

    /** One round; throws what reading throws, and the listeners are told that hearing is lost. */
    void round() {
        Set<Long> watched = watcher.watchedNow();
        readOnce.retainAll(watched);
        if (watched.isEmpty()) {
            // Nothing to hear: no query, and the next workflow watched starts afresh.
            marks.clear();
            seen.clear();
            cycleRound = cycleRounds;
            return;
        }
        try {
            roundOf(watched);
        } catch (RuntimeException e) {
            watcher.hearingLost();
            throw e;
        }
        watcher.heard();
    }

    private void roundOf(Set<Long> watched) {
        long sent = System.nanoTime();
        Set<Long> changed = new LinkedHashSet<>();
        List<Long> newIds = new ArrayList<>();
        long max = maxSeen;
        if (marks.isEmpty()) {
            // The start: what is there now is read with the states below; what comes after, next round.
            max = watcher.newestMessageId();
        } else {
            long floor = floor();
            List<Long> gaps = gaps(floor);
            long after = gaps == null ? floor : maxSeen;
            List<Long> named = gaps == null ? List.of() : gaps;
            while (true) {
                List<Reads.MessageId> page = watcher.messageIdsAfter(after, named, PAGE);
                for (Reads.MessageId row : page) {
                    if (row.id() > floor && !seen.contains(row.id())) {
                        newIds.add(row.id());
                        if (watched.contains(row.workflowId())) {
                            changed.add(row.workflowId());
                        }
                    }
                    max = Math.max(max, row.id());
                }
                if (page.size() < PAGE) {
                    break;
                }
                after = page.get(page.size() - 1).id();
                named = List.of();
            }
        }
        long returned = System.nanoTime();
        for (long id : watched) {
            if (!readOnce.contains(id)) {
                changed.add(id);
            }
        }
        // What moved first, so that it is told before the backstop's slice is read.
        watcher.recheck(changed, watched);
        watcher.recheck(slice(watched), watched);

        readOnce.addAll(changed);
        seen.addAll(newIds);
        maxSeen = max;
        marks.addLast(new Mark(returned, max));
        previousSentNanos = sent;
        long floor = floor();
        seen.headSet(floor, true).clear();
    }

    /**
     * The lower end of the next query: the highest id of the newest round whose query returned at
     * least the look-back before the previous round sent its own; the oldest mark while there is
     * none that old (the start). Drops the marks no later round needs.
     */
    private long floor() {
        long limit = previousSentNanos - lookbackNanos;
        Mark oldest = marks.removeFirst();
        while (!marks.isEmpty() && marks.getFirst().returnedNanos() - limit <= 0) {
            oldest = marks.removeFirst();
        }
        marks.addFirst(oldest);
        return oldest.maxId();
    }

    /** The ids from {@code floor} to the highest seen that were not seen, or null when there are too many. */
    private List<Long> gaps(long floor) {
        List<Long> gaps = new ArrayList<>();
        long expected = floor + 1;
        for (long id : seen.tailSet(floor, false)) {
            for (long gap = expected; gap < id; gap++) {
                if (gaps.size() == MAX_GAPS) {
                    return null;
                }
                gaps.add(gap);
            }
            expected = id + 1;
        }
        for (long gap = expected; gap <= maxSeen; gap++) {
            if (gaps.size() == MAX_GAPS) {
                return null;
            }
            gaps.add(gap);
        }
        return gaps;
    }

    /**
     * This round's slice of the backstop cycle, starting a new cycle when the last one is done:
     * {@value #SLICE} workflows (the last slice the rest) in as many of the cycle's rounds as
     * there are slices, spread evenly over it, and none in the others.
     */
    private List<Long> slice(Set<Long> watched) {
        if (cycleRound >= cycleRounds) {
            List<Long> all = new ArrayList<>(watched);
            Collections.sort(all);
            cycle = all;
            cycleNext = 0;
            cycleRound = 0;
            cycleSlices = (all.size() + SLICE - 1) / SLICE;
            cycleRounds = Math.max(roundsPerCycle, cycleSlices);
        }
        long due = (long) (cycleRound + 1) * cycleSlices / cycleRounds - (long) cycleRound * cycleSlices / cycleRounds;
        cycleRound++;
        if (due == 0) {
            return List.of();
        }
        int size = Math.min(SLICE, cycle.size() - cycleNext);
        List<Long> slice = cycle.subList(cycleNext, cycleNext + size);
        cycleNext += size;
        return slice;
    }
}
