package dev.workflowthread.examples.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.workflowthread.ActionType;
import dev.workflowthread.Message;
import dev.workflowthread.MessageType;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.WorkflowStatus;
import dev.workflowthread.examples.server.Browser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The starter's page inside the Spring Boot sample, in headless Chromium (the demo's
 * {@link Browser}): a workflow started from the page, its agents' comments arriving live, Pause,
 * an instruction with its status, Resume and the agent's reply, Cancel through the confirmation
 * dialog; then what the page shows is what the {@link WorkflowMessages} bean stored. On H2 in
 * memory. Skipped, saying why, without Chromium and chromedriver, unless
 * {@code WORKFLOW_THREAD_TEST_REQUIRE} names {@code browser}. Screenshots go to
 * {@code target/screenshots/}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "sample.agent-step=200ms",
        "spring.datasource.url=jdbc:h2:mem:sample-browser;DB_CLOSE_DELAY=-1"})
class SamplePageBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TASK = "Add a dark mode toggle to the settings page";
    private static final String INSTRUCTION = "Use the system colour scheme by default";
    private static final String CANCEL_REASON = "Enough for today <b>really</b>";

    private static ChromeDriver browser;

    @LocalServerPort
    int port;

    @Autowired
    WorkflowMessages messages;

    @BeforeAll
    static void startTheBrowser() {
        if (Browser.unavailableReason() == null) {
            browser = Browser.start();
        }
    }

    @AfterAll
    static void stopTheBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void requireTheBrowser() {
        Browser.assumeAvailable();
    }

    @AfterEach
    void screenshotOfTheEnd() {
        if (browser != null) {
            Browser.screenshot(browser, "sample-page-end");
        }
    }

    @Test
    void aPersonStartsPausesInstructsResumesAndCancelsAWorkflowOnTheStartersPage() {
        browser.get("http://localhost:" + port + "/threads/");
        awaitText(() -> browser.findElement(By.id("connection")).getAttribute("data-state"), "online");

        // Started from the page's form: the sample's WorkflowHost stores it and runs its agents.
        browser.findElement(By.id("task")).sendKeys(TASK);
        browser.findElement(By.id("start-button")).click();
        await().atMost(WAIT).until(() -> browser.getCurrentUrl().matches(".*/threads/workflows/\\d+$"));
        long id = Long.parseLong(browser.getCurrentUrl().replaceAll(".*/workflows/", ""));
        awaitText(() -> browser.findElement(By.id("workflow-task")).getText(), TASK);

        // The agents' comments arrive live, without a reload.
        await().atMost(WAIT).until(() -> agentMessages().size() >= 2);
        int seen = agentMessages().size();
        await().atMost(WAIT).until(() -> agentMessages().size() > seen);
        Browser.screenshot(browser, "sample-01-agents-at-work");

        // Pause: the paused state in the header, the notice and the thread; no agent speaks until Resume.
        browser.findElement(By.id("pause-button")).click();
        awaitText(() -> browser.findElement(By.id("workflow-status")).getText(), "paused");
        assertThat(browser.findElement(By.id("paused-badge")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("notice")).getText()).startsWith("Paused: the agents wait");
        await().atMost(WAIT).until(() -> !browser.findElements(By.cssSelector("#thread .msg-system.ev-paused")).isEmpty());
        assertThat(browser.findElement(By.id("resume-button")).isEnabled()).isTrue();
        assertThat(browser.findElement(By.id("pause-button")).isEnabled()).isFalse();
        int whilePaused = agentMessages().size();

        // An instruction while paused: shown at once with its status, pending until the agents read it.
        browser.findElement(By.id("composer-text")).sendKeys(INSTRUCTION);
        browser.findElement(By.id("send-instruction-button")).click();
        await().atMost(WAIT).until(() -> userMessage("instruction", INSTRUCTION) != null);
        assertThat(status(userMessage("instruction", INSTRUCTION))).isEqualTo("pending");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> agentMessages().size() == whilePaused);
        Browser.screenshot(browser, "sample-02-paused-with-an-instruction");

        // Resume: the agents take the instruction up, reply to it, and go on.
        browser.findElement(By.id("resume-button")).click();
        await().atMost(WAIT).until(() -> !browser.findElements(By.cssSelector("#thread .msg-system.ev-unpaused")).isEmpty());
        awaitText(() -> browser.findElement(By.id("workflow-status")).getText(), "running");
        assertThat(browser.findElement(By.id("paused-badge")).isDisplayed()).isFalse();
        await().atMost(WAIT).until(() -> agentMessages().stream().anyMatch(m -> m.getText()
                .contains("Acknowledged user context - will consider \"" + INSTRUCTION + "\"")));
        await().atMost(WAIT).ignoreExceptions().until(() -> status(userMessage("instruction", INSTRUCTION)), "processed"::equals);
        Browser.screenshot(browser, "sample-03-resumed-and-acknowledged");

        // Cancel through the confirmation dialog, with a reason: the cancelled notice, shown as text.
        browser.findElement(By.id("cancel-button")).click();
        await().atMost(WAIT).until(() -> browser.findElement(By.id("cancel-dialog")).isDisplayed());
        browser.findElement(By.id("cancel-reason")).sendKeys(CANCEL_REASON);
        browser.findElement(By.id("cancel-confirm")).click();
        awaitText(() -> browser.findElement(By.id("workflow-status")).getText(), "cancelled");
        awaitText(() -> browser.findElement(By.id("notice")).getText(), "This workflow is cancelled (" + CANCEL_REASON + ").");
        await().atMost(WAIT).until(() -> browser.findElement(By.id("thread")).getText()
                .contains("Workflow cancelled by user: " + CANCEL_REASON));
        assertThat(browser.findElement(By.id("cancel-dialog")).isDisplayed()).isFalse();
        assertThat(browser.findElement(By.id("cancel-button")).isEnabled()).isFalse();
        assertThat(browser.findElements(By.cssSelector("#thread b, #notice b"))).isEmpty();
        Browser.screenshot(browser, "sample-04-cancelled");

        // The store holds what the page showed: every message once, in seq order, with its type,
        // text, action, status and author, and the workflow cancelled with the page's reason.
        assertThat(messages.getState(id).status()).isEqualTo(WorkflowStatus.CANCELLED);
        List<Message> stored = messages.getMessages(id);
        assertThat(stored).filteredOn(m -> m.messageType() == MessageType.USER)
                .extracting(Message::actionType, Message::content)
                .containsExactly(
                        tuple(ActionType.PAUSE, "Pause requested"),
                        tuple(ActionType.INSTRUCTION, INSTRUCTION),
                        tuple(ActionType.RESUME, "Resume requested"),
                        tuple(ActionType.CANCEL, CANCEL_REASON));
        List<List<String>> expected = stored.stream().map(SamplePageBrowserTest::asShown).toList();
        await("the page showing what the store holds").atMost(WAIT).ignoreExceptions()
                .untilAsserted(() -> assertThat(shown()).containsExactlyElementsOf(expected));
    }

    /** A stored message as the page shows it: seq, type, text; for a person's, action, status and author. */
    private static List<String> asShown(Message message) {
        List<String> row = new ArrayList<>(List.of(String.valueOf(message.seq()),
                message.messageType().wireName(), message.content()));
        if (message.messageType() == MessageType.USER) {
            row.addAll(List.of(message.actionType().wireName(), message.actionStatus().wireName(),
                    message.author() == null ? "someone" : message.author()));
        }
        return row;
    }

    /** Every message on the page, in the order shown, as {@link #asShown}: read from the DOM's text, as is. */
    @SuppressWarnings("unchecked")
    private static List<List<String>> shown() {
        return (List<List<String>>) browser.executeScript("""
                return Array.from(document.querySelectorAll('#thread .msg')).map((m) => {
                  const text = m.querySelector('.content') || m.querySelector('.system .text');
                  const row = [m.dataset.seq, m.dataset.type, text.textContent];
                  if (m.dataset.type === 'user') row.push(m.dataset.action, m.dataset.status, m.dataset.author);
                  return row;
                });""");
    }

    private static List<WebElement> agentMessages() {
        return Browser.agentMessages(browser);
    }

    private static WebElement userMessage(String action, String content) {
        return Browser.userMessage(browser, action, content);
    }

    /** The status a person's message shows: its badge, which its data-status attribute matches. */
    private static String status(WebElement message) {
        String badge = message.findElement(By.className("status-badge")).getText();
        assertThat(message.getAttribute("data-status")).isEqualTo(badge);
        return badge;
    }

    private static void awaitText(Supplier<String> actual, String expected) {
        await().atMost(WAIT).ignoreExceptions().until(actual::get, expected::equals);
    }
}
