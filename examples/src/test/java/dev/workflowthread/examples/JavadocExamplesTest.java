package dev.workflowthread.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.workflowthread.ActionType;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.Message;
import dev.workflowthread.SendPolicy;
import dev.workflowthread.SendRefusedException;
import dev.workflowthread.SendRequest;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.inmemory.InMemoryThreadStore;
import dev.workflowthread.web.SocketSender;
import dev.workflowthread.web.WebRequest;
import dev.workflowthread.web.WebResponse;
import dev.workflowthread.web.WorkflowHost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The code examples in the published modules' Javadoc are the code of {@link JavadocExamples},
 * which compiles; and the ones that can run, run, on the in-memory store or H2.
 */
class JavadocExamplesTest {
    private static final String COPIES = "src/test/java/dev/workflowthread/examples/JavadocExamples.java";

    static Stream<Arguments> examples() {
        return Stream.of(
                Arguments.of("WorkflowMessages", "workflow-thread-api/src/main/java/dev/workflowthread/WorkflowMessages.java"),
                Arguments.of("CheckpointGuard", "workflow-thread-api/src/main/java/dev/workflowthread/CheckpointGuard.java"),
                Arguments.of("StopToken", "workflow-thread-api/src/main/java/dev/workflowthread/StopToken.java"),
                Arguments.of("AgentNarrator", "workflow-thread-api/src/main/java/dev/workflowthread/AgentNarrator.java"),
                Arguments.of("SendPolicy", "workflow-thread-api/src/main/java/dev/workflowthread/SendPolicy.java"),
                Arguments.of("WireFormat", "workflow-thread-api/src/main/java/dev/workflowthread/json/WireFormat.java"),
                Arguments.of("Backoff", "workflow-thread-api/src/main/java/dev/workflowthread/spi/Backoff.java"),
                Arguments.of("JdbcThreadStore", "workflow-thread-jdbc/src/main/java/dev/workflowthread/jdbc/JdbcThreadStore.java"),
                Arguments.of("ThreadRestHandler", "workflow-thread-web/src/main/java/dev/workflowthread/web/ThreadRestHandler.java"),
                Arguments.of("ThreadSockets", "workflow-thread-web/src/main/java/dev/workflowthread/web/ThreadSockets.java"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("examples")
    void theJavadocShowsTheCompiledCopy(String name, String source) throws IOException {
        String compiled = normalised(ReadmeSnippet.between(COPIES, "// JAVADOC-BEGIN " + name + "\n",
                "// JAVADOC-END " + name + "\n", 0));
        assertThat(normalised(javadocExample("../" + source)))
                .as("the example in %s's Javadoc against %s", source, COPIES)
                .isEqualTo(compiled);
    }

    @Test
    void aChangedExampleIsCaught() {
        String compiled = normalised("Backoff backoff = Backoff.exponential(Duration.ofMillis(50), Duration.ofSeconds(2));");
        assertThat(normalised("Backoff backoff = Backoff.exponential(Duration.ofMillis(60), Duration.ofSeconds(2));"))
                .isNotEqualTo(compiled);
        assertThatThrownBy(() -> ReadmeSnippet.between(COPIES, "// JAVADOC-BEGIN Nothing\n", "// JAVADOC-END Nothing\n", 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The text of the first {@code <pre>{@code ...}</pre>} of a source file's Javadoc, as a reader sees it. */
    static String javadocExample(String path) throws IOException {
        String block = ReadmeSnippet.between(path, "<pre>{@code", "}</pre>", 0);
        return block.lines()
                .map(line -> line.replaceFirst("^\\s*\\* ?", ""))
                .map(line -> line.replace("&#64;", "@").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
                .collect(Collectors.joining("\n"));
    }

    /** Lines trimmed, inner runs of spaces made one, blank lines dropped. */
    static String normalised(String code) {
        return code.lines().map(String::strip).filter(line -> !line.isEmpty())
                .map(line -> line.replaceAll("\\s+", " "))
                .collect(Collectors.joining("\n"));
    }

    @Test
    void theServiceExampleStartsAndPauses() throws Exception {
        try (WorkflowMessages messages = JavadocExamples.workflowMessages(request -> 99L, 7)) {
            // the pause waits for the loop's next check(), which applies it
            assertThat(messages.getPendingUserMessages(7)).extracting(Message::actionType).containsExactly(ActionType.PAUSE);
            assertThat(messages.getMessages(7)).extracting(Message::content).containsExactly("Adding a requirement", "Starting plan agent - planning");
        }
    }

    @Test
    void theLoopExampleRunsThreeAgentsAndAcknowledgesAnInstruction() throws Exception {
        try (WorkflowMessages messages = WorkflowMessages.create(InMemoryThreadStore.create())) {
            messages.start(1);
            messages.send(1, SendRequest.of(ActionType.INSTRUCTION, "Use JWT cookies").withAuthor("alice"));
            List<String> ran = new ArrayList<>();
            JavadocExamples.checkpointGuard(messages.guard(1), ran::add);
            JavadocExamples.agentNarrator(messages.guard(1), 3L);
            List<String> contents = messages.getMessages(1).stream().map(Message::content).toList();
            assertThat(ran).containsExactly("all");
            assertThat(contents).contains("Acknowledged user context - Use JWT cookies",
                    "Reading file: src/index.ts", "Writing file: Button.tsx (1234 bytes)",
                    "Calling AI model for code generation...", "Build verification: PASSED");
        }
    }

    @Test
    void theStopTokenExampleCutsTheModelCallShortOnACancel() throws Exception {
        try (WorkflowMessages messages = WorkflowMessages.create(InMemoryThreadStore.create())) {
            messages.start(2);
            CheckpointGuard guard = messages.guard(2);
            java.util.concurrent.CompletableFuture<String> call = new java.util.concurrent.CompletableFuture<>();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                java.util.concurrent.Future<String> step = pool.submit(() -> JavadocExamples.stopToken(guard, prompt -> call, "write"));
                org.awaitility.Awaitility.await().until(() -> call.getNumberOfDependents() > 0 || step.isDone());
                messages.cancel(2, "stop");
                assertThatThrownBy(() -> step.get(20, java.util.concurrent.TimeUnit.SECONDS))
                        .hasCauseInstanceOf(java.util.concurrent.CancellationException.class);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void thePolicyExampleLetsOnlyTheOwnerPause() throws Exception {
        WorkflowThreadConfig config = JavadocExamples.sendPolicy((workflowId, author) -> author.equals("owner"));
        try (WorkflowMessages messages = WorkflowMessages.create(InMemoryThreadStore.create(), config)) {
            messages.start(5);
            messages.send(5, SendRequest.of(ActionType.COMMENT, "hello").withAuthor("guest"));
            assertThatThrownBy(() -> messages.send(5, SendRequest.of(ActionType.PAUSE, "stop").withAuthor("guest")))
                    .isInstanceOf(SendRefusedException.class)
                    .hasMessageContaining("only the owner of workflow 5 may pause it");
            messages.send(5, SendRequest.of(ActionType.PAUSE, "stop").withAuthor("owner"));
            assertThat(messages.getPendingUserMessages(5)).filteredOn(m -> m.actionType() == ActionType.PAUSE).extracting(Message::author).containsExactly("owner");
        }
    }

    @Test
    void theFeedExampleForwardsEventsAsJson() throws Exception {
        try (WorkflowMessages messages = WorkflowMessages.create(InMemoryThreadStore.create())) {
            messages.start(2);
            List<String> sent = new CopyOnWriteArrayList<>();
            JavadocExamples.wireFormat(messages, 2, 0, sent::add);
            messages.guard(2).narrator("code", null).say("Reading file: a.ts");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> sent.stream().anyMatch(text -> text.contains("Reading file: a.ts")));
        }
    }

    @Test
    void theBackoffExampleWaitsWithinItsBounds() {
        assertThat(JavadocExamples.backoff(1)).isBetween(Duration.ofMillis(25), Duration.ofMillis(50));
        assertThat(JavadocExamples.backoff(40)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void theJdbcExampleRunsOnH2() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:javadoc-examples;DB_CLOSE_DELAY=-1");
        try (WorkflowMessages messages = JavadocExamples.jdbcThreadStore(h2, WorkflowThreadConfig.builder().build())) {
            messages.start(3);
            assertThat(messages.getState(3).status()).isEqualTo(WorkflowStatus.RUNNING);
        }
    }

    @Test
    void theWebExamplesAnswerAndOpenASession() throws Exception {
        WorkflowHost host = new WorkflowHost() {
            @Override
            public Optional<Map<String, Object>> find(long workflowId) {
                return workflowId == 4 ? Optional.of(Map.of("id", 4L)) : Optional.empty();
            }
        };
        try (WorkflowMessages messages = WorkflowMessages.create(InMemoryThreadStore.create())) {
            messages.start(4);
            WebResponse response = JavadocExamples.threadRestHandler(messages, host,
                    WebRequest.builder("GET", "/api/workflows/4/messages").build());
            assertThat(response.status()).isEqualTo(200);
            List<String> texts = new CopyOnWriteArrayList<>();
            SocketSender sender = new SocketSender() {
                @Override
                public void sendText(String text, Completion completion) {
                    texts.add(text);
                    completion.sent();
                }

                @Override
                public void close(int code, String reason) {
                }
            };
            JavadocExamples.threadSockets(messages, host, sender, "{\"type\":\"subscribe:workflow\",\"workflowId\":4,\"lastSeq\":0}");
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"messages\":[]}");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                    .until(() -> texts.stream().anyMatch(text -> text.contains("subscribed")));
        }
    }
}
