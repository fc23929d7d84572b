package dev.workflowthread.tck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionType;
import dev.workflowthread.Checkpoint;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.Message;
import dev.workflowthread.SendRequest;
import dev.workflowthread.StorageException;
import dev.workflowthread.ThreadEvent;
import dev.workflowthread.WorkflowCancelledException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowRedirectedException;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.spi.Commit;
import dev.workflowthread.spi.OpenMessage;
import dev.workflowthread.spi.ThreadStore;
import java.time.Duration;
import java.time.Instant;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** One test per bug found in review, named after what broke; each forces its interleaving. */
public abstract class RegressionContract extends ContractSupport {

    /** Constructor for a store's test class that extends this part of the contract. */
    public RegressionContract() {
    }

    private static Message message(WorkflowMessages messages, long workflowId, long messageId) {
        return messages.getMessages(workflowId).stream().filter(m -> m.id() == messageId).findFirst().orElseThrow();
    }

    private static Throwable outcome(Future<?> future) throws Exception {
        try {
            future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        }
    }

    @Test
    void aSecondRedirectAfterAFailedOneIsApplied() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        WorkflowMessages messages = service(builder -> builder.redirectHandler(request -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("host is down for a moment");
            }
            return newWorkflowId();
        }));
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        long first = messages.send(id, SendRequest.redirect("first", "task one")).messageId();
        long second = messages.send(id, SendRequest.redirect("second", "task two")).messageId();

        assertThatThrownBy(guard::check).isInstanceOf(WorkflowRedirectedException.class);
        assertThat(calls).hasValue(2);
        assertThat(message(messages, id, first).actionStatus()).isEqualTo(ActionStatus.IGNORED);
        assertThat(message(messages, id, second).actionStatus()).isEqualTo(ActionStatus.PROCESSED);
    }

    /** The workflow whose redirect handler {@link #serviceWhoseRedirectHandlerSeesACancelAndFails} makes. */
    private final AtomicLong workflowOfHandler = new AtomicLong();

    /** A service whose redirect handler, while it runs, sees the person cancel, and then fails. */
    private WorkflowMessages serviceWhoseRedirectHandlerSeesACancelAndFails() {
        AtomicReference<WorkflowMessages> self = new AtomicReference<>();
        self.set(service(builder -> builder.redirectHandler(request -> {
            self.get().cancel(workflowOfHandler.get(), "stop everything");
            throw new IllegalStateException("could not create the new workflow");
        })));
        return self.get();
    }

    @Test
    void aCancelSentWhileAFailingRedirectHandlerRunsCancelsARunningWorkflow() {
        WorkflowMessages messages = serviceWhoseRedirectHandlerSeesACancelAndFails();
        long id = startedWorkflow(messages);
        workflowOfHandler.set(id);
        CheckpointGuard guard = messages.guard(id);
        messages.send(id, SendRequest.redirect("go elsewhere", "other task"));

        assertThatThrownBy(guard::check).isInstanceOf(WorkflowCancelledException.class);
        assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.CANCELLED);
    }

    @Test
    void aCancelSentWhileAFailingRedirectHandlerRunsCancelsAPausedWorkflow() throws Exception {
        WorkflowMessages messages = serviceWhoseRedirectHandlerSeesACancelAndFails();
        long id = startedWorkflow(messages);
        workflowOfHandler.set(id);
        CheckpointGuard guard = messages.guard(id);
        messages.pause(id, "wait");
        Future<Checkpoint> check = threads(1).submit(guard::check);
        await().atMost(WAIT).until(() -> messages.getState(id).paused());
        messages.send(id, SendRequest.redirect("go elsewhere", "other task"));

        assertThat(outcome(check)).isInstanceOf(WorkflowCancelledException.class);
        assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.CANCELLED);
        assertThat(transcript(messages, id)).doesNotContain("[System] Workflow resumed");
    }

    @Test
    void aCancelAppliedWhileTheRedirectHandlerRunsLeavesNoReplacementThread() throws Exception {
        // Found by a two-process probe: the replacement's thread was started before the redirect
        // was recorded, so a cancel that won left a running thread nobody would ever use.
        WorkflowMessages other = service();
        long id = startedWorkflow(other);
        CheckpointGuard otherGuard = other.guard(id);
        AtomicLong created = new AtomicLong();
        WorkflowMessages messages = service(builder -> builder.redirectHandler(request -> {
            other.cancel(id, "changed my mind");
            assertThat(catchThrowable(otherGuard::check)).isInstanceOf(WorkflowCancelledException.class);
            created.set(newWorkflowId());
            return created.get();
        }));
        CheckpointGuard guard = messages.guard(id);
        messages.send(id, SendRequest.redirect("go elsewhere", "other task"));

        assertThat(catchThrowable(guard::check)).isInstanceOf(WorkflowCancelledException.class);
        assertThat(created.get()).isPositive();
        assertThat(store.findState(created.get())).as("a thread for the replacement").isEmpty();
        List<String> lines = transcript(messages, id);
        assertThat(lines.get(lines.size() - 1)).isEqualTo("[System] Workflow cancelled by user: changed my mind");
    }

    @Test
    void aCancelAppliedBeforeTheRedirectIsAnnouncedMeansTheHostIsNeverAsked() throws Exception {
        // Found by a two-process probe: "Creating new workflow..." was written after the cancel
        // that had already finished the workflow, and the host's handler was called anyway.
        AtomicBoolean armed = new AtomicBoolean(true);
        WorkflowMessages other = service();
        long id = startedWorkflow(other);
        CheckpointGuard otherGuard = other.guard(id);
        ThreadStore raw = store;
        WorkflowMessages messages = closeAfter(WorkflowMessages.create(InterceptedStore.before(raw, (method, args) -> {
            if (method.getName().equals("commit") && ((Commit) args[0]).messages().stream()
                    .anyMatch(m -> m.content().startsWith("Creating new workflow")) && armed.compareAndSet(true, false)) {
                other.cancel(id, "stop first");
                assertThat(catchThrowable(otherGuard::check)).isInstanceOf(WorkflowCancelledException.class);
            }
        }), config().build()));
        CheckpointGuard guard = messages.guard(id);
        messages.send(id, SendRequest.redirect("go elsewhere", "other task"));

        assertThat(catchThrowable(guard::check)).isInstanceOf(WorkflowCancelledException.class);
        assertThat(armed).isFalse();
        assertThat(redirects).as("calls of the host's redirect handler").isEmpty();
        assertThat(transcript(messages, id)).noneMatch(line -> line.contains("Creating new workflow"));
    }

    @Test
    void aCancelAppliedByAnotherCheckpointWhileThisOneReadsStopsThisOneToo() throws Exception {
        // The other checkpoint finishes the workflow after this one read the state as running and
        // before it read the open messages: the cancel is gone from the open list by then.
        AtomicBoolean armed = new AtomicBoolean();
        WorkflowMessages other = service();
        long id = startedWorkflow(other);
        CheckpointGuard otherGuard = other.guard(id);
        ThreadStore raw = store;
        WorkflowMessages messages = closeAfter(WorkflowMessages.create(InterceptedStore.before(raw, (method, args) -> {
            if (method.getName().equals("findOpenUserMessages") && armed.compareAndSet(true, false)) {
                other.cancel(id, "stop now");
                assertThat(catchThrowable(otherGuard::check)).isInstanceOf(WorkflowCancelledException.class);
            }
        }), config().build()));
        CheckpointGuard guard = messages.guard(id);
        armed.set(true);

        assertThat(catchThrowable(guard::check)).isInstanceOf(WorkflowCancelledException.class);
        assertThat(armed).isFalse();
    }

    @Test
    void anInstructionTakenByAGuardThatDiedBetweenOurReadAndOurClaimIsHandedOverAfterTheLease() throws Exception {
        AtomicBoolean armed = new AtomicBoolean();
        Duration lease = Duration.ofSeconds(30);
        ThreadStore raw = store;
        WorkflowMessages messages = closeAfter(WorkflowMessages.create(InterceptedStore.before(raw, (method, args) -> {
            if (method.getName().equals("claim") && armed.compareAndSet(true, false)) {
                Instant now = clock.instant();
                raw.claim((Long) args[0], "guard-that-dies", now, now.plus(lease));
            }
        }), config().leaseDuration(lease).build()));
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        guard.check();
        long instruction = messages.send(id, SendRequest.of(ActionType.INSTRUCTION, "use tabs")).messageId();
        armed.set(true);
        assertThat(guard.check().isEmpty()).as("lost the race for it").isTrue();

        clock.advance(lease);
        assertThat(guard.check().instructions()).extracting(Message::id).containsExactly(instruction);
    }

    @Test
    void aRedirectHandlerSlowerThanTheLeaseIsCalledOnceInOneJvm() throws Exception {
        Duration lease = Duration.ofSeconds(10);
        List<Long> created = new CopyOnWriteArrayList<>();
        AtomicReference<CheckpointGuard> other = new AtomicReference<>();
        AtomicReference<Future<Checkpoint>> otherCheck = new AtomicReference<>();
        AtomicLong workflow = new AtomicLong();
        WorkflowMessages messages = service(builder -> builder.leaseDuration(lease).redirectHandler(request -> {
            // The host takes longer than the lease; meanwhile another loop of this JVM on the same
            // workflow reaches its checkpoint and takes the redirect over.
            OpenMessage held = store.findOpenUserMessages(workflow.get(), 0, 10).get(0);
            clock.advance(lease.plusSeconds(1));
            otherCheck.set(threads(1).submit(() -> other.get().check()));
            await().atMost(WAIT).until(() -> !held.leaseOwner().equals(
                    store.findOpenUserMessages(workflow.get(), 0, 10).get(0).leaseOwner()));
            long newId = newWorkflowId();
            created.add(newId);
            return newId;
        }));
        long id = startedWorkflow(messages);
        workflow.set(id);
        CheckpointGuard first = messages.guard(id);
        other.set(messages.guard(id));
        messages.send(id, SendRequest.redirect("go elsewhere", "other task"));

        Throwable firstOutcome = catchThrowable(first::check);
        Throwable secondOutcome = outcome(otherCheck.get());
        assertThat(created).as("workflows the handler created").hasSize(1);
        assertThat(firstOutcome).isInstanceOf(WorkflowRedirectedException.class);
        assertThat(secondOutcome).isInstanceOf(WorkflowRedirectedException.class);
        assertThat(messages.getState(id).redirectedTo()).isEqualTo(created.get(0));
    }

    @Test
    void aChangeLandingWhileAGuardIsMadeDoesNotCostEveryLaterCheckARoundTrip() throws Exception {
        AtomicBoolean armed = new AtomicBoolean();
        AtomicLong calls = new AtomicLong();
        AtomicReference<Runnable> racer = new AtomicReference<>();
        ThreadStore raw = store;
        ThreadStore counted = InterceptedStore.around(raw, (called, args, proceed) -> {
            calls.incrementAndGet();
            Object result = proceed.call();
            if (called.getName().equals("findState") && armed.compareAndSet(true, false)) {
                racer.get().run();
            }
            return result;
        });
        WorkflowMessages messages = closeAfter(WorkflowMessages.create(counted, config().build()));
        WorkflowMessages sender = service();
        long id = startedWorkflow(messages);
        racer.set(() -> sender.unpause(id)); // ignored (not paused), but a user message: the version moves
        armed.set(true);
        CheckpointGuard guard = messages.guard(id);
        guard.check();
        long before = calls.get();
        for (int i = 0; i < 1000; i++) {
            guard.check();
        }
        assertThat(calls.get() - before).isZero();
    }

    @Test
    void aListenerGetsItsEventsAfterAFailedRead() {
        AtomicBoolean armed = new AtomicBoolean();
        WorkflowMessages messages = closeAfter(WorkflowMessages.create(InterceptedStore.before(store, (method, args) -> {
            if (method.getName().equals("readAfter") && armed.compareAndSet(true, false)) {
                throw new StorageException("reading messages", new IllegalStateException("connection reset"));
            }
        }), config().build()));
        long id = startedWorkflow(messages);
        List<String> names = new CopyOnWriteArrayList<>();
        closeAfter(messages.subscribe(id, 0, event -> names.add(event.name())));
        armed.set(true);
        messages.cancel(id, "stop");
        // Nothing is written after this: only a retry can deliver the event.
        await().atMost(WAIT).until(() -> names.contains(ThreadEvent.MessageAdded.NAME));
        assertThat(names).containsExactly(ThreadEvent.MessageAdded.NAME);
    }

    @Test
    void aRedirectWhoseGuardFailedBeforeCallingTheHandlerIsAppliedByTheNextGuard() throws Exception {
        AtomicInteger failingCommits = new AtomicInteger();
        Duration lease = Duration.ofSeconds(10);
        WorkflowMessages messages = closeAfter(WorkflowMessages.create(InterceptedStore.before(store, (method, args) -> {
            if (method.getName().equals("commit") && failingCommits.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                throw new StorageException("committing", new IllegalStateException("connection reset"));
            }
        }), config().leaseDuration(lease).build()));
        long id = startedWorkflow(messages);
        CheckpointGuard first = messages.guard(id);
        messages.send(id, SendRequest.redirect("go elsewhere", "other task"));
        failingCommits.set(2); // "Creating new workflow...", then "Redirect failed"
        assertThatThrownBy(first::check).isInstanceOf(StorageException.class);

        CheckpointGuard second = messages.guard(id); // the host restarts its loop
        clock.advance(lease);
        assertThat(outcome(threads(1).submit(second::check))).isInstanceOf(WorkflowRedirectedException.class);
        assertThat(redirects).hasSize(1);
    }

    @Test
    void aFailingRedirectHandlerSlowerThanTheLeaseIsCalledOnceInOneJvm() throws Exception {
        Duration lease = Duration.ofSeconds(10);
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<CheckpointGuard> other = new AtomicReference<>();
        AtomicReference<Future<Checkpoint>> otherCheck = new AtomicReference<>();
        AtomicLong workflow = new AtomicLong();
        WorkflowMessages messages = service(builder -> builder.leaseDuration(lease).redirectHandler(request -> {
            if (calls.incrementAndGet() == 1) {
                OpenMessage held = store.findOpenUserMessages(workflow.get(), 0, 10).get(0);
                clock.advance(lease.plusSeconds(1));
                otherCheck.set(threads(1).submit(() -> other.get().check()));
                await().atMost(WAIT).until(() -> !held.leaseOwner().equals(
                        store.findOpenUserMessages(workflow.get(), 0, 10).get(0).leaseOwner()));
            }
            throw new IllegalStateException("host cannot create workflows right now");
        }));
        long id = startedWorkflow(messages);
        workflow.set(id);
        CheckpointGuard first = messages.guard(id);
        other.set(messages.guard(id));
        long redirect = messages.send(id, SendRequest.redirect("go elsewhere", "other task")).messageId();

        assertThat(outcome(threads(1).submit(first::check))).isNull();
        assertThat(outcome(otherCheck.get())).isNull();
        assertThat(calls).as("handler calls in this JVM").hasValue(1);
        assertThat(message(messages, id, redirect).actionStatus()).isEqualTo(ActionStatus.IGNORED);
        assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.RUNNING);
    }

    @Test
    void aRedirectHandlerThatThrowsAnErrorIsCalledAgainNotReportedAsReturningZero() {
        AtomicInteger calls = new AtomicInteger();
        WorkflowMessages messages = service(builder -> builder.redirectHandler(request -> {
            if (calls.incrementAndGet() == 1) {
                throw new AssertionError("host bug");
            }
            return newWorkflowId();
        }));
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        messages.send(id, SendRequest.redirect("go elsewhere", "other task"));
        assertThatThrownBy(guard::check).isInstanceOf(AssertionError.class);
        assertThatThrownBy(guard::check).isInstanceOf(WorkflowRedirectedException.class);
        assertThat(transcript(messages, id)).noneMatch(line -> line.contains("workflow id 0"));
        assertThat(calls).hasValue(2);
    }

    @Test
    void aWorkflowWhoseReadsFailNeitherStarvesOthersOfAnAllWorkflowsListenerNorIsReadOnEveryChange() {
        long poison = newWorkflowId();
        AtomicInteger poisonReads = new AtomicInteger();
        WorkflowMessages messages = closeAfter(WorkflowMessages.create(InterceptedStore.before(store, (method, args) -> {
            if (method.getName().equals("readAfter") && (Long) args[0] == poison) {
                poisonReads.incrementAndGet();
                throw new StorageException("reading messages", new IllegalStateException("cannot map row"));
            }
        }), config().build()));
        messages.start(poison);
        List<Long> healthy = List.of(startedWorkflow(messages), startedWorkflow(messages), startedWorkflow(messages));
        List<ThreadEvent> events = new CopyOnWriteArrayList<>();
        closeAfter(messages.subscribeAll(events::add));
        messages.send(poison, SendRequest.of(ActionType.COMMENT, "poison"));
        await().atMost(WAIT).until(() -> poisonReads.get() >= 1);
        int readsBefore = poisonReads.get();
        for (int i = 0; i < 40; i++) {
            messages.send(healthy.get(i % 3), SendRequest.of(ActionType.COMMENT, "note " + i));
        }
        await().atMost(WAIT).until(() -> events.stream().filter(e -> healthy.contains(e.workflowId())).count() == 40);
        // Only the retry timer (50, 100, 200 ms ...) reads the failing workflow, not each change.
        assertThat(poisonReads.get() - readsBefore).isLessThan(10);
    }

    @Test
    void aGuardOfAClosedServiceRefusesToAnswerFromMemory() throws Exception {
        WorkflowMessages messages = WorkflowMessages.create(store, config().build());
        WorkflowMessages sender = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        guard.check();
        messages.close();
        sender.cancel(id, "stop");
        assertThatThrownBy(guard::check).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> messages.send(id, SendRequest.of(ActionType.COMMENT, "hi")))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theLongestPauseTimeoutWaitsInsteadOfOverflowing() throws Exception {
        assertThatThrownBy(() -> WorkflowThreadConfig.builder().pauseTimeout(Duration.ofDays(365L * 1000)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most");
        WorkflowMessages messages = service(builder -> builder.pauseTimeout(WorkflowThreadConfig.MAX_DURATION)
                .heartbeatInterval(WorkflowThreadConfig.MAX_DURATION));
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        messages.pause(id, "hold on");
        Future<Checkpoint> check = threads(1).submit(guard::check);
        await().atMost(WAIT).until(() -> messages.getState(id).paused());
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> !check.isDone());
        messages.unpause(id);
        assertThat(outcome(check)).isNull();
    }

    @Test
    void negativeZeroAndOtherNumbersInMetadataReadBackTheSameFromEveryStore() {
        // Found by a hostile client: -0.0 was kept in memory and read back as 0.0 from H2; PostgreSQL
        // reads 1.0E7 back as 10000000. Validation now makes them what every store reads back.
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        Map<String, Object> numbers = new LinkedHashMap<>();
        Map<String, Object> expected = new LinkedHashMap<>();
        BiConsumer<Object, Object> put = (given, read) -> {
            String key = "n" + numbers.size();
            numbers.put(key, given);
            expected.put(key, read);
        };
        put.accept(-0.0, 0L);
        put.accept(-0.0f, 0L);
        put.accept(new BigDecimal("-0.000"), 0L);
        put.accept(2.0, 2L);
        put.accept(1.0E7, 10_000_000L);
        put.accept(new BigDecimal("12.000"), 12L);
        put.accept(1.0E300, BigInteger.TEN.pow(300));
        put.accept(-0x1p63, Long.MIN_VALUE);
        put.accept(Long.MIN_VALUE, Long.MIN_VALUE);
        put.accept(BigInteger.TWO.pow(70), BigInteger.TWO.pow(70));
        put.accept((byte) 7, 7L);
        put.accept(0.1, 0.1);
        put.accept(0.5f, 0.5);
        put.accept(new BigDecimal("0.1000000000000000000001"), 0.1);
        put.accept(Double.MIN_VALUE, Double.MIN_VALUE);
        put.accept(-1.5E-300, -1.5E-300);
        put.accept(12_345_678.5, 12_345_678.5);
        put.accept(Arrays.asList(-0.0, 1.0E7, null), Arrays.asList(0L, 10_000_000L, null));
        put.accept(Map.of("deep", -0.0), Map.of("deep", 0L));

        long sent = messages.send(id, SendRequest.of(ActionType.COMMENT, "numbers").withMetadata(numbers)).messageId();
        messages.addMessage(id, dev.workflowthread.MessageType.AGENT, "numbers",
                dev.workflowthread.MessageOptions.NONE.withMetadata(numbers));
        List<Message> thread = messages.getMessages(id);

        assertThat(message(messages, id, sent).metadata()).isEqualTo(expected);
        assertThat(thread.get(thread.size() - 1).metadata()).isEqualTo(expected);
        assertThat(store.findMessage(sent).orElseThrow().metadata()).isEqualTo(expected);
        Object zero = message(messages, id, sent).metadata().get("n0");
        assertThat(zero).isInstanceOf(Long.class);
    }

    @Test
    void metadataIsStoredOnlyWhenEveryStoreCanReadItBack() {
        // Found by a hostile client: a key of 50,001 characters or a number of 2,001 digits was
        // stored, and then every read of the thread on the JDBC store failed (Jackson's read limits),
        // so the workflow could not even be cancelled; quoting a stored message's metadata nested
        // it past the depth limit unchecked; a list holding the same list 40 times over was
        // expanded until memory ran out; Jackson trees overflowed the stack; metadata of more than
        // 31 levels failed on MariaDB (its JSON check) as a StorageException after the others kept it.
        WorkflowMessages messages = service();
        long id = startedWorkflow(messages);
        CheckpointGuard guard = messages.guard(id);
        dev.workflowthread.AgentNarrator narrator = messages.narrator(id, "code", null);
        int longestKey = 50_000;
        int mostDigits = 1_000;

        Map<String, Object> readable = new LinkedHashMap<>();
        readable.put("k".repeat(longestKey), 1L);
        readable.put("big", BigInteger.TEN.pow(mostDigits - 1));
        readable.put("exact", new BigDecimal("12345678901234567890123.0"));
        long sent = messages.send(id, SendRequest.of(ActionType.COMMENT, "at the limits").withMetadata(readable))
                .messageId();
        Map<String, Object> read = message(messages, id, sent).metadata();
        assertThat(read.get("k".repeat(longestKey))).isEqualTo(1L);
        assertThat(read.get("big")).isEqualTo(BigInteger.TEN.pow(mostDigits - 1));
        assertThat(read.get("exact")).isEqualTo(new BigInteger("12345678901234567890123"));

        Map<String, Object> deep = new LinkedHashMap<>();
        Map<String, Object> inner = deep;
        for (int level = 2; level <= dev.workflowthread.spi.MetadataCodec.MAX_DEPTH; level++) {
            Map<String, Object> next = new LinkedHashMap<>();
            inner.put("level", next);
            inner = next;
        }
        long deepest = messages.send(id, SendRequest.of(ActionType.COMMENT, "31 levels").withMetadata(deep))
                .messageId();
        Map<String, Object> stored = message(messages, id, deepest).metadata();

        Object shared = "x";
        for (int i = 0; i < 40; i++) {
            shared = Arrays.asList(shared, shared);
        }
        com.fasterxml.jackson.databind.node.ObjectNode itself =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        itself.set("me", itself);
        com.fasterxml.jackson.databind.node.ArrayNode deepArray =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
        com.fasterxml.jackson.databind.node.ArrayNode innerArray = deepArray;
        for (int i = 0; i < 100_000; i++) {
            innerArray = innerArray.addArray();
        }
        Map<String, Object> tooDeep = new LinkedHashMap<>();
        Map<String, Object> innermost = tooDeep;
        for (int level = 2; level <= dev.workflowthread.spi.MetadataCodec.MAX_DEPTH + 1; level++) {
            Map<String, Object> next = new LinkedHashMap<>();
            innermost.put("level", next);
            innermost = next;
        }
        record Secret(String user, String password) {
        }
        List<Map<String, Object>> refused = List.of(
                Map.of("k".repeat(longestKey + 1), 1L),
                Map.of("big", BigInteger.TEN.pow(mostDigits)),
                Map.of("huge", new BigDecimal("1E+1000000000")),
                Map.of("quoted", stored),
                tooDeep,
                Map.of("shared", shared),
                Map.of("itself", itself),
                Map.of("deep", deepArray),
                Map.of("pojo", new com.fasterxml.jackson.databind.node.POJONode(new Secret("bob", "hunter2"))));
        long lastSeq = messages.getState(id).lastSeq();
        for (Map<String, Object> metadata : refused) {
            assertThat(catchThrowable(() -> org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(WAIT,
                    () -> messages.send(id, SendRequest.of(ActionType.INSTRUCTION, "refused").withMetadata(metadata)))))
                    .as("sending %s", metadata.keySet())
                    .isInstanceOf(dev.workflowthread.InvalidMessageException.class)
                    .hasMessageContaining("metadata");
            assertThat(catchThrowable(() -> narrator.say("refused", metadata)))
                    .isInstanceOf(dev.workflowthread.InvalidMessageException.class);
        }
        assertThat(messages.getState(id).lastSeq()).isEqualTo(lastSeq);

        // The thread reads, and the workflow obeys, as before.
        assertThat(messages.getMessages(id)).hasSize((int) lastSeq);
        messages.cancel(id, "stop");
        assertThatThrownBy(guard::check).isInstanceOf(WorkflowCancelledException.class);
    }
}
