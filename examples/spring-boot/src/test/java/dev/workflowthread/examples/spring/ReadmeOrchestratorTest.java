package dev.workflowthread.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowthread.ActionType;
import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.SendRequest;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.inmemory.InMemoryThreadStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's Spring Boot orchestrator: it stands in the README as compiled here, and it obeys. */
class ReadmeOrchestratorTest {

    @Test
    void theReadmeShowsTheOrchestratorAsItIsCompiled() throws Exception {
        String source = Files.readString(Path.of("src/main/java/dev/workflowthread/examples/spring/ReadmeOrchestrator.java"));
        String snippet = source.substring(source.indexOf("// README-BEGIN") + "// README-BEGIN".length(),
                source.indexOf("// README-END")).lines().filter(line -> !line.isBlank())
                .collect(Collectors.joining("\n"));
        String readme = Files.readString(Path.of("../../README.md")).lines().filter(line -> !line.isBlank())
                .collect(Collectors.joining("\n"));
        assertThat(readme).contains(snippet);
    }

    @Test
    void itAnswersAnInstructionAndCompletes() throws Exception {
        try (WorkflowMessages messages = WorkflowMessages.create(InMemoryThreadStore.create())) {
            messages.start(5);
            messages.send(5, SendRequest.of(ActionType.INSTRUCTION, "keep it short"));
            new ReadmeOrchestrator(messages).run(5, List.of("the form", "the tests"));
            assertThat(messages.getState(5).status()).isEqualTo(WorkflowStatus.COMPLETED);
            assertThat(messages.getMessages(5)).filteredOn(m -> m.messageType() == MessageType.AGENT)
                    .extracting(Message::content)
                    .containsExactly("Will do: keep it short", "Working on the form", "Working on the tests");
        }
    }

    @Test
    void itStopsQuietlyWhenCancelled() throws Exception {
        try (WorkflowMessages messages = WorkflowMessages.create(InMemoryThreadStore.create())) {
            messages.start(6);
            messages.cancel(6, "not needed");
            new ReadmeOrchestrator(messages).run(6, List.of("the form"));
            assertThat(messages.getState(6).status()).isEqualTo(WorkflowStatus.CANCELLED);
        }
    }
}
