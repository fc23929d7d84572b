package dev.workflowthread.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionType;
import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.WorkflowNotFoundException;
import dev.workflowthread.WorkflowState;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.spi.Commit;
import dev.workflowthread.spi.CommitResult;
import dev.workflowthread.spi.NewMessage;
import dev.workflowthread.spi.OpenMessage;
import dev.workflowthread.spi.Resolution;
import dev.workflowthread.spi.StateUpdate;
import dev.workflowthread.spi.StoreChange;
import dev.workflowthread.spi.StoreChangeListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The storage SPI itself: what {@code ThreadStore} promises, tested without the service on top. */
public abstract class StoreSpiContract extends ContractSupport {

    /** Constructor for a store's test class that extends this part of the contract. */
    public StoreSpiContract() {
    }

    private Instant now() {
        return clock.instant();
    }

    private NewMessage agent(String content) {
        return new NewMessage(null, MessageType.AGENT, "code", content, null, ActionType.COMMENT,
                ActionStatus.PROCESSED, now(), null);
    }

    private NewMessage user(ActionType action) {
        return new NewMessage(null, MessageType.USER, null, action.wireName() + " please", null, action,
                ActionStatus.PENDING, now(), "ana");
    }

    private Message append(long workflowId, NewMessage message) {
        return store.commit(Commit.append(workflowId, message)).appended().get(0);
    }

    @Test
    void createIfAbsentStartsRunningOnceAndReturnsTheExistingStateAfterwards() {
        long id = newWorkflowId();
        assertThat(store.findState(id)).isEmpty();
        WorkflowState created = store.createIfAbsent(id, now());
        assertThat(created.status()).isEqualTo(WorkflowStatus.RUNNING);
        assertThat(created.lastSeq()).isZero();
        append(id, agent("one"));
        WorkflowState again = store.createIfAbsent(id, now());
        assertThat(again.lastSeq()).isEqualTo(1);
        assertThat(store.findState(id)).contains(again);
    }

    @Test
    void appendedMessagesGetConsecutiveSeqsPerWorkflowAndIdsUniqueAcrossWorkflows() {
        long a = newWorkflowId();
        long b = newWorkflowId();
        store.createIfAbsent(a, now());
        store.createIfAbsent(b, now());
        CommitResult first = store.commit(Commit.append(a, agent("a1"), agent("a2")));
        Message b1 = append(b, agent("b1"));
        Message a3 = append(a, agent("a3"));
        assertThat(first.appended()).extracting(Message::seq).containsExactly(1L, 2L);
        assertThat(b1.seq()).isEqualTo(1);
        assertThat(a3.seq()).isEqualTo(3);
        Set<Long> ids = new HashSet<>(List.of(first.appended().get(0).id(), first.appended().get(1).id(), b1.id(), a3.id()));
        assertThat(ids).hasSize(4);
        assertThat(store.findState(a).orElseThrow().lastSeq()).isEqualTo(3);
        assertThat(first.state().version()).as("agent messages do not bump the version").isZero();
    }

    @Test
    void aStateUpdateWithAStaleVersionIsAConflictThatWritesNothing() {
        long id = newWorkflowId();
        WorkflowState state = store.createIfAbsent(id, now());
        StateUpdate pause = StateUpdate.of(state).pauseRequested(now(), "why");
        CommitResult ok = store.commit(Commit.transition(id, state.version(), pause, List.of(), List.of(user(ActionType.PAUSE))));
        assertThat(ok.committed()).isTrue();
        assertThat(ok.state().version()).isEqualTo(state.version() + 1);
        assertThat(ok.state().pauseRequestedAt()).isNotNull();

        CommitResult stale = store.commit(Commit.transition(id, state.version(), StateUpdate.of(state),
                List.of(), List.of(user(ActionType.RESUME))));
        assertThat(stale.committed()).isFalse();
        assertThat(stale.state()).isEqualTo(ok.state());
        assertThat(store.readAfter(id, 0, 10)).hasSize(1);
    }

    @Test
    void aRequiredResolutionThatDoesNotHoldMakesTheWholeCommitAConflict() {
        long id = newWorkflowId();
        WorkflowState state = store.createIfAbsent(id, now());
        Message pause = append(id, user(ActionType.PAUSE));
        assertThat(store.claim(pause.id(), "owner-1", now(), now().plusSeconds(60))).isPresent();

        CommitResult wrongOwner = store.commit(Commit.transition(id, state.version(), StateUpdate.of(state).pausedAt(now()),
                List.of(Resolution.ofClaimed(pause.id(), "owner-2", ActionStatus.PROCESSED)), List.of(agent("paused"))));
        assertThat(wrongOwner.committed()).isFalse();
        assertThat(store.findState(id).orElseThrow().paused()).isFalse();
        assertThat(store.readAfter(id, 0, 10)).hasSize(1);

        CommitResult rightOwner = store.commit(Commit.transition(id, state.version(), StateUpdate.of(state).pausedAt(now()),
                List.of(Resolution.ofClaimed(pause.id(), "owner-1", ActionStatus.PROCESSED)), List.of(agent("paused"))));
        assertThat(rightOwner.committed()).isTrue();
        assertThat(store.findMessage(pause.id()).orElseThrow().actionStatus()).isEqualTo(ActionStatus.PROCESSED);
        assertThat(store.findOpenUserMessages(id, 0, 10)).isEmpty();

        CommitResult again = store.commit(new Commit(id, Commit.ANY_VERSION, null,
                List.of(Resolution.ofOpen(pause.id(), ActionStatus.IGNORED)), List.of()));
        assertThat(again.committed()).as("a closed message cannot be closed again").isFalse();
        assertThat(store.findMessage(pause.id()).orElseThrow().actionStatus()).isEqualTo(ActionStatus.PROCESSED);
    }

    @Test
    void anOptionalResolutionOfAClosedMessageIsSkipped() {
        long id = newWorkflowId();
        store.createIfAbsent(id, now());
        Message first = append(id, user(ActionType.INSTRUCTION));
        Message second = append(id, user(ActionType.INSTRUCTION));
        store.commit(new Commit(id, Commit.ANY_VERSION, null, List.of(Resolution.ofOpen(first.id(), ActionStatus.PROCESSED)), List.of()));
        CommitResult result = store.commit(new Commit(id, Commit.ANY_VERSION, null, List.of(
                Resolution.ifOpen(first.id(), ActionStatus.IGNORED), Resolution.ifOpen(second.id(), ActionStatus.IGNORED)),
                List.of()));
        assertThat(result.committed()).isTrue();
        assertThat(store.findMessage(first.id()).orElseThrow().actionStatus()).isEqualTo(ActionStatus.PROCESSED);
        assertThat(store.findMessage(second.id()).orElseThrow().actionStatus()).isEqualTo(ActionStatus.IGNORED);
    }

    @Test
    void aResolutionOfAnotherWorkflowsMessageIsAConflict() {
        long a = newWorkflowId();
        long b = newWorkflowId();
        store.createIfAbsent(a, now());
        store.createIfAbsent(b, now());
        Message ofB = append(b, user(ActionType.INSTRUCTION));
        CommitResult result = store.commit(new Commit(a, Commit.ANY_VERSION, null,
                List.of(Resolution.ofOpen(ofB.id(), ActionStatus.PROCESSED)), List.of(agent("sneaky"))));
        assertThat(result.committed()).isFalse();
        assertThat(store.findMessage(ofB.id()).orElseThrow().actionStatus()).isEqualTo(ActionStatus.PENDING);
        assertThat(store.readAfter(a, 0, 10)).isEmpty();
    }

    @Test
    void aCommitToAnUnknownWorkflowThrowsWorkflowNotFound() {
        long id = newWorkflowId();
        assertThatThrownBy(() -> store.commit(Commit.append(id, agent("x"))))
                .isInstanceOf(WorkflowNotFoundException.class);
        assertThat(store.findState(id)).isEmpty();
    }

    @Test
    void onlyOneOfManyConcurrentClaimsOfAMessageWinsAndAnExpiredLeaseCanBeTakenAgain() throws Exception {
        long id = newWorkflowId();
        store.createIfAbsent(id, now());
        Message instruction = append(id, user(ActionType.INSTRUCTION));
        ExecutorService pool = threads(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Optional<Message>>> claims = new ArrayList<>();
        Instant at = now();
        for (int i = 0; i < 8; i++) {
            String owner = "owner-" + i;
            claims.add(pool.submit(() -> {
                start.await();
                return store.claim(instruction.id(), owner, at, at.plusSeconds(60));
            }));
        }
        start.countDown();
        int winners = 0;
        for (Future<Optional<Message>> claim : claims) {
            if (claim.get().isPresent()) {
                winners++;
                assertThat(claim.get().get().actionStatus()).isEqualTo(ActionStatus.ACKNOWLEDGED);
            }
        }
        assertThat(winners).isEqualTo(1);
        OpenMessage open = store.findOpenUserMessages(id, 0, 10).get(0);
        assertThat(open.leaseOwner()).startsWith("owner-");
        assertThat(open.leaseExpiresAt()).isEqualTo(at.plusSeconds(60));

        assertThat(store.claim(instruction.id(), "late", at.plusSeconds(59), at.plusSeconds(120))).isEmpty();
        assertThat(store.claim(instruction.id(), "late", at.plusSeconds(60), at.plusSeconds(120))).isPresent();
        assertThat(store.findOpenUserMessages(id, 0, 10).get(0).leaseOwner()).isEqualTo("late");
    }

    @Test
    void openUserMessagesAreListedInSeqOrderAfterTheCursorWithoutClosedOrAgentMessages() {
        long id = newWorkflowId();
        store.createIfAbsent(id, now());
        Message p1 = append(id, user(ActionType.PAUSE));
        append(id, agent("narration"));
        Message p2 = append(id, user(ActionType.INSTRUCTION));
        Message p3 = append(id, user(ActionType.COMMENT));
        Message closed = append(id, user(ActionType.INSTRUCTION));
        store.commit(new Commit(id, Commit.ANY_VERSION, null, List.of(Resolution.ofOpen(closed.id(), ActionStatus.PROCESSED)), List.of()));

        assertThat(store.findOpenUserMessages(id, 0, 10)).extracting(o -> o.message().id())
                .containsExactly(p1.id(), p2.id(), p3.id());
        assertThat(store.findOpenUserMessages(id, p1.seq(), 10)).extracting(o -> o.message().id())
                .containsExactly(p2.id(), p3.id());
        assertThat(store.findOpenUserMessages(id, 0, 2)).extracting(o -> o.message().id())
                .containsExactly(p1.id(), p2.id());
        assertThat(store.findOpenUserMessages(id, 0, 10).get(0).isPending()).isTrue();
    }

    @Test
    void readAfterAndReadNewestPageByTheSeq() {
        long id = newWorkflowId();
        store.createIfAbsent(id, now());
        for (int i = 1; i <= 25; i++) {
            append(id, agent("message " + i));
        }
        assertThat(store.readAfter(id, 0, 10)).extracting(Message::seq).containsExactlyElementsOf(seqs(1, 10));
        assertThat(store.readAfter(id, 20, 10)).extracting(Message::seq).containsExactlyElementsOf(seqs(21, 25));
        assertThat(store.readAfter(id, 25, 10)).isEmpty();
        assertThat(store.readNewest(id, 5)).extracting(Message::seq).containsExactlyElementsOf(seqs(21, 25));
        assertThat(store.readNewest(id, 100)).hasSize(25);
        assertThat(store.readAfter(newWorkflowId(), 0, 10)).isEmpty();
    }

    @Test
    void contentAndMetadataRoundTripVerbatimWithMillisecondTimes() {
        long id = newWorkflowId();
        store.createIfAbsent(id, now());
        String content = "Émoji 🚀👩‍💻 and 中文, quotes \" ' \\ and <b>tags</b>\nsecond line\t" + "x".repeat(60_000);
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("list", List.of(1, "two", true));
        nested.put("empty", null);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("newTaskDescription", "Build a dropdown 🎯");
        metadata.put("count", 3);
        metadata.put("ratio", 0.5);
        metadata.put("nested", nested);
        Instant created = Instant.parse("2026-03-08T01:02:03.456789Z");
        Message stored = append(id, new NewMessage(42L, MessageType.USER, null, content, metadata,
                ActionType.REDIRECT, ActionStatus.PENDING, created, "Zoë"));
        Message read = store.findMessage(stored.id()).orElseThrow();
        assertThat(read.content()).isEqualTo(content);
        assertThat(read.author()).isEqualTo("Zoë");
        assertThat(read.agentExecutionId()).isEqualTo(42L);
        assertThat(read.createdAt()).isEqualTo(Instant.parse("2026-03-08T01:02:03.456Z"));
        assertThat(read.metadataString("newTaskDescription")).isEqualTo("Build a dropdown 🎯");
        assertThat(read.metadata().get("count")).as("whole numbers read back as Long").isEqualTo(3L);
        assertThat(read.metadata().get("ratio")).as("other numbers read back as Double").isEqualTo(0.5);
        @SuppressWarnings("unchecked")
        Map<String, Object> readNested = (Map<String, Object>) read.metadata().get("nested");
        assertThat(readNested).containsEntry("empty", null);
        assertThat((List<?>) readNested.get("list")).hasSize(3);
        assertThat(read).isEqualTo(store.readAfter(id, 0, 1).get(0));
    }

    @Test
    void concurrentAppendsToOneWorkflowGetGapFreeSeqsAndUniqueIds() throws Exception {
        long id = newWorkflowId();
        store.createIfAbsent(id, now());
        ExecutorService pool = threads(8);
        List<Callable<List<Long>>> writers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            int writer = w;
            writers.add(() -> {
                List<Long> ids = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    ids.add(append(id, agent("w" + writer + " #" + i)).id());
                }
                return ids;
            });
        }
        Set<Long> ids = new HashSet<>();
        for (Future<List<Long>> result : pool.invokeAll(writers)) {
            ids.addAll(result.get());
        }
        assertThat(ids).hasSize(800);
        List<Message> all = new ArrayList<>();
        long after = 0;
        List<Message> page;
        while (!(page = store.readAfter(id, after, 500)).isEmpty()) {
            all.addAll(page);
            after = page.get(page.size() - 1).seq();
        }
        assertThat(all).extracting(Message::seq).containsExactlyElementsOf(seqs(1, 800));
    }

    @Test
    void changeListenersHearOfCommitsWithVersionAndSeqs() {
        long id = newWorkflowId();
        WorkflowState state = store.createIfAbsent(id, now());
        List<StoreChange> changes = new CopyOnWriteArrayList<>();
        var subscription = store.addChangeListener(changes::add);
        append(id, agent("one"));
        store.commit(Commit.transition(id, state.version(), StateUpdate.of(state).finished(WorkflowStatus.COMPLETED, "done", null),
                List.of(), List.of(agent("done"))));
        subscription.close();
        append(id, agent("unheard"));
        List<StoreChange> mine = changes.stream().filter(c -> c.workflowId() == id).toList();
        assertThat(mine).hasSize(2);
        assertThat(mine.get(0)).isEqualTo(new StoreChange(id, 0, 0, 1, false));
        assertThat(mine.get(1)).isEqualTo(new StoreChange(id, 1, 1, 2, true));
    }

    @Test
    void aChangeListenerThatThrowsKeepsNeitherTheOthersNorTheCommitFromGoingOn() {
        long id = newWorkflowId();
        WorkflowState state = store.createIfAbsent(id, now());
        var throwing = store.addChangeListener(change -> {
            throw new IllegalStateException("a listener that breaks");
        });
        List<StoreChange> changes = new CopyOnWriteArrayList<>();
        var hearing = store.addChangeListener(changes::add);

        Message one = append(id, agent("one"));
        CommitResult finished = store.commit(Commit.transition(id, state.version(),
                StateUpdate.of(state).finished(WorkflowStatus.COMPLETED, "done", null), List.of(), List.of(agent("done"))));

        assertThat(one.seq()).isEqualTo(1);
        assertThat(finished.committed()).isTrue();
        assertThat(changes.stream().filter(c -> c.workflowId() == id).toList())
                .containsExactly(new StoreChange(id, 0, 0, 1, false), new StoreChange(id, 1, 1, 2, true));
        assertThat(store.readAfter(id, 0, 10)).extracting(Message::content).containsExactly("one", "done");
        assertThat(store.findState(id).orElseThrow().isFinished()).isTrue();
        throwing.close();
        hearing.close();
    }

    @Test
    void changeListenersAreToldOnceThatTheStoreClosed() {
        List<String> told = new CopyOnWriteArrayList<>();
        store.addChangeListener(new StoreChangeListener() {
            @Override
            public void onChange(StoreChange change) {
            }

            @Override
            public void storeClosed() {
                told.add("first");
                throw new IllegalStateException("a listener that breaks on close");
            }
        });
        store.addChangeListener(new StoreChangeListener() {
            @Override
            public void onChange(StoreChange change) {
            }

            @Override
            public void storeClosed() {
                told.add("second");
            }
        });
        var removed = store.addChangeListener(new StoreChangeListener() {
            @Override
            public void onChange(StoreChange change) {
            }

            @Override
            public void storeClosed() {
                told.add("removed");
            }
        });
        removed.close();

        store.close();
        store.close();

        assertThat(told).containsExactlyInAnyOrder("first", "second");
    }

    @Test
    void leasesAreComparedWithTheTimeTheCallerGives() {
        long id = newWorkflowId();
        store.createIfAbsent(id, now());
        Message pause = append(id, user(ActionType.PAUSE));
        Instant t0 = Instant.parse("2030-01-01T00:00:00Z");
        assertThat(store.claim(pause.id(), "a", t0, t0.plus(Duration.ofMinutes(5)))).isPresent();
        OpenMessage open = store.findOpenUserMessages(id, 0, 1).get(0);
        assertThat(open.isLeasedAt(t0.plus(Duration.ofMinutes(4)))).isTrue();
        assertThat(open.isLeasedAt(t0.plus(Duration.ofMinutes(5)))).isFalse();
    }

    private static List<Long> seqs(long from, long to) {
        return LongStream.rangeClosed(from, to).boxed().toList();
    }
}
