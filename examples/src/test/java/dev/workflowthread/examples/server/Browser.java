package dev.workflowthread.examples.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The machine's Chromium and chromedriver (Debian's {@code chromium} and {@code chromium-driver}),
 * named explicitly so that Selenium never looks for or downloads a browser of its own. Without
 * them the browser tests are skipped, saying why, unless {@code WORKFLOW_THREAD_TEST_REQUIRE}
 * names {@code browser} (as CI does once it installed them): then they fail. Public, in this
 * module's test-jar, for the Spring Boot sample's browser test too.
 */
public final class Browser {
    public static final Path CHROMIUM = Path.of(System.getProperty("workflowthread.test.chromium", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER = Path.of(System.getProperty("workflowthread.test.chromedriver", "/usr/bin/chromedriver"));
    /** Where the screenshots go: the module's target folder. */
    public static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private Browser() {
    }

    /** Why the browser tests cannot run here, or null when they can. */
    public static String unavailableReason() {
        if (!Files.isExecutable(CHROMIUM)) {
            return "no Chromium at " + CHROMIUM + " (install Debian's chromium and chromium-driver, as .ci/run does)";
        }
        if (!Files.isExecutable(CHROMEDRIVER)) {
            return "no chromedriver at " + CHROMEDRIVER + " (install Debian's chromium-driver, as .ci/run does)";
        }
        return null;
    }

    /** Skips the calling test when Chromium or chromedriver is missing, printing why; fails when required. */
    public static void assumeAvailable() {
        String reason = unavailableReason();
        if (reason == null) {
            return;
        }
        boolean required = Arrays.stream(System.getenv().getOrDefault("WORKFLOW_THREAD_TEST_REQUIRE", "").split(","))
                .map(name -> name.strip().toLowerCase(Locale.ROOT))
                .anyMatch("browser"::equals);
        if (required) {
            throw new IllegalStateException("the browser tests are required (WORKFLOW_THREAD_TEST_REQUIRE) but " + reason);
        }
        System.out.println("SKIPPED: browser test: " + reason);
        Assumptions.abort("browser test skipped: " + reason);
    }

    /** A headless Chromium with a window the size of a laptop screen. */
    public static ChromeDriver start() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    /** Saves what the browser shows as {@code target/screenshots/{name}.png}. */
    public static Path screenshot(ChromeDriver driver, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The agents' messages the page's thread shows, in order. */
    public static List<WebElement> agentMessages(WebDriver browser) {
        return browser.findElements(By.cssSelector("#thread .msg[data-type=agent]"));
    }

    /** The person's message of that action and content the page's thread shows, or null. */
    public static WebElement userMessage(WebDriver browser, String action, String content) {
        return browser.findElements(By.cssSelector("#thread .msg[data-type=user][data-action=" + action + "]")).stream()
                .filter(m -> m.findElement(By.className("content")).getText().equals(content))
                .findFirst().orElse(null);
    }
}
