package dev.workflowthread.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.jdbc.JdbcThreadStore;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quick start keeps its threads in an H2 file: a second run sees the first run's history. */
class QuickStartHistoryTest {

    @Test
    void aSecondRunShowsTheHistoryOfTheFirstAndStartsAWorkflowOfItsOwn(@TempDir Path folder) {
        Path database = folder.resolve("thread");
        String first = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (JdbcThreadStore store = QuickStart.h2File(database)) {
                return QuickStart.run(store);
            }
        });
        String second = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (JdbcThreadStore store = QuickStart.h2File(database)) {
                return QuickStart.run(store);
            }
        });

        long firstId = QuickStart.WORKFLOW_ID;
        long secondId = QuickStart.WORKFLOW_ID + QuickStart.RUN_STRIDE;
        assertThat(first).doesNotContain("earlier run").contains("=== Workflow #" + firstId + ": ");
        assertThat(second).startsWith("This store already holds 1 earlier run. The last one's workflow #" + firstId
                        + " ended redirected to #" + (firstId + QuickStart.REDIRECT_OFFSET))
                .contains("  [Agent Comment] Starting plan agent - ")
                .contains("=== Workflow #" + secondId + ": ")
                .contains("new workflow #" + (secondId + QuickStart.REDIRECT_OFFSET) + " created");

        // Read back by a third process-like opening of the file: both runs' threads are whole.
        try (JdbcThreadStore store = QuickStart.h2File(database); WorkflowMessages messages = WorkflowMessages.create(store)) {
            assertThat(messages.getState(firstId).status()).isEqualTo(WorkflowStatus.REDIRECTED);
            assertThat(messages.getState(secondId).status()).isEqualTo(WorkflowStatus.REDIRECTED);
            assertThat(messages.getState(secondId + QuickStart.REDIRECT_OFFSET).status()).isEqualTo(WorkflowStatus.COMPLETED);
            assertThat(messages.getMessages(firstId)).extracting(m -> QuickStart.format(m))
                    .containsSubsequence("[System] Workflow paused at user request", "[System] Workflow resumed");
        }
    }
}
