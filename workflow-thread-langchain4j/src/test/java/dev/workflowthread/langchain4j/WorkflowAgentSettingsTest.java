package dev.workflowthread.langchain4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.workflowthread.CheckpointGuard;
import dev.workflowthread.InvalidArgumentException;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.inmemory.InMemoryThreadStore;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The agent's settings refuse bad values naming them; the tool call format reads as documented. */
class WorkflowAgentSettingsTest {

    private static String field(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return catchThrowableOfType(InvalidArgumentException.class, call).field();
    }

    @Test
    void badSettingsAreRefusedNamingTheField() {
        try (WorkflowMessages messages = WorkflowMessages.create(InMemoryThreadStore.create())) {
            messages.start(1);
            CheckpointGuard guard = messages.guard(1);
            WorkflowAgent.Builder builder = WorkflowThreadAgents.builder(guard);
            assertThat(field(() -> WorkflowThreadAgents.builder(null))).isEqualTo("guard");
            assertThat(field(() -> WorkflowThreadAgents.wrap(null, 1, "code"))).isEqualTo("messages");
            assertThat(field(() -> builder.maxArgumentLength(0))).isEqualTo("maxArgumentLength");
            assertThat(field(() -> builder.questionTimeout(Duration.ZERO))).isEqualTo("questionTimeout");
            assertThat(field(() -> builder.questionTimeout(null))).isEqualTo("questionTimeout");
            assertThat(field(() -> builder.redactor(null))).isEqualTo("redactor");
            assertThat(field(() -> builder.narrate((Narration[]) null))).isEqualTo("narration");
            assertThat(field(() -> builder.narrate(Narration.MODEL_CALLS, null))).isEqualTo("narration");
            WorkflowAgent agent = builder.build();
            assertThat(field(() -> agent.wire(null))).isEqualTo("aiServices");
            assertThat(field(() -> agent.chatModel(null))).isEqualTo("model");
            assertThat(field(() -> agent.streamingChatModel(null))).isEqualTo("model");
            assertThat(field(() -> agent.chatMemory(null))).isEqualTo("memory");
            assertThat(messages.getMessages(1)).isEmpty();
        }
    }

    @Test
    void theDefaultRedactorHidesWhatIsNamedLikeASecret() {
        ToolCallFormat format = new ToolCallFormat(ArgumentRedactor.SECRETS, 80);
        ToolExecutionRequest request = ToolExecutionRequest.builder().name("deploy")
                .arguments("{\"apiKey\":\"k1\",\"GITHUB_TOKEN\":\"t1\",\"db_password\":\"p1\",\"region\":\"eu\",\"count\":3,"
                        + "\"tags\":[\"a\",\"b\"]}").build();

        Map<String, String> shown = format.arguments(request);

        assertThat(format.call(request, shown))
                .isEqualTo("deploy(apiKey=***, GITHUB_TOKEN=***, db_password=***, region=eu, count=3, tags=[a, b])");
    }

    @Test
    void argumentsThatAreNoJsonObjectAreShownAsOneValueAndNoneAsEmptyParentheses() {
        ToolCallFormat format = new ToolCallFormat(ArgumentRedactor.NONE, 5);

        ToolExecutionRequest raw = ToolExecutionRequest.builder().name("run").arguments("not json at all").build();
        ToolExecutionRequest none = ToolExecutionRequest.builder().name("list").arguments("{}").build();

        assertThat(format.call(raw, format.arguments(raw))).isEqualTo("run(arguments=not j…)");
        assertThat(format.call(none, format.arguments(none))).isEqualTo("list()");
    }

    @Test
    void truncationDoesNotSplitACharacterOutsideTheBasicPlane() {
        ToolCallFormat format = new ToolCallFormat(ArgumentRedactor.NONE, 3);

        assertThat(format.truncate("ab\uD83D\uDE00cd")).isEqualTo("ab…");
        assertThat(format.truncate("abc")).isEqualTo("abc");
    }
}
