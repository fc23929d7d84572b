package dev.workflowthread.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.workflowthread.ActionType;
import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.SendRequest;
import dev.workflowthread.ThreadEvent;
import dev.workflowthread.WorkflowCancelledException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.inmemory.InMemoryThreadStore;
import dev.workflowthread.jdbc.JdbcThreadStore;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The README's agent loop: it stands in the README as compiled here, and it obeys. */
class ReadmeAgentLoopTest {
    private final ExecutorService pool = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    @Test
    void theReadmeShowsTheLoopAsItIsCompiled() throws Exception {
        String unindented = ReadmeSnippet.of("ReadmeAgentLoop.java", 4);
        assertThat(ReadmeSnippet.readme()).contains(unindented);
        assertThat(unindented.lines().count()).as("under 25 lines").isLessThan(25);
    }

    @Test
    void theReadmeStartsWithTheFirstHostAsItIsCompiled() throws Exception {
        String example = ReadmeSnippet.in("src/test/java/dev/workflowthread/examples/FirstHostTest.java", 0);
        String readme = ReadmeSnippet.readme().lines().filter(line -> !line.isBlank())
                .collect(Collectors.joining("\n"));
        assertThat(readme).contains(example);
        assertThat(readme.indexOf(example)).as("on the README's first screens").isLessThan(readme.indexOf("## Try the demo"));
    }

    @Test
    void theReadmesLineForTheJdbcStoreRunsTheFirstHost() throws Exception {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:readme-first-host;DB_CLOSE_DELAY=-1");
        // README-BEGIN
        JdbcThreadStore store = JdbcThreadStore.builder().dataSource(dataSource).build();
        // README-END
        assertThat(ReadmeSnippet.readme()).contains(
                ReadmeSnippet.in("src/test/java/dev/workflowthread/examples/ReadmeAgentLoopTest.java", 8));
        try (store; WorkflowMessages messages = WorkflowMessages.create(store)) {
            messages.start(9);
            messages.pause(9, "wait");
            messages.cancel(9, "done");
            assertThatThrownBy(() -> messages.guard(9).check()).isInstanceOf(WorkflowCancelledException.class);
            assertThat(messages.getState(9).status()).isEqualTo(WorkflowStatus.CANCELLED);
        }
    }

    @Test
    void theLoopPausesOnAPauseTakesTheInstructionAndRunsToTheEnd() throws Exception {
        try (WorkflowMessages messages = WorkflowMessages.create(InMemoryThreadStore.create())) {
            long id = 5;
            BlockingQueue<ThreadEvent> events = new LinkedBlockingQueue<>();
            messages.start(id);
            messages.subscribe(id, 0, events::add);
            messages.pause(id, "wait for me");
            Future<?> loop = pool.submit(() -> {
                new ReadmeAgentLoop().runWorkflow(messages, id);
                return null;
            });
            awaitEvent(events, ThreadEvent.WorkflowPaused.class);
            messages.send(id, SendRequest.of(ActionType.INSTRUCTION, "Use JWT cookies"));
            assertThat(messages.getMessages(id)).noneMatch(m -> m.messageType() == MessageType.AGENT);
            messages.unpause(id);
            loop.get(20, TimeUnit.SECONDS);

            List<Message> thread = messages.getMessages(id);
            assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.COMPLETED);
            assertThat(thread).anyMatch(m -> m.content().equals("Acknowledged user context - Use JWT cookies"));
            assertThat(thread).filteredOn(m -> m.content().startsWith("Starting ")).hasSize(6);
        }
    }

    @Test
    void theLoopEndsOnACancel() throws Exception {
        try (WorkflowMessages messages = WorkflowMessages.create(InMemoryThreadStore.create())) {
            long id = 6;
            messages.start(id);
            messages.cancel(id, "not needed any more");
            pool.submit(() -> {
                new ReadmeAgentLoop().runWorkflow(messages, id);
                return null;
            }).get(20, TimeUnit.SECONDS);
            assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.CANCELLED);
            assertThat(messages.getMessages(id)).noneMatch(m -> m.messageType() == MessageType.AGENT);
        }
    }

    private static void awaitEvent(BlockingQueue<ThreadEvent> events, Class<? extends ThreadEvent> type)
            throws InterruptedException {
        while (true) {
            ThreadEvent event = events.poll(20, TimeUnit.SECONDS);
            assertThat(event).as("waiting for " + type.getSimpleName()).isNotNull();
            if (type.isInstance(event)) {
                return;
            }
        }
    }
}
