package dev.workflowthread.examples.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.workflowthread.ActionStatus;
import dev.workflowthread.ActionType;
import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.examples.agents.Pace;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The conversation page in a real browser, as a person uses it: start a workflow, watch the agents,
 * pause, instruct, resume, cancel, redirect, lose the connection and get it back; steer a step in
 * progress with an urgent instruction, answer an agent's question with a button, skip to a later
 * agent. Screenshots go to {@code target/screenshots/}.
 */
class ConversationPageBrowserTest {
    /**
     * Slow enough to see the agents at work and to pause them mid-run, with model calls long enough
     * to send an urgent instruction while one is in progress; a workflow takes about 40 s.
     */
    private static final Pace BROWSER_PACE = new Pace(Duration.ofMillis(150), Duration.ofMillis(2500), Duration.ofMillis(300));
    private static final String URGENT = "Stop: the API module must use the shared fetch wrapper";
    private static final String INSTRUCTION = "The authentication system uses JWT tokens stored in httpOnly cookies";
    private static final String SCRIPT = "<img src=x onerror=alert(1)>";
    private static final String PAUSE = "Please pause - I need to add something to the requirements";
    private static final String CANCEL_REASON = "Wrong repository <b>picked</b>";

    private static TestServer server;
    private static ChromeDriver browser;
    private String testName;

    @BeforeAll
    static void start() {
        if (Browser.unavailableReason() == null) {
            server = TestServer.start(BROWSER_PACE);
            browser = Browser.start();
        }
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void requireTheBrowser(TestInfo info) {
        Browser.assumeAvailable();
        testName = info.getTestMethod().orElseThrow().getName();
    }

    @AfterEach
    void screenshotOfTheEnd() {
        if (browser != null) {
            Browser.screenshot(browser, testName + "-end");
        }
    }

    @Test
    void aPersonStartsPausesInstructsResumesAndCancelsAWorkflow() {
        browser.get(server.uri("/").toString());
        awaitText(() -> connection().getAttribute("data-state"), "online");
        // The server named this browser by the cookie it gave it; that name is the author of what it sends.
        await().atMost(TestServer.WAIT).until(() -> browser.findElement(By.id("visitor")).getText(),
                name -> name.matches("visitor-[0-9a-f]{16}"));
        String visitor = browser.findElement(By.id("visitor")).getText();

        long id = startFromThePage("Add a settings page to the dashboard");
        assertThat(server.workflow(id).get("started_by").asText()).isEqualTo(visitor);

        // The agents' comments arrive live, without a reload.
        await().atMost(TestServer.WAIT).until(() -> agentMessages().size() >= 3);
        int seen = agentMessages().size();
        await().atMost(TestServer.WAIT).until(() -> agentMessages().size() > seen);
        await().atMost(TestServer.WAIT).until(() -> threadText().contains("Starting code agent - "));
        Browser.screenshot(browser, "01-agents-at-work");

        // Pause, with a reason, through the action selector: the notice appears, and no agent
        // comment arrives until Resume.
        browser.findElement(By.id("composer-text")).sendKeys(PAUSE);
        chooseAction("pause");
        browser.findElement(By.id("send-button")).click();
        await().atMost(TestServer.WAIT).until(() -> !browser.findElements(By.cssSelector("#thread .msg-system.ev-paused")).isEmpty());
        awaitText(() -> browser.findElement(By.id("workflow-status")).getText(), "paused");
        assertThat(browser.findElement(By.id("paused-badge")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("notice")).getText()).startsWith("Paused: the agents wait").contains(PAUSE);
        // The page reads the statuses of open messages again shortly after the thread moved on.
        awaitText(() -> userMessage("pause", PAUSE).getAttribute("data-status"), "processed");
        assertThat(userMessage("pause", PAUSE).findElement(By.className("who")).getText()).isEqualTo(visitor);
        assertThat(browser.findElement(By.id("resume-button")).isEnabled()).isTrue();
        assertThat(browser.findElement(By.id("pause-button")).isEnabled()).isFalse();
        int whilePaused = agentMessages().size();

        // An instruction while paused: it shows at once, and still no agent speaks.
        chooseAction("comment");
        browser.findElement(By.id("composer-text")).sendKeys(INSTRUCTION);
        browser.findElement(By.id("send-instruction-button")).click();
        await().atMost(TestServer.WAIT).until(() -> userMessage("instruction", INSTRUCTION) != null);
        assertThat(userMessage("instruction", INSTRUCTION).getAttribute("data-status")).isEqualTo("pending");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> agentMessages().size() == whilePaused);
        long pausedAt = server.server.messages().getState(id).lastSeq();
        assertThat(server.server.messages().getMessages(id)).as("the store agrees")
                .filteredOn(m -> m.messageType() == MessageType.AGENT)
                .extracting(Message::seq).allMatch(seq -> seq < pausedAt);
        Browser.screenshot(browser, "02-paused-with-an-instruction");

        // Resume: the resumed notice, then the agent's acknowledgement of the context, and work goes on.
        browser.manage().window().setSize(new Dimension(1400, 1350)); // for the picture below
        browser.findElement(By.id("resume-button")).click();
        await().atMost(TestServer.WAIT).until(() -> !browser.findElements(By.cssSelector("#thread .msg-system.ev-unpaused")).isEmpty());
        await().atMost(TestServer.WAIT).until(() -> agentMessages().stream().anyMatch(m -> m.getText()
                .contains("Acknowledged user context - will consider \"" + INSTRUCTION + "\"")));
        // The README's picture, taken as the reply arrives: the pause, the instruction and the reply in view.
        browser.executeScript("const thread = document.getElementById('thread'); thread.scrollTop = thread.scrollHeight;");
        Browser.screenshot(browser, "03-resumed-and-acknowledged");
        browser.manage().window().setSize(new Dimension(1400, 1000));
        awaitText(() -> browser.findElement(By.id("workflow-status")).getText(), "running");
        assertThat(browser.findElement(By.id("paused-badge")).isDisplayed()).isFalse();
        await().atMost(TestServer.WAIT).until(() -> userMessage("instruction", INSTRUCTION).getAttribute("data-status"),
                "processed"::equals);
        await().atMost(TestServer.WAIT).until(() -> agentMessages().size() > whilePaused + 3);

        // Cancel asks first: Back sends nothing.
        browser.findElement(By.id("cancel-button")).click();
        await().atMost(TestServer.WAIT).until(() -> browser.findElement(By.id("cancel-dialog")).isDisplayed());
        browser.findElement(By.id("cancel-back")).click();
        await().atMost(TestServer.WAIT).until(() -> !browser.findElement(By.id("cancel-dialog")).isDisplayed());
        assertThat(server.server.messages().getMessages(id)).as("nothing sent on Back")
                .noneMatch(m -> m.actionType() == ActionType.CANCEL);
        assertThat(browser.findElement(By.id("workflow-status")).getText()).isEqualTo("running");

        // Cancel with a reason: the status says so, the thread gives the reason, and the controls are done.
        browser.findElement(By.id("cancel-button")).click();
        await().atMost(TestServer.WAIT).until(() -> browser.findElement(By.id("cancel-dialog")).isDisplayed());
        browser.findElement(By.id("cancel-reason")).sendKeys(CANCEL_REASON);
        browser.findElement(By.id("cancel-confirm")).click();
        awaitText(() -> browser.findElement(By.id("workflow-status")).getText(), "cancelled");
        await().atMost(TestServer.WAIT).until(() -> threadText().contains("Workflow cancelled by user: " + CANCEL_REASON));
        assertThat(browser.findElement(By.id("cancel-dialog")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("pause-button")).isEnabled()).isFalse();
        assertThat(browser.findElement(By.id("cancel-button")).isEnabled()).isFalse();

        // Markup in a message is shown as the text it is.
        browser.findElement(By.id("composer-text")).sendKeys(SCRIPT);
        browser.findElement(By.id("send-button")).click();
        await().atMost(TestServer.WAIT).until(() -> userMessage("comment", SCRIPT) != null);
        assertThat(userMessage("comment", SCRIPT).findElement(By.className("content")).getText()).isEqualTo(SCRIPT);
        assertThat(browser.findElements(By.cssSelector("#thread img"))).isEmpty();
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        Browser.screenshot(browser, "04-cancelled-and-markup-as-text");
    }

    @Test
    void aRedirectLinksToTheNewWorkflowWhereTheAgentsStartOver() {
        // Only who started a workflow may pause or redirect it: this browser starts it.
        browser.get(server.uri("/").toString());
        long id = startFromThePage("Add a settings page to the dashboard");
        await().atMost(TestServer.WAIT).until(() -> agentMessages().size() >= 2);

        // The header's Pause button, then a redirect while paused.
        browser.findElement(By.id("pause-button")).click();
        awaitText(() -> browser.findElement(By.id("workflow-status")).getText(), "paused");
        assertThat(browser.findElement(By.id("paused-badge")).getText()).startsWith("Paused since ");
        browser.findElement(By.id("composer-text")).sendKeys("Add a settings dropdown menu to the header");
        browser.findElement(By.id("redirect-button")).click();

        awaitText(() -> browser.findElement(By.id("workflow-status")).getText(), "redirected");
        WebElement link = await().atMost(TestServer.WAIT).until(
                () -> browser.findElements(By.cssSelector("#notice a")).stream().findFirst().orElse(null), l -> l != null);
        long newId = server.workflow(id).get("redirected_to").asLong();
        assertThat(link.getText()).isEqualTo("workflow #" + newId + " →");
        assertThat(threadText()).contains("Creating new workflow with updated instructions...",
                "Original workflow cancelled, new workflow #" + newId + " created");

        link.click();
        await().atMost(TestServer.WAIT).until(() -> browser.getCurrentUrl().endsWith("/workflows/" + newId));
        awaitText(() -> browser.findElement(By.id("workflow-task")).getText(), "Add a settings dropdown menu to the header");
        assertThat(browser.findElement(By.id("workflow-links")).getText()).isEqualTo("redirected from #" + id);
        await().atMost(TestServer.WAIT).until(() -> agentMessages().size() >= 2);
    }

    @Test
    void someoneElsesWorkflowCanBeCommentedOnButNotPausedFromThePage() {
        // Started by the test's own HTTP client, another person than this browser.
        long id = server.createWorkflow("Add an audit log");
        browser.get(server.uri("/workflows/" + id).toString());
        await().atMost(TestServer.WAIT).until(() -> agentMessages().size() >= 2);

        browser.findElement(By.id("pause-button")).click();
        awaitText(() -> browser.findElement(By.id("composer-error")).getText().replaceAll(" \\(.*", ""),
                "only the person who started workflow " + id);
        assertThat(server.workflow(id).get("is_paused").asBoolean()).isFalse();
        assertThat(server.workflow(id).get("pause_requested_at").isNull()).isTrue();

        browser.findElement(By.id("composer-text")).sendKeys("Nice progress");
        chooseAction("comment");
        browser.findElement(By.id("send-button")).click();
        await().atMost(TestServer.WAIT).until(() -> userMessage("comment", "Nice progress") != null);
    }

    @Test
    void thePageShowsALostConnectionAndCatchesUpWhenItReturns() {
        long id = server.createWorkflow("Add a reports page");
        browser.get(server.uri("/workflows/" + id).toString());
        await().atMost(TestServer.WAIT).until(() -> agentMessages().size() >= 3);

        server.server.stopHttp();
        awaitText(() -> connection().getAttribute("data-state"), "offline");
        assertThat(connection().getText()).startsWith("Connection lost");
        int shown = renderedSeqs().size();
        // The agents go on while the page cannot hear them.
        await().atMost(TestServer.WAIT).until(() -> server.server.messages().getState(id).lastSeq() >= shown + 5);
        Browser.screenshot(browser, "05-connection-lost");

        server.server.startHttp();
        awaitText(() -> connection().getAttribute("data-state"), "online");
        long caughtUpTo = server.server.messages().getState(id).lastSeq();
        await().atMost(TestServer.WAIT).until(() -> renderedSeqs().size() >= caughtUpTo);

        List<Long> seqs = renderedSeqs();
        assertThat(seqs).as("every message once, in order")
                .containsExactlyElementsOf(LongStream.rangeClosed(1, seqs.size()).boxed().toList());
    }

    @Test
    void anUrgentInstructionCutsTheModelCallInProgressShort() {
        browser.get(server.uri("/").toString());
        long id = startFromThePage("Add a billing page");
        // Ready to send: the words, and Urgent ticked.
        browser.findElement(By.id("composer-text")).sendKeys(URGENT);
        browser.findElement(By.id("urgent-check")).click();
        // While the code agent's model call is in progress (its narration is the newest)...
        await().atMost(TestServer.WAIT).ignoreExceptions().until(() -> {
            List<WebElement> agent = agentMessages();
            return agent.get(agent.size() - 1).getText().startsWith("Calling AI model for code generation");
        });
        long callSeq = lastAgentMessage(id).seq();
        browser.findElement(By.id("send-instruction-button")).click();

        await().atMost(TestServer.WAIT).until(() -> threadText().contains("Interrupting code agent for an urgent instruction"));
        await().atMost(TestServer.WAIT).until(() -> threadText().contains("Model call cut short: urgent instruction"));
        await().atMost(TestServer.WAIT).until(() -> agentMessages().stream().anyMatch(m -> m.getText()
                .contains("Acknowledged user context - will consider \"" + URGENT + "\" from the code agent on")));
        awaitText(() -> userMessage("instruction", URGENT).getAttribute("data-status"), "processed");
        assertThat(browser.findElement(By.id("urgent-check")).isSelected()).as("unticked once sent").isFalse();
        Browser.screenshot(browser, "06-urgent-instruction-cut-the-model-call-short");

        // The store agrees: the call in progress said nothing more before it was cut short, right
        // after the urgent instruction, and the agent took the instruction at the checkpoint after.
        List<Message> thread = server.server.messages().getMessages(id);
        Message urgent = thread.stream().filter(m -> m.messageType() == MessageType.USER && m.content().equals(URGENT))
                .findFirst().orElseThrow();
        assertThat(urgent.metadata()).containsEntry(Message.DELIVERY, "interrupt");
        assertThat(urgent.actionStatus()).isEqualTo(ActionStatus.PROCESSED);
        List<String> agentSaid = thread.stream().filter(m -> m.messageType() == MessageType.AGENT && m.seq() > callSeq)
                .map(Message::content).toList();
        assertThat(agentSaid.get(0)).isEqualTo("Model call cut short: urgent instruction");
        assertThat(agentSaid.get(1)).startsWith("Acknowledged user context - will consider \"" + URGENT + "\"");
        assertThat(agentSaid.get(2)).startsWith("Calling AI model for code generation").endsWith(", again...");
        cancelAsItsStarter(id);
    }

    @Test
    void theCodeAgentsQuestionIsAnsweredWithAButton() {
        browser.get(server.uri("/").toString());
        String visitor = await().atMost(TestServer.WAIT).until(() -> browser.findElement(By.id("visitor")).getText(),
                name -> name.startsWith("visitor-"));
        long id = startFromThePage("Add a settings page with a save button");

        WebElement question = await().atMost(TestServer.WAIT).until(
                () -> browser.findElements(By.cssSelector("#thread .msg.question")).stream().findFirst().orElse(null), q -> q != null);
        assertThat(question.findElement(By.className("content")).getText())
                .isEqualTo("Which component name should I use for the Save button?");
        List<WebElement> options = question.findElements(By.cssSelector(".options .option"));
        assertThat(options).extracting(WebElement::getText).containsExactly("Button", "PrimaryButton");
        assertThat(options).allMatch(WebElement::isEnabled);
        assertThat(question.findElement(By.className("deadline")).getText()).startsWith("Answer by ");
        Browser.screenshot(browser, "07-the-code-agent-asks");

        long questionId = Long.parseLong(question.getAttribute("data-id"));
        browser.findElement(By.id("question-" + questionId + "-option-1")).click();

        // The answer reaches the agent, which names the component so.
        await().atMost(TestServer.WAIT).until(() -> agentMessages().stream()
                .anyMatch(m -> m.getText().contains("Naming the button component PrimaryButton, as " + visitor + " chose")));
        await().atMost(TestServer.WAIT).ignoreExceptions().until(() -> question.findElements(By.cssSelector(".options button"))
                .stream().noneMatch(WebElement::isEnabled));
        assertThat(question.getAttribute("data-answered")).isEqualTo("true");
        assertThat(question.findElement(By.className("answer")).getText())
                .isEqualTo("Question answered by " + visitor + ": PrimaryButton");
        assertThat(question.findElement(By.cssSelector(".option.chosen")).getText()).isEqualTo("PrimaryButton");
        Browser.screenshot(browser, "08-answered-with-a-button");

        List<Message> thread = server.server.messages().getMessages(id);
        Message answer = thread.stream().filter(m -> m.messageType() == MessageType.USER && questionId == orZero(m.inReplyTo()))
                .findFirst().orElseThrow();
        assertThat(answer.author()).isEqualTo(visitor);
        assertThat(answer.actionType()).isEqualTo(ActionType.COMMENT);
        assertThat(answer.metadata()).containsEntry(Message.CHOICE, "PrimaryButton");
        assertThat(thread).filteredOn(m -> m.content().startsWith("Question answered by ")).hasSize(1);
        cancelAsItsStarter(id);
    }

    @Test
    void aSkipGoesStraightToTheReviewAgent() {
        browser.get(server.uri("/").toString());
        long id = startFromThePage("Add a reports page");
        await().atMost(TestServer.WAIT).until(() -> threadText().contains("Starting plan agent - "));

        browser.findElement(By.cssSelector("#skip-select option[value=review]")).click();
        browser.findElement(By.id("skip-button")).click();

        await().atMost(TestServer.WAIT).until(() -> threadText().contains("Skipping to review agent at user request"));
        await().atMost(TestServer.WAIT).until(() -> threadText().contains("Starting review agent - "));
        Browser.screenshot(browser, "09-skipped-to-the-review-agent");

        List<Message> thread = server.server.messages().getMessages(id);
        Message skip = thread.stream().filter(m -> m.messageType() == MessageType.USER).findFirst().orElseThrow();
        assertThat(skip.actionType()).isEqualTo(ActionType.INSTRUCTION);
        assertThat(skip.metadata()).containsEntry(Message.SKIP_TO_AGENT, "review");
        assertThat(skip.content()).isEqualTo("Skip to the review agent");
        assertThat(thread).filteredOn(m -> m.content().startsWith("Starting "))
                .extracting(m -> m.content().split(" ")[1]).as("the agents between do not run").containsExactly("plan", "review");
        assertThat(thread).extracting(Message::content).containsSubsequence("Skipping to review agent at user request",
                "plan agent completed: stopped early at user request, skipping to the review agent", "Starting review agent - Reviewing the changes");
        cancelAsItsStarter(id);
    }

    /** Stops a workflow this browser started, so that its agents do not go on under the next test. */
    private static void cancelAsItsStarter(long id) {
        server.server.messages().send(id, dev.workflowthread.SendRequest.of(ActionType.CANCEL, "Seen enough")
                .withAuthor(server.workflow(id).get("started_by").asText()));
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private static Message lastAgentMessage(long id) {
        List<Message> agent = server.server.messages().getMessages(id).stream()
                .filter(m -> m.messageType() == MessageType.AGENT).toList();
        return agent.get(agent.size() - 1);
    }

    private static void chooseAction(String action) {
        browser.findElement(By.cssSelector("#action-select option[value=" + action + "]")).click();
    }

    private static WebElement connection() {
        return browser.findElement(By.id("connection"));
    }

    private static List<WebElement> agentMessages() {
        return Browser.agentMessages(browser);
    }

    private static WebElement userMessage(String action, String content) {
        return Browser.userMessage(browser, action, content);
    }

    /** Starts a workflow from the form of the page on screen, as the person this browser is; returns its id. */
    private static long startFromThePage(String task) {
        browser.findElement(By.id("task")).sendKeys(task);
        browser.findElement(By.id("start-button")).click();
        await().atMost(TestServer.WAIT).until(() -> browser.getCurrentUrl().matches(".*/workflows/\\d+$"));
        long id = Long.parseLong(browser.getCurrentUrl().replaceAll(".*/workflows/", ""));
        awaitText(() -> browser.findElement(By.id("workflow-task")).getText(), task);
        return id;
    }

    private static String threadText() {
        return browser.findElement(By.id("thread")).getText();
    }

    private static List<Long> renderedSeqs() {
        return browser.findElements(By.cssSelector("#thread .msg")).stream()
                .map(m -> Long.parseLong(m.getAttribute("data-seq"))).toList();
    }

    private static void awaitText(Supplier<String> actual, String expected) {
        await().atMost(TestServer.WAIT).ignoreExceptions().until(actual::get, expected::equals);
    }
}
