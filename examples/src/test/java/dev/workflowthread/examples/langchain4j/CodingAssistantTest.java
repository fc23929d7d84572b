package dev.workflowthread.examples.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.inmemory.InMemoryThreadStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The coding assistant example, on the scripted model (no network). */
class CodingAssistantTest {

    @Test
    void onTheScriptedModelItWritesTheButtonAndTheThreadNarratesEveryStep() throws Exception {
        Path project = CodingAssistant.sampleProject();
        try (WorkflowMessages messages = WorkflowMessages.create(InMemoryThreadStore.create())) {
            String summary = CodingAssistant.run(messages, 5, project, new ScriptedCodingModel());

            assertThat(summary).isEqualTo("Added src/Button.tsx, a Button component for src/App.tsx to use.");
            assertThat(Files.readString(project.resolve("src/Button.tsx"))).isEqualTo(ScriptedCodingModel.BUTTON);
            List<String> agent = messages.getMessages(5).stream().filter(m -> m.messageType() == MessageType.AGENT)
                    .map(Message::content).toList();
            assertThat(agent).containsExactly(
                    "Starting code agent - " + CodingAssistant.TASK,
                    "Calling AI model scripted-coder...",
                    "AI model scripted-coder asked for 1 tool: listFiles",
                    "Tool listFiles() returned 24 characters",
                    "Calling AI model scripted-coder...",
                    "AI model scripted-coder asked for 1 tool: readFile",
                    "Tool readFile(path=src/App.tsx) returned 68 characters",
                    "Calling AI model scripted-coder...",
                    "AI model scripted-coder asked for 1 tool: writeFile",
                    "Tool writeFile(path=src/Button.tsx, content=export function Button({ label, onClick }: { label: string;"
                            + " onClick: () => void …) returned 33 characters",
                    "Calling AI model scripted-coder...",
                    "AI model scripted-coder answered (64 characters)",
                    "code agent completed: " + summary);
            assertThat(messages.getState(5).status()).isEqualTo(WorkflowStatus.COMPLETED);
        }
    }

    @Test
    void withNoProviderConfiguredItSaysItRunsOnTheScriptedModel() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        CodingAssistant.run(Map.of(), new PrintStream(printed, true, StandardCharsets.UTF_8));

        String out = printed.toString(StandardCharsets.UTF_8);
        assertThat(out).startsWith("No AI provider configured (set OPENAI_API_KEY, or OLLAMA_BASE_URL): running on the scripted model.");
        assertThat(out).contains("[AGENT] Tool writeFile(path=src/Button.tsx");
    }

    @Test
    void theEnvironmentNamesAnOpenAiCompatibleServerOrOllama() {
        assertThat(CodingAssistant.configuredModel(Map.of())).isEmpty();
        assertThat(CodingAssistant.configuredModel(Map.of("OPENAI_API_KEY", " "))).isEmpty();

        ChatModel openAi = CodingAssistant.configuredModel(Map.of("OPENAI_API_KEY", "sk-test",
                "OPENAI_BASE_URL", "http://127.0.0.1:1/v1", "OPENAI_MODEL", "some-model")).orElseThrow();
        assertThat(openAi).isInstanceOf(OpenAiChatModel.class);
        assertThat(openAi.defaultRequestParameters().modelName()).isEqualTo("some-model");

        ChatModel ollama = CodingAssistant.configuredModel(Map.of("OLLAMA_BASE_URL", "http://127.0.0.1:11434/")).orElseThrow();
        assertThat(ollama.defaultRequestParameters().modelName()).isEqualTo("llama3.1");
    }

    @Test
    void theFileToolsStayInsideTheProject(@TempDir Path project) {
        WorkspaceTools tools = new WorkspaceTools(project);

        assertThatThrownBy(() -> tools.readFile("../outside.txt"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("../outside.txt");
        assertThatThrownBy(() -> tools.writeFile("/etc/passwd", "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
