package dev.workflowthread.langchain4j;

import static dev.workflowthread.langchain4j.ScriptedChatModel.call;
import static dev.workflowthread.langchain4j.ScriptedChatModel.tools;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.memory.ChatMemory;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.TokenStream;
import dev.workflowthread.ActionType;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.Delivery;
import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.SendRequest;
import dev.workflowthread.StopRequestedException;
import dev.workflowthread.WorkflowCancelledException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowRedirectedException;
import dev.workflowthread.WorkflowThreadConfig;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.spi.ThreadStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a LangChain4j agent wired with {@link WorkflowThreadAgents} does, on a scripted model (no
 * network), on the store a subclass gives.
 */
abstract class AgentContract {

    static final Duration WAIT = Duration.ofSeconds(20);
    private static final AtomicLong IDS = new AtomicLong();
    private static final long REDIRECTED = 500_000_000L;

    /** The AI Service of the tests. */
    interface Assistant {
        String chat(String request);
    }

    /** A streaming AI Service. */
    interface StreamingAssistant {
        TokenStream chat(String request);
    }

    private ThreadStore store;
    WorkflowMessages messages;
    long id;
    CheckpointGuard guard;
    ExecutorService threads;

    /** A new, empty store, owned by the test. */
    abstract ThreadStore newStore();

    @BeforeEach
    void startWorkflow() {
        store = newStore();
        messages = WorkflowMessages.create(store, WorkflowThreadConfig.builder()
                .redirectHandler(request -> request.originalWorkflowId() + REDIRECTED).build());
        id = IDS.incrementAndGet() + System.nanoTime() % 1_000_000 * 1000;
        messages.start(id);
        guard = messages.guard(id);
        threads = Executors.newCachedThreadPool();
    }

    @AfterEach
    void close() throws Exception {
        threads.shutdownNow();
        messages.close();
        store.close();
    }

    private Assistant assistant(WorkflowAgent agent, ScriptedChatModel model, ChatMemory memory, Object... tools) {
        return agent.wire(AiServices.builder(Assistant.class))
                .chatModel(agent.chatModel(model))
                .chatMemory(agent.chatMemory(memory))
                .tools(tools)
                .build();
    }

    private List<Message> agentComments() {
        return messages.getMessages(id).stream().filter(m -> m.messageType() == MessageType.AGENT).toList();
    }

    private List<String> contents() {
        return messages.getMessages(id).stream().map(Message::content).toList();
    }

    private Message message(String content) {
        return messages.getMessages(id).stream().filter(m -> m.content().equals(content)).findFirst()
                .orElseThrow(() -> new AssertionError("no message '" + content + "' in " + contents()));
    }

    private static String text(ChatMessage message) {
        if (message instanceof UserMessage user) {
            return user.hasSingleText() ? user.singleText() : user.toString();
        }
        if (message instanceof ToolExecutionResultMessage result) {
            return String.valueOf(result.text());
        }
        if (message instanceof AiMessage ai) {
            return String.valueOf(ai.text());
        }
        return message.toString();
    }

    @Test
    void everyModelCallAndToolCallIsNarratedInOrder() {
        FileTools files = new FileTools();
        files.files.put("src/index.ts", "export const app = 1;");
        ScriptedChatModel model = new ScriptedChatModel(
                tools(call("1", "readFile", "{\"path\":\"src/index.ts\"}")),
                tools(call("2", "writeFile", "{\"path\":\"src/Button.tsx\",\"content\":\"<button/>\"}")),
                AiMessage.from("Done"));
        WorkflowAgent agent = WorkflowThreadAgents.wrap(guard, "code", 7L);

        String answer = assistant(agent, model, MessageWindowChatMemory.withMaxMessages(20), files).chat("Add a button");

        assertThat(answer).isEqualTo("Done");
        assertThat(agentComments()).extracting(Message::content).containsExactly(
                "Calling AI model scripted-model...",
                "AI model scripted-model asked for 1 tool: readFile",
                "Tool readFile(path=src/index.ts) returned 21 characters",
                "Calling AI model scripted-model...",
                "AI model scripted-model asked for 1 tool: writeFile",
                "Tool writeFile(path=src/Button.tsx, content=<button/>) returned 36 characters",
                "Calling AI model scripted-model...",
                "AI model scripted-model answered (4 characters)");
        assertThat(agentComments()).allSatisfy(m -> {
            assertThat(m.agentType()).isEqualTo("code");
            assertThat(m.agentExecutionId()).isEqualTo(7L);
        });
        Map<String, Object> response = agentComments().get(1).metadata();
        assertThat(response).containsEntry("operation", "model_response").containsEntry("model", "scripted-model")
                .containsEntry("tokens_in", 100L).containsEntry("tokens_out", 10L).containsEntry("finish_reason", "tool_execution")
                .containsEntry("tool_calls", List.of("readFile")).containsKey("duration_ms");
        Map<String, Object> tool = agentComments().get(2).metadata();
        assertThat(tool).containsEntry("operation", "tool_call").containsEntry("tool", "readFile")
                .containsEntry("arguments", Map.of("path", "src/index.ts")).containsEntry("result_chars", 21L)
                .containsKey("duration_ms");
        assertThat(files.ran()).containsExactly("readFile src/index.ts", "writeFile src/Button.tsx");
    }

    @Test
    void aToolFailureIsNarratedWithItsMessageAndSecretsAndLongArgumentsAreNotShown() {
        FileTools files = new FileTools();
        ScriptedChatModel model = new ScriptedChatModel(
                tools(call("1", "readFile", "{\"path\":\"missing.txt\"}"),
                        call("2", "login", "{\"user\":\"ci\",\"password\":\"hunter2\"}"),
                        call("3", "writeFile", "{\"path\":\"notes.md\",\"content\":\"" + "x".repeat(50) + "\"}")),
                AiMessage.from("Done"));
        WorkflowAgent agent = WorkflowThreadAgents.builder(guard).agentType("code").maxArgumentLength(10).build();

        assistant(agent, model, MessageWindowChatMemory.withMaxMessages(20), files).chat("Go");

        assertThat(contents()).contains(
                "Tool readFile(path=missing.tx…) failed: no such fi…",
                "Tool login(user=ci, password=***) returned 9 characters",
                "Tool writeFile(path=notes.md, content=xxxxxxxxxx…) returned 31 characters");
        assertThat(contents()).noneMatch(c -> c.contains("hunter2"));
        assertThat(message("Tool readFile(path=missing.tx…) failed: no such fi…").metadata())
                .containsEntry("operation", "tool_error").containsEntry("error", "no such fi…");
        // the failure went back to the model as text, as LangChain4j does by default
        assertThat(model.requests().get(1).messages()).anyMatch(m -> text(m).equals("no such file: missing.txt"));
    }

    @Test
    void whatIsNarratedIsConfigurableAndARedactorIsTheHosts() {
        FileTools files = new FileTools();
        ScriptedChatModel model = new ScriptedChatModel(
                tools(call("1", "login", "{\"user\":\"ci\",\"password\":\"hunter2\"}")), AiMessage.from("Done"));
        WorkflowAgent agent = WorkflowThreadAgents.builder(guard).narrate(Narration.TOOL_EXECUTIONS)
                .redactor((name, value) -> name.equals("user") ? "<someone>" : value).build();

        assistant(agent, model, MessageWindowChatMemory.withMaxMessages(20), files).chat("Go");

        assertThat(agentComments()).extracting(Message::content)
                .containsExactly("Tool login(user=<someone>, password=hunter2) returned 9 characters");
    }

    @Test
    void aPauseBetweenTwoToolCallsHoldsTheNextToolUntilResumed() throws Exception {
        FileTools files = new FileTools();
        files.files.put("a.txt", "A");
        files.files.put("b.txt", "B");
        files.during("a.txt", path -> messages.pause(id, "let me look"));
        ScriptedChatModel model = new ScriptedChatModel(
                tools(call("1", "readFile", "{\"path\":\"a.txt\"}"), call("2", "readFile", "{\"path\":\"b.txt\"}")),
                AiMessage.from("Done"));
        Assistant assistant = assistant(WorkflowThreadAgents.wrap(guard, "code"), model,
                MessageWindowChatMemory.withMaxMessages(20), files);

        Future<String> run = threads.submit(() -> assistant.chat("Read both"));

        await().atMost(WAIT).until(() -> contents().contains("Workflow paused at user request"));
        assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.PAUSED);
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> files.ran().equals(List.of("readFile a.txt")));
        assertThat(run).isNotDone();

        messages.unpause(id);

        assertThat(run.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("Done");
        assertThat(files.ran()).containsExactly("readFile a.txt", "readFile b.txt");
        List<String> order = contents();
        assertThat(order.indexOf("Workflow resumed")).isGreaterThan(order.indexOf("Tool readFile(path=a.txt) returned 1 characters"))
                .isLessThan(order.indexOf("Tool readFile(path=b.txt) returned 1 characters"));
    }

    /** A model that asks for two writes in one answer, a.txt then b.txt. */
    private static ScriptedChatModel twoWrites() {
        return new ScriptedChatModel(
                tools(call("1", "writeFile", "{\"path\":\"a.txt\",\"content\":\"A\"}"),
                        call("2", "writeFile", "{\"path\":\"b.txt\",\"content\":\"B\"}")),
                AiMessage.from("Done"));
    }

    /** Runs the two writes with {@code stop} sent inside the first; returns what the AI Service threw. */
    private Throwable writeBoth(FileTools files, ScriptedChatModel model, Runnable stop) {
        files.during("a.txt", path -> stop.run());
        Assistant assistant = assistant(WorkflowThreadAgents.wrap(guard, "code"), model,
                MessageWindowChatMemory.withMaxMessages(20), files);
        return catchThrowable(() -> assistant.chat("Write both"));
    }

    @Test
    void aCancelDuringAToolCallEndsTheServiceWithoutRunningTheNextTool() {
        FileTools files = new FileTools();
        ScriptedChatModel model = twoWrites();

        Throwable thrown = writeBoth(files, model, () -> messages.cancel(id, "wrong approach"));

        assertThat(thrown).isInstanceOf(WorkflowCancelledException.class);
        assertThat(files.ran()).containsExactly("writeFile a.txt");
        assertThat(files.files).doesNotContainKey("b.txt");
        assertThat(model.requests()).hasSize(1);
        assertThat(contents()).contains("Tool writeFile(path=b.txt, content=B) not run: the workflow was cancelled");
        assertThat(message("Tool writeFile(path=b.txt, content=B) not run: the workflow was cancelled").metadata())
                .containsEntry("operation", "tool_not_run").containsEntry("status", "cancelled");
        assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.CANCELLED);
    }

    @Test
    void aCancelBeforeAModelCallEndsTheServiceWithoutCallingTheModel() {
        FileTools files = new FileTools();
        files.files.put("a.txt", "A");
        files.during("a.txt", path -> messages.cancel(id, "enough"));
        ScriptedChatModel model = new ScriptedChatModel(
                tools(call("1", "readFile", "{\"path\":\"a.txt\"}")), AiMessage.from("Done"));
        Assistant assistant = assistant(WorkflowThreadAgents.wrap(guard, "code"), model,
                MessageWindowChatMemory.withMaxMessages(20), files);

        assertThat(catchThrowable(() -> assistant.chat("Read"))).isInstanceOf(WorkflowCancelledException.class);
        assertThat(model.requests()).hasSize(1);
    }

    @Test
    void anInstructionSentMidRunReachesTheNextRequestAndIsAcknowledgedOnceSeen() {
        FileTools files = new FileTools();
        files.files.put("auth.ts", "login()");
        long[] instruction = new long[1];
        files.during("auth.ts", path -> instruction[0] = messages.send(id,
                SendRequest.of(ActionType.INSTRUCTION, "the auth system uses JWT cookies")).messageId());
        ScriptedChatModel model = new ScriptedChatModel(
                tools(call("1", "readFile", "{\"path\":\"auth.ts\"}")), AiMessage.from("Done"));
        ChatMemory memory = MessageWindowChatMemory.withMaxMessages(20);
        Assistant assistant = assistant(WorkflowThreadAgents.wrap(guard, "code"), model, memory, files);

        assistant.chat("Fix the login");

        assertThat(model.requests()).hasSize(2);
        assertThat(model.requests().get(0).messages()).noneMatch(m -> text(m).contains("JWT"));
        List<ChatMessage> second = model.requests().get(1).messages();
        assertThat(second.get(second.size() - 1)).isInstanceOf(UserMessage.class);
        assertThat(text(second.get(second.size() - 1))).isEqualTo("Instruction: the auth system uses JWT cookies");
        assertThat(memory.messages()).anyMatch(m -> text(m).equals("Instruction: the auth system uses JWT cookies"));

        Message ack = message("Acknowledged user context - the auth system uses JWT cookies");
        assertThat(ack.inReplyTo()).isEqualTo(instruction[0]);
        List<Message> all = messages.getMessages(id);
        long secondAnswer = all.stream().filter(m -> m.content().equals("AI model scripted-model answered (4 characters)"))
                .findFirst().orElseThrow().seq();
        assertThat(ack.seq()).isGreaterThan(secondAnswer);
    }

    @Test
    void anUrgentMessageCancelsAStreamingCallAndReachesTheNextOne() throws Exception {
        ScriptedStreamingChatModel model = new ScriptedStreamingChatModel(List.of(
                List.of("Let me ", "think", ScriptedStreamingChatModel.HOLD, " about all of it"),
                List.of("OK, red it is")));
        WorkflowAgent agent = WorkflowThreadAgents.wrap(guard, "code");
        StreamingAssistant assistant = agent.wire(AiServices.builder(StreamingAssistant.class))
                .streamingChatModel(agent.streamingChatModel(model))
                .chatMemory(agent.chatMemory(MessageWindowChatMemory.withMaxMessages(20)))
                .build();
        CountDownLatch streaming = new CountDownLatch(2);
        CompletableFuture<String> first = new CompletableFuture<>();

        assistant.chat("Make a button")
                .onPartialResponse(part -> streaming.countDown())
                .onCompleteResponse(response -> first.complete(response.aiMessage().text()))
                .onError(first::completeExceptionally)
                .start();
        assertThat(streaming.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        messages.send(id, SendRequest.of(ActionType.INSTRUCTION, "make it red")
                .withMetadata(Map.of(Message.DELIVERY, Delivery.INTERRUPT.wireName())));

        Throwable error = catchThrowable(() -> first.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(error).hasRootCauseInstanceOf(StopRequestedException.class);
        assertThat(model.handles().get(0).isCancelled()).isTrue();
        Message cut = message("AI model scripted-stream cut short after 12 characters (urgent message)");
        assertThat(cut.metadata()).containsEntry("operation", "model_cut_short")
                .containsEntry("partial_answer", "Let me think").containsEntry("reason", "urgent_message");
        assertThat(contents()).noneMatch(c -> c.startsWith("AI model scripted-stream failed"));

        CompletableFuture<String> second = new CompletableFuture<>();
        assistant.chat("Go on")
                .onPartialResponse(part -> { })
                .onCompleteResponse(response -> second.complete(response.aiMessage().text()))
                .onError(second::completeExceptionally)
                .start();

        assertThat(second.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("OK, red it is");
        assertThat(model.requests().get(1).messages()).anyMatch(m -> text(m).equals("Instruction: make it red"));
        await().atMost(WAIT).until(() -> contents().contains("Acknowledged user context - make it red"));
    }

    @Test
    void aStreamingCallThatIsNotStoppedEndsAsUsual() throws Exception {
        ScriptedStreamingChatModel model = new ScriptedStreamingChatModel(List.of(List.of("Hello", " there")));
        WorkflowAgent agent = WorkflowThreadAgents.wrap(guard, "code");
        StreamingAssistant assistant = agent.wire(AiServices.builder(StreamingAssistant.class))
                .streamingChatModel(agent.streamingChatModel(model)).build();
        CompletableFuture<String> done = new CompletableFuture<>();

        assistant.chat("Hi").onPartialResponse(part -> { })
                .onCompleteResponse(response -> done.complete(response.aiMessage().text()))
                .onError(done::completeExceptionally).start();

        assertThat(done.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("Hello there");
        await().atMost(WAIT).until(() -> contents().contains("AI model scripted-stream answered (11 characters)"));
        assertThat(contents()).contains("Calling AI model scripted-stream...");
    }

    @Test
    void aRedirectDuringAToolCallEndsTheServiceWithTheRedirectException() {
        FileTools files = new FileTools();

        Throwable thrown = writeBoth(files, twoWrites(),
                () -> messages.send(id, SendRequest.redirect("do the settings page first", "Add a settings page")));

        assertThat(thrown).isInstanceOf(WorkflowRedirectedException.class);
        assertThat(((WorkflowRedirectedException) thrown).newWorkflowId()).isEqualTo(id + REDIRECTED);
        assertThat(files.ran()).containsExactly("writeFile a.txt");
        assertThat(contents()).contains("Tool writeFile(path=b.txt, content=B) not run: the workflow was redirected");
    }

    @Test
    void aCancelDuringAStreamingCallCutsItShort() throws Exception {
        ScriptedStreamingChatModel model = new ScriptedStreamingChatModel(List.of(
                List.of("Half ", "an answer", ScriptedStreamingChatModel.HOLD, " and the rest")));
        WorkflowAgent agent = WorkflowThreadAgents.wrap(guard, "code");
        StreamingAssistant assistant = agent.wire(AiServices.builder(StreamingAssistant.class))
                .streamingChatModel(agent.streamingChatModel(model)).build();
        CountDownLatch streaming = new CountDownLatch(2);
        CompletableFuture<String> answer = new CompletableFuture<>();

        assistant.chat("Explain").onPartialResponse(part -> streaming.countDown())
                .onCompleteResponse(response -> answer.complete(response.aiMessage().text()))
                .onError(answer::completeExceptionally).start();
        assertThat(streaming.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        messages.cancel(id, "not needed");

        Throwable error = catchThrowable(() -> answer.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(error).hasRootCauseInstanceOf(StopRequestedException.class);
        assertThat(model.handles().get(0).isCancelled()).isTrue();
        assertThat(contents()).contains("AI model scripted-stream cut short after 14 characters (cancel)");
        assertThat(catchThrowable(guard::check)).isInstanceOf(WorkflowCancelledException.class);
    }

    @Test
    void aCancelDuringAToolCallOfAStreamingServiceEndsItWithTheStopException() throws Exception {
        FileTools files = new FileTools();
        files.during("a.txt", path -> messages.cancel(id, "stop streaming"));
        ScriptedStreamingChatModel model = new ScriptedStreamingChatModel(List.of(
                List.of(ScriptedStreamingChatModel.TOOL + "writeFile {\"path\":\"a.txt\",\"content\":\"A\"}"),
                List.of("never streamed")));
        WorkflowAgent agent = WorkflowThreadAgents.wrap(guard, "code");
        StreamingAssistant assistant = agent.wire(AiServices.builder(StreamingAssistant.class))
                .streamingChatModel(agent.streamingChatModel(model))
                .chatMemory(agent.chatMemory(MessageWindowChatMemory.withMaxMessages(20)))
                .tools(files)
                .build();
        CompletableFuture<String> answer = new CompletableFuture<>();

        assistant.chat("Write").onPartialResponse(part -> { })
                .onCompleteResponse(response -> answer.complete(response.aiMessage().text()))
                .onError(answer::completeExceptionally).start();

        Throwable error = catchThrowable(() -> answer.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(error).hasRootCauseInstanceOf(WorkflowCancelledException.class);
        assertThat(files.ran()).containsExactly("writeFile a.txt");
        assertThat(model.requests()).hasSize(1);
        assertThat(contents()).noneMatch(c -> c.startsWith("AI model scripted-stream failed"));
    }

    @Test
    void askUserGetsThePersonsAnswer() throws Exception {
        ScriptedChatModel model = new ScriptedChatModel(
                tools(call("1", "askUser", "{\"question\":\"Which button style?\",\"options\":[\"Primary\",\"Secondary\"]}")),
                AiMessage.from("Secondary it is"));
        WorkflowAgent agent = WorkflowThreadAgents.wrap(guard, "code");
        Assistant assistant = assistant(agent, model, MessageWindowChatMemory.withMaxMessages(20), agent.askUserTool());

        Future<String> run = threads.submit(() -> assistant.chat("Add a button"));

        await().atMost(WAIT).until(() -> messages.getMessages(id).stream().anyMatch(Message::isQuestion));
        Message question = messages.getMessages(id).stream().filter(Message::isQuestion).findFirst().orElseThrow();
        assertThat(question.content()).isEqualTo("Which button style?");
        assertThat(question.metadata()).containsEntry(Message.OPTIONS, List.of("Primary", "Secondary"));
        messages.send(id, SendRequest.of(ActionType.COMMENT, "Secondary")
                .withMetadata(Map.of(Message.IN_REPLY_TO, question.id(), Message.CHOICE, "Secondary"))
                .withAuthor("alice"));

        assertThat(run.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("Secondary it is");
        assertThat(model.requests().get(1).messages())
                .anyMatch(m -> m instanceof ToolExecutionResultMessage r && r.text().equals("Secondary"));
    }

    @Test
    void askUserGoesOnWithTheFirstOptionWhenNobodyAnswersInTime() {
        ScriptedChatModel model = new ScriptedChatModel(
                tools(call("1", "askUser", "{\"question\":\"Which?\",\"options\":[\"Primary\",\"Secondary\"]}")),
                AiMessage.from("Primary then"));
        WorkflowAgent agent = WorkflowThreadAgents.builder(guard).questionTimeout(Duration.ofMillis(200)).build();
        Assistant assistant = assistant(agent, model, MessageWindowChatMemory.withMaxMessages(20), agent.askUserTool());

        assertThat(assistant.chat("Go")).isEqualTo("Primary then");
        assertThat(model.requests().get(1).messages()).anyMatch(m -> m instanceof ToolExecutionResultMessage r
                && r.text().equals("Nobody answered in time; going on with 'Primary'."));
    }

    @Test
    void aCancelWhileAskingEndsTheServiceWithTheStopException() throws Exception {
        ScriptedChatModel model = new ScriptedChatModel(
                tools(call("1", "askUser", "{\"question\":\"Which?\",\"options\":[]}")), AiMessage.from("never"));
        WorkflowAgent agent = WorkflowThreadAgents.wrap(guard, "code");
        Assistant assistant = assistant(agent, model, MessageWindowChatMemory.withMaxMessages(20), agent.askUserTool());

        Future<String> run = threads.submit(() -> assistant.chat("Go"));
        await().atMost(WAIT).until(() -> messages.getMessages(id).stream().anyMatch(Message::isQuestion));
        messages.cancel(id, "never mind");

        Throwable thrown = catchThrowable(() -> run.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertThat(thrown.getCause()).isInstanceOf(WorkflowCancelledException.class);
        assertThat(model.requests()).hasSize(1);
    }
}
