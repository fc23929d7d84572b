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
import java.util.Map;
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

    @Test
    void anUrgentInstructionCutsTheModelCallShortAndACancelTheNextOne() throws Exception {
        // Model calls that would take a minute: only the stop token ends them in time.
        Pace slowModel = new Pace(Duration.ZERO, Duration.ofMinutes(1), Duration.ZERO);
        messages.start(ID);
        Future<DemoOrchestrator.Outcome> running = pool.submit(() -> new DemoOrchestrator(messages,
                DemoOrchestrator.CheckpointObserver.NONE).run(ID, "Add a settings page", project(), SimulatedAgents.pipeline(slowModel)));
        awaitContent("Calling AI model for implementation planning...");

        messages.send(ID, SendRequest.of(ActionType.INSTRUCTION, "Use the design system's colours")
                .withMetadata(Map.of(Message.DELIVERY, "interrupt")));

        awaitContent("Acknowledged user context - will consider \"Use the design system's colours\" from the plan agent on");
        List<String> thread = contents();
        assertThat(thread).containsSubsequence("Calling AI model for implementation planning...",
                "Model call cut short: urgent instruction",
                "Acknowledged user context - will consider \"Use the design system's colours\" from the plan agent on",
                "Calling AI model for implementation planning, again...");
        assertThat(thread).contains("Interrupting plan agent for an urgent instruction");
        awaitContent("Calling AI model for implementation planning, again...");

        messages.cancel(ID, "Enough");
        assertThat(running.get(20, TimeUnit.SECONDS).status()).isEqualTo(WorkflowStatus.CANCELLED);
        assertThat(contents()).contains("Model call cut short: cancel").noneMatch(line -> line.startsWith("Plan completed"));
    }

    @Test
    void aSkipEndsTheAgentAtWorkAndTheAgentsBetweenDoNotRun() throws Exception {
        messages.start(ID);
        messages.send(ID, SendRequest.of(ActionType.INSTRUCTION, "Straight to the review")
                .withMetadata(Map.of(Message.SKIP_TO_AGENT, "review")));

        DemoOrchestrator.Outcome outcome = run("Add a settings page to the dashboard");

        assertThat(outcome.detail()).isEqualTo("2 of 6 agents finished, 4 skipped at user request");
        List<String> thread = contents();
        assertThat(thread).contains("Skipping to review agent at user request",
                "Review: src/api/settings.ts was never written (the agents that write it did not run)");
        assertThat(thread.stream().filter(line -> line.startsWith("Starting ")).map(line -> line.split(" ")[1]))
                .containsExactly("review", "docs");
        assertThat(messages.getMessages(ID)).filteredOn(m -> m.messageType() == MessageType.USER)
                .extracting(Message::actionStatus).containsExactly(dev.workflowthread.ActionStatus.PROCESSED);
    }

    @Test
    void aSkipMidAgentStopsItAndOneToNoSuchAgentIsAnsweredAndChangesNothing() throws Exception {
        messages.start(ID);
        CountDownLatch sent = new CountDownLatch(1);
        DemoOrchestrator.CheckpointObserver skipDuringCode = lastNarrated -> {
            if (sent.getCount() == 1 && lastNarrated != null && "code".equals(lastNarrated.agentType())) {
                messages.send(ID, SendRequest.of(ActionType.INSTRUCTION, "skip")
                        .withMetadata(Map.of(Message.SKIP_TO_AGENT, "deploy")));
                messages.send(ID, SendRequest.of(ActionType.INSTRUCTION, "back")
                        .withMetadata(Map.of(Message.SKIP_TO_AGENT, "plan")));
                messages.send(ID, SendRequest.of(ActionType.INSTRUCTION, "to the docs")
                        .withMetadata(Map.of(Message.SKIP_TO_AGENT, "docs")));
                sent.countDown();
            }
        };

        DemoOrchestrator.Outcome outcome = new DemoOrchestrator(messages, skipDuringCode)
                .run(ID, "Add a settings page", project(), SimulatedAgents.pipeline(Pace.INSTANT));

        assertThat(outcome.status()).isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(outcome.detail()).isEqualTo("4 of 6 agents finished, 2 skipped at user request");
        assertThat(contents()).containsSubsequence("Starting code agent - Implementing code changes",
                "Cannot skip to 'deploy': no such agent; going on",
                "Cannot skip to 'plan': the plan agent has run already; going on",
                "Skipping to docs agent at user request",
                "code agent completed: stopped early at user request, skipping to the docs agent",
                "Starting docs agent - Updating the documentation");
        assertThat(contents()).noneMatch(line -> line.startsWith("Starting test agent") || line.startsWith("Starting review agent"));
    }

    @Test
    void theCodeAgentAsksHowToNameTheButtonAndUsesTheAnswer() throws Exception {
        messages.start(ID);
        Future<DemoOrchestrator.Outcome> running = pool.submit(() -> new DemoOrchestrator(messages,
                DemoOrchestrator.CheckpointObserver.NONE).run(ID, "Add a settings page with a save button", project(),
                SimulatedAgents.pipeline(Pace.INSTANT, Duration.ofMinutes(1))));
        Message question = org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> messages.getMessages(ID)
                .stream().filter(Message::isQuestion).findFirst().orElse(null), m -> m != null);
        assertThat(question.content()).isEqualTo("Which component name should I use for the Save button?");
        assertThat(question.agentType()).isEqualTo("code");
        assertThat(question.metadata().get(Message.OPTIONS)).isEqualTo(List.of("Button", "PrimaryButton"));

        messages.send(ID, SendRequest.of(ActionType.COMMENT, "PrimaryButton").withAuthor("ada")
                .withMetadata(Map.of(Message.IN_REPLY_TO, question.id(), Message.CHOICE, "PrimaryButton")));

        assertThat(running.get(20, TimeUnit.SECONDS).status()).isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(contents()).contains("Naming the button component PrimaryButton, as ada chose", "Build verification: PASSED");
        Path project = folder.resolve("project");
        assertThat(project.resolve("src/components/PrimaryButton.tsx")).content().contains("export function PrimaryButton(");
        assertThat(project.resolve("src/components/SettingsForm.tsx")).content()
                .contains("import { PrimaryButton } from \"./PrimaryButton\";", "<PrimaryButton type=\"submit\">Save</PrimaryButton>");
    }

    @Test
    void unansweredTheQuestionGoesOnWithTheDefault() throws Exception {
        DemoOrchestrator.Outcome outcome = new DemoOrchestrator(messages, DemoOrchestrator.CheckpointObserver.NONE)
                .run(ID, "Add a settings page with a save button", project(), SimulatedAgents.pipeline(Pace.INSTANT,
                        Duration.ofMillis(200)));

        assertThat(outcome.status()).isEqualTo(WorkflowStatus.COMPLETED);
        assertThat(contents()).contains("Naming the button component Button, the default")
                .anyMatch(line -> line.startsWith("No answer within ") && line.endsWith("going on with 'Button'"));
        assertThat(CodeAgent.componentName(new dev.workflowthread.Answer("  save-button! ", null, "ada",
                java.time.Instant.EPOCH, 1L, false))).isEqualTo("Savebutton");
        assertThat(CodeAgent.componentName(new dev.workflowthread.Answer("42", null, "ada",
                java.time.Instant.EPOCH, 1L, false))).isEqualTo("Button");
    }

    private void awaitContent(String content) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> contents().contains(content));
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
