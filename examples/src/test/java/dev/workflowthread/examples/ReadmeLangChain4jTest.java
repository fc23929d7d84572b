package dev.workflowthread.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowthread.Message;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.examples.langchain4j.CodingAssistant;
import dev.workflowthread.examples.langchain4j.ScriptedCodingModel;
import dev.workflowthread.inmemory.InMemoryThreadStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's LangChain4j wiring: it stands in the README as compiled, and the assistant it builds narrates. */
class ReadmeLangChain4jTest {

    @Test
    void theReadmeShowsTheWiringAsItIsCompiled() throws Exception {
        assertThat(ReadmeSnippet.readme()).contains(ReadmeSnippet.of("ReadmeLangChain4j.java", 8));
    }

    @Test
    void theAssistantItBuildsNarratesItsModelAndToolCalls(@TempDir Path workspace) throws Exception {
        Files.createDirectories(workspace.resolve("src"));
        Files.writeString(workspace.resolve("src/App.tsx"), "export function App() {}\n");
        try (WorkflowMessages messages = WorkflowMessages.create(InMemoryThreadStore.create())) {
            messages.start(3);
            ReadmeLangChain4j.Assistant assistant =
                    ReadmeLangChain4j.assistant(messages.guard(3), 11L, new ScriptedCodingModel(), workspace);

            assistant.chat(CodingAssistant.TASK);

            assertThat(messages.getMessages(3)).extracting(Message::content)
                    .contains("Calling AI model scripted-coder...", "Tool readFile(path=src/App.tsx) returned 25 characters");
            assertThat(messages.getMessages(3)).allSatisfy(m -> assertThat(m.agentExecutionId()).isEqualTo(11L));
            assertThat(workspace.resolve("src/Button.tsx")).exists();
        }
    }
}
