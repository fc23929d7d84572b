package dev.workflowthread.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class QuickStartTest {

    private static final String PAUSE = "[User Message] Please pause - I need to add something to the requirements";
    private static final String PAUSED = "[System] Workflow paused at user request";
    private static final String INSTRUCTION =
            "[User Message] Note: The authentication system uses JWT tokens stored in httpOnly cookies";
    private static final String RESUME = "[User Message] Resume - I've updated the requirements";
    private static final String RESUMED = "[System] Workflow resumed";
    private static final String ACKNOWLEDGED = "[Agent Comment] Acknowledged user context - ";
    private static final String REDIRECT =
            "[User Message] REDIRECT: Actually, make this a dropdown menu instead of a button";
    private static final String CREATING = "[System] Creating new workflow with updated instructions...";
    private static final String REDIRECTED = "[System] Original workflow cancelled, new workflow #";

    private static String output;
    private static List<String> lines;

    @BeforeAll
    static void runDemo() {
        // Bounded: a demo whose scripted user and agent loop wait for each other must not hang the build.
        output = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> QuickStart.run());
        lines = output.lines().toList();
    }

    @Test
    void printsTheThreadInThePlansOrder() {
        assertThat(output).containsSubsequence(
                "[Agent Comment] Starting plan agent - ",
                "[Agent Comment] Reading file: src/index.ts",
                PAUSE, PAUSED, INSTRUCTION, RESUME, RESUMED, ACKNOWLEDGED,
                "[Agent Comment] Starting code agent - Implementing code changes",
                lineStartingWith("[Agent Comment] " + ScriptedUser.REDIRECT_TRIGGER + " ("),
                REDIRECT, CREATING, REDIRECTED + (QuickStart.WORKFLOW_ID + QuickStart.REDIRECT_OFFSET) + " created");
    }

    @Test
    void theAcknowledgementFollowsTheResumeDirectly() {
        int resumed = indexOf(RESUMED);
        assertThat(lines.get(resumed + 1)).startsWith(ACKNOWLEDGED).contains("JWT tokens stored in httpOnly cookies");
        assertThat(lines.get(resumed + 2)).isEqualTo("[Agent Comment] Continuing plan agent execution...");
    }

    @Test
    void theAgentsWorkOnRealFilesAndTheNoteReachesThePlan() {
        assertThat(output).contains("[Agent Comment] Plan completed - 5 sub-tasks identified (1 user note considered)")
                .containsPattern("\\[Agent Comment\\] Writing file: \\.workflow/plan\\.md \\(\\d+ bytes\\)")
                .contains("[Agent Comment] Build verification: PASSED");
    }

    @Test
    void noAgentWritesWhileThePauseHolds() {
        int paused = indexOf(PAUSED);
        int resumed = indexOf(RESUMED);
        assertThat(paused).isLessThan(resumed);
        assertThat(lines.subList(paused + 1, resumed))
                .containsExactly(INSTRUCTION, RESUME)
                .noneMatch(line -> line.startsWith("[Agent Comment]"));
    }

    @Test
    void theRedirectEndsTheOriginalWorkflowAndTheNewOneRunsToTheEnd() {
        int redirected = indexOf(REDIRECTED + (QuickStart.WORKFLOW_ID + QuickStart.REDIRECT_OFFSET) + " created");
        assertThat(lines.get(redirected + 1)).isEmpty();
        assertThat(lines.get(redirected + 2)).startsWith("=== Workflow #1042: ");
        assertThat(lines.subList(redirected + 2, lines.size()))
                .anyMatch(line -> line.matches("\\[Agent Comment\\] Tests: \\d+ passed, 0 failed"))
                // the new task asked for a dropdown: the code agent writes one this time
                .anyMatch(line -> line.startsWith("[Agent Comment] Writing file: src/components/SettingsMenu.tsx ("))
                .last().isEqualTo("[System] Workflow completed: all 6 agents finished");
    }

    @Test
    void everyLineIsAHeaderOrAMessageInThePlansFormat() {
        assertThat(lines).allMatch(line -> line.isEmpty() || line.startsWith("=== Workflow #")
                || line.startsWith("[Agent Comment] ") || line.startsWith("[User Message] ")
                || line.startsWith("[System] "));
        assertThat(lines.stream().filter(line -> line.equals(PAUSE))).hasSize(1);
    }

    private static String lineStartingWith(String prefix) {
        return lines.stream().filter(line -> line.startsWith(prefix)).findFirst()
                .orElseThrow(() -> new AssertionError("no line starts with " + prefix + " in\n" + output));
    }

    private static int indexOf(String line) {
        int index = lines.indexOf(line);
        assertThat(index).as("line %s in%n%s", line, output).isNotNegative();
        return index;
    }
}
