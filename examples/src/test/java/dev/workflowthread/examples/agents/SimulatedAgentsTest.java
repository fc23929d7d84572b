package dev.workflowthread.examples.agents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.workflowthread.ActionType;
import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.SendRequest;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.inmemory.InMemoryThreadStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The six simulated agents work on real files, narrate it, obey the checkpoint, and leave room for a host's own agent. */
class SimulatedAgentsTest {
    private static final long ID = 7;

    @TempDir
    Path folder;
    private final WorkflowMessages messages = WorkflowMessages.create(InMemoryThreadStore.create());
    private final ExecutorService pool = Executors.newSingleThreadExecutor();

    @AfterEach
    void close() {
        pool.shutdownNow();
        messages.close();
    }

    @Test
    void theSixAgentsReadAndWriteTheSampleProjectAndNarrateEveryStep() throws Exception {
        DemoOrchestrator.Outcome outcome = run("Add a settings page to the dashboard");

        assertThat(outcome.status()).isEqualTo(WorkflowStatus.COMPLETED);
        List<String> thread = contents();
        assertThat(thread.stream().filter(line -> line.startsWith("Starting ")).map(line -> line.split(" ")[1]))
                .containsExactly("plan", "scaffold", "code", "test", "review", "docs");
        assertThat(thread).contains("Reading file: package.json", "Stack: React 18.2.0, TypeScript 5.4.2, tests with vitest 1.3.1",
                "Found 2 routes: /, /profile", "Registered route /settings in src/routes.ts", "Build verification: PASSED",
                "Tests: 9 passed, 0 failed", "Workflow completed: all 6 agents finished");
        assertThat(thread).anyMatch(line -> line.startsWith("Calling AI model for "));

        Path project = folder.resolve("project");
        assertThat(project.resolve("src/routes.ts")).content().contains("path: \"/settings\"", "import { SettingsPage }");
        assertThat(project.resolve("src/pages/SettingsPage.tsx")).content().contains("loadSettings().then(setData)");
        assertThat(project.resolve("src/pages/__tests__/SettingsPage.test.tsx")).exists();
        assertThat(project.resolve(".workflow/plan.md")).content().contains("1. Scaffold SettingsPage");
        assertThat(project.resolve(".workflow/review.md")).content().contains("Verdict: no blocking issues");
        assertThat(project.resolve("README.md")).content().contains("- `/settings` settings");
        assertThat(project.resolve("CHANGELOG.md")).content().contains("- Add a settings page to the dashboard");
        // Every "Writing file" gives the size the file has (or had, for a file written again later).
        long apiBytes = Files.size(project.resolve("src/api/settings.ts"));
        assertThat(thread).contains("Writing file: src/api/settings.ts (" + apiBytes + " bytes)");
    }

    @Test
    void anInstructionIsAcknowledgedInThePlansWordsAndReachesTheFiles() throws Exception {
        messages.start(ID);
        messages.send(ID, SendRequest.of(ActionType.INSTRUCTION, "Use JWT tokens stored in httpOnly cookies"));

        run("Add a settings page to the dashboard");

        assertThat(contents()).contains("Acknowledged user context - will consider \"Use JWT tokens stored in httpOnly cookies\""
                + " from the next agent on", "Plan completed - 5 sub-tasks identified (1 user note considered)");
        Path project = folder.resolve("project");
        assertThat(project.resolve("src/api/settings.ts")).content()
                .startsWith("// Taken into account: Use JWT tokens stored in httpOnly cookies");
        assertThat(project.resolve("docs/settings.md")).content().contains("- Use JWT tokens stored in httpOnly cookies");
        assertThat(messages.getMessages(ID)).filteredOn(m -> m.messageType() == MessageType.USER)
                .extracting(Message::actionStatus).containsExactly(dev.workflowthread.ActionStatus.PROCESSED);
    }

    @Test
    void aDropdownTaskGetsAMenuInTheHeaderAndItsTests() throws Exception {
        run("Add a settings page, opened from a dropdown menu");

        Path project = folder.resolve("project");
        assertThat(project.resolve("src/components/SettingsMenu.tsx")).content().contains("aria-haspopup=\"menu\"");
        assertThat(project.resolve("src/components/Header.tsx")).content().contains("<SettingsMenu />", "from \"./SettingsMenu\"");
        assertThat(contents()).contains("Tests: 11 passed, 0 failed",
                "Review: src/components/SettingsMenu.tsx - the menu button should say whether it is open (aria-expanded) (suggestion)");
    }

    @Test
    void thePausedAgentWritesNothingUntilResumed() throws Exception {
        messages.start(ID);
        messages.pause(ID, "Hold on");
        Future<DemoOrchestrator.Outcome> running = pool.submit(() -> new DemoOrchestrator(messages,
                DemoOrchestrator.CheckpointObserver.NONE).run(ID, "Add a settings page", project(), SimulatedAgents.pipeline(Pace.INSTANT)));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> messages.getState(ID).paused());

        assertThat(messages.getMessages(ID)).noneMatch(m -> m.messageType() == MessageType.AGENT);
        assertThat(running).isNotDone();
        messages.unpause(ID);

        assertThat(running.get(20, TimeUnit.SECONDS).status()).isEqualTo(WorkflowStatus.COMPLETED);
    }

    @Test
    void aHostPlugsInItsOwnAgentAndACancelStopsIt() throws Exception {
        CountDownLatch working = new CountDownLatch(1);
        Agent ownAgent = new HostAgent("code", "Asking the real model", context -> {
            for (int step = 1; ; step++) {
                context.narrator().callingModel("step " + step);
                working.countDown();
                context.checkpoint(); // throws once the person cancelled
            }
        });
        messages.start(ID);
        Future<DemoOrchestrator.Outcome> running = pool.submit(() -> new DemoOrchestrator(messages,
                DemoOrchestrator.CheckpointObserver.NONE).run(ID, "Anything", project(), List.of(ownAgent)));
        assertThat(working.await(10, TimeUnit.SECONDS)).isTrue();

        messages.cancel(ID, "Not needed");

        DemoOrchestrator.Outcome outcome = running.get(20, TimeUnit.SECONDS);
        assertThat(outcome.status()).isEqualTo(WorkflowStatus.CANCELLED);
        assertThat(outcome.detail()).isEqualTo("Not needed");
        assertThat(contents()).startsWith("Starting code agent - Asking the real model", "Calling AI model for step 1...");
    }

    @Test
    void anAgentThatThrowsFailsTheWorkflowSayingWhy() throws Exception {
        Agent broken = new HostAgent("docs", "Breaking", context -> {
            throw new IllegalStateException("the disk is full");
        });

        DemoOrchestrator.Outcome outcome = new DemoOrchestrator(messages, DemoOrchestrator.CheckpointObserver.NONE)
                .run(ID, "Anything", project(), List.of(broken));

        assertThat(outcome.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(contents()).last().asString()
                .isEqualTo("Workflow failed: the docs agent failed: java.lang.IllegalStateException: the disk is full");
    }

    @Test
    void thePretendBuildAndTestsLookAtTheRealImports() throws IOException {
        Workspace workspace = Workspace.createSampleProject(folder.resolve("broken"));
        workspace.write("src/pages/Broken.tsx", "import { Nothing } from \"../components/Nothing\";\n");
        workspace.write("src/pages/__tests__/Broken.test.tsx",
                "import { Broken } from \"../Broken\";\nit(\"a\", () => {});\nimport { X } from \"../Missing\";\n");

        assertThat(Toolchain.typeCheck(workspace)).containsExactly(
                "src/pages/Broken.tsx: cannot find module '../components/Nothing'",
                "src/pages/__tests__/Broken.test.tsx: cannot find module '../Missing'");
        assertThat(Toolchain.runTests(workspace)).filteredOn(file -> !file.passed())
                .extracting(Toolchain.TestFile::path).containsExactly("src/pages/__tests__/Broken.test.tsx");
        assertThat(Toolchain.runTests(workspace)).filteredOn(Toolchain.TestFile::passed)
                .extracting(file -> file.cases().size()).containsExactly(3);
    }

    @Test
    void theModelNamesTheFeatureAfterTheTask() {
        assertThat(Feature.of("Add a settings page to the dashboard")).isEqualTo(new Feature("Settings", "settings", false));
        assertThat(Feature.of("Actually, make this a dropdown menu instead of a button").dropdown()).isTrue();
        assertThat(Feature.of("Create a chart of deployments").name()).isEqualTo("Deployments");
        assertThat(Feature.of("Build the billing report").name()).isEqualTo("Billing");
        assertThat(Feature.of("!!! ???").name()).isEqualTo("Feature");
        assertThat(Feature.of("Add a " + "x".repeat(300) + " page").slug()).hasSize(Feature.MAX_SLUG_LENGTH);
    }

    @Test
    void aPaceIsNeverNegative() {
        assertThatThrownBy(() -> new Pace(Duration.ofMillis(-1), Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("step must not be negative, but was PT-0.001S");
    }

    /** What a host writes to plug in an agent of its own: its type, its description, and its work. */
    private record HostAgent(String type, String description, Work work) implements Agent {
        interface Work {
            AgentResult run(AgentContext context) throws InterruptedException;
        }

        @Override
        public AgentResult run(AgentContext context) throws InterruptedException {
            return work.run(context);
        }
    }

    private DemoOrchestrator.Outcome run(String task) throws InterruptedException {
        return new DemoOrchestrator(messages, DemoOrchestrator.CheckpointObserver.NONE)
                .run(ID, task, project(), SimulatedAgents.pipeline(Pace.INSTANT));
    }

    private Path project() {
        Path project = folder.resolve("project");
        return Files.exists(project) ? project : Workspace.createSampleProject(project).root();
    }

    private List<String> contents() {
        return messages.getMessages(ID).stream().map(Message::content).toList();
    }
}
