package dev.workflowthread.examples.langchain4j;

import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.SystemMessage;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.Message;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.inmemory.InMemoryThreadStore;
import dev.workflowthread.langchain4j.WorkflowAgent;
import dev.workflowthread.langchain4j.WorkflowThreadAgents;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A small LangChain4j coding assistant in a workflow's thread: an AI Service with file tools over a
 * temporary copy of a tiny project, and the {@code askUser} tool, wired with
 * {@link WorkflowThreadAgents} so that every model call and tool call is narrated in the thread and
 * a pause, cancel or instruction from a person reaches it between two of them.
 *
 * <p>The model comes from the environment:
 * <ul>
 *   <li>{@code OPENAI_BASE_URL} (optional, default {@code https://api.openai.com/v1}),
 *       {@code OPENAI_API_KEY} and {@code OPENAI_MODEL} (default {@code gpt-4o-mini}): an
 *       OpenAI-compatible server;</li>
 *   <li>{@code OLLAMA_BASE_URL} (e.g. {@code http://localhost:11434}) and {@code OLLAMA_MODEL}
 *       (default {@code llama3.1}): Ollama, through its OpenAI-compatible API at {@code /v1};</li>
 *   <li>neither: the scripted model ({@link ScriptedCodingModel}), no network, and it says so.</li>
 * </ul>
 *
 * <p>Run it with {@code ./mvnw -q -pl examples -am compile exec:java
 * -Dexec.mainClass=dev.workflowthread.examples.langchain4j.CodingAssistant}.
 */
public final class CodingAssistant {

    /** The workflow the assistant runs in. */
    public static final long WORKFLOW_ID = 1;
    /** What it is asked to do. */
    public static final String TASK = "Add a reusable Button component to the app in src/.";

    /** The AI Service. */
    interface Coder {
        @SystemMessage("""
                You are a careful coding assistant working on a small TypeScript project.
                Use the tools to look at the files before you change them, write whole files,
                and ask the person with askUser when a decision is theirs. End with one sentence
                saying what you changed.""")
        String work(String task);
    }

    private CodingAssistant() {
    }

    /**
     * Runs the assistant once, with the model the environment names, and prints the thread.
     *
     * @param args none
     * @throws IOException when the temporary project cannot be written
     */
    public static void main(String[] args) throws IOException {
        run(System.getenv(), System.out);
    }

    /**
     * Runs the assistant with the model {@code env} names (the scripted one when none) on a new
     * temporary project and an in-memory store, and prints what it does.
     *
     * @param env the environment variables
     * @param out where to print
     * @return the assistant's last words
     * @throws IOException when the temporary project cannot be written
     */
    public static String run(Map<String, String> env, PrintStream out) throws IOException {
        Optional<ChatModel> configured = configuredModel(env);
        out.println(configured.isPresent() ? "Using the AI provider from the environment."
                : "No AI provider configured (set OPENAI_API_KEY, or OLLAMA_BASE_URL): running on the scripted model.");
        Path project = sampleProject();
        out.println("Project: " + project);
        try (WorkflowMessages messages = WorkflowMessages.create(InMemoryThreadStore.create())) {
            String summary = run(messages, WORKFLOW_ID, project, configured.orElseGet(ScriptedCodingModel::new));
            for (Message message : messages.getMessages(WORKFLOW_ID)) {
                out.println("[" + message.messageType() + "] " + message.content());
            }
            return summary;
        }
    }

    /**
     * Runs the assistant in workflow {@code workflowId} of {@code messages} on {@code project}.
     *
     * @param messages   the library service
     * @param workflowId the workflow, started here
     * @param project    the folder the file tools work in
     * @param model      the model
     * @return the assistant's last words
     */
    public static String run(WorkflowMessages messages, long workflowId, Path project, ChatModel model) {
        messages.start(workflowId);
        CheckpointGuard guard = messages.guard(workflowId);
        guard.agentStarting("code", TASK);
        WorkflowAgent agent = WorkflowThreadAgents.builder(guard).agentType("code").executionId(1L)
                .questionTimeout(Duration.ofMinutes(2)).build();
        Coder coder = agent.wire(AiServices.builder(Coder.class))
                .chatModel(agent.chatModel(model))
                .chatMemory(agent.chatMemory(MessageWindowChatMemory.withMaxMessages(40)))
                .tools(new WorkspaceTools(project), agent.askUserTool())
                .build();
        String summary = coder.work(TASK);
        guard.agentCompleted("code", summary, null);
        messages.complete(workflowId, summary);
        return summary;
    }

    /**
     * The model the environment configures, if any.
     *
     * @param env the environment variables
     * @return an OpenAI-compatible model, or empty for none
     */
    public static Optional<ChatModel> configuredModel(Map<String, String> env) {
        String openAiKey = env.get("OPENAI_API_KEY");
        if (openAiKey != null && !openAiKey.isBlank()) {
            return Optional.of(OpenAiChatModel.builder()
                    .baseUrl(env.getOrDefault("OPENAI_BASE_URL", "https://api.openai.com/v1"))
                    .apiKey(openAiKey)
                    .modelName(env.getOrDefault("OPENAI_MODEL", "gpt-4o-mini"))
                    .timeout(Duration.ofMinutes(2))
                    .build());
        }
        String ollama = env.get("OLLAMA_BASE_URL");
        if (ollama != null && !ollama.isBlank()) {
            String base = ollama.endsWith("/") ? ollama.substring(0, ollama.length() - 1) : ollama;
            return Optional.of(OpenAiChatModel.builder()
                    .baseUrl(base.endsWith("/v1") ? base : base + "/v1")
                    .apiKey("ollama")   // Ollama takes any key
                    .modelName(env.getOrDefault("OLLAMA_MODEL", "llama3.1"))
                    .timeout(Duration.ofMinutes(5))
                    .build());
        }
        return Optional.empty();
    }

    /**
     * A new temporary folder with a tiny TypeScript app in it.
     *
     * @return the folder
     * @throws IOException when it cannot be written
     */
    public static Path sampleProject() throws IOException {
        Path project = Files.createTempDirectory("coding-assistant");
        Files.createDirectories(project.resolve("src"));
        Files.writeString(project.resolve("src/App.tsx"), """
                export function App() {
                  return <main><h1>Dashboard</h1></main>;
                }
                """);
        Files.writeString(project.resolve("package.json"), """
                { "name": "dashboard", "private": true }
                """);
        return project;
    }
}
