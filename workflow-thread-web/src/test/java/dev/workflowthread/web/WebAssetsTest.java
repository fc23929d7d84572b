package dev.workflowthread.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The page's HTML as a host mounts it: every path it names, and the paths refused. */
class WebAssetsTest {
    private static final Pattern URL_ATTRIBUTE = Pattern.compile("\\b(href|src|api|ws|link-prefix)=\"([^\"]*)\"");

    /** The values of the HTML's attributes that name a place, as {@code name=value}, data: icons left out. */
    private static List<String> places(String html) {
        Matcher matcher = URL_ATTRIBUTE.matcher(html);
        return matcher.results().filter(m -> !m.group(2).startsWith("data:"))
                .map(m -> m.group(1) + "=" + m.group(2)).toList();
    }

    @Test
    void aPageUnderItsOwnPathNamesItsFilesApiSocketAndLinksFromThere() {
        String html = WebAssets.pageBuilder().pagePath("/ops/thread/").assetsPath("/ops/thread/assets/")
                .apiPath("/ops/thread/api").wsPath("/ops/thread/ws").build();

        assertThat(places(html)).containsExactlyInAnyOrder(
                "href=/ops/thread/assets/workflow-thread.css",
                "href=/ops/thread/assets/app.css",
                "href=/ops/thread/",
                "api=/ops/thread/api",
                "ws=/ops/thread/ws",
                "link-prefix=/ops/thread/workflows/",
                "src=/ops/thread/assets/workflow-thread.js",
                "src=/ops/thread/assets/app.js");
        assertThat(html).contains("<code>/ops/thread/api/workflows</code>", "<code>/ops/thread/ws</code>")
                .doesNotContain("\"/workflow-thread/", "\"/api\"", "\"/ws\"", "\"/workflows/\"");
    }

    @Test
    void theDefaultsAreThePageAtTheRootWithItsFilesUnderWorkflowThread() {
        assertThat(places(WebAssets.pageBuilder().build())).containsExactlyInAnyOrder(
                "href=/workflow-thread/workflow-thread.css",
                "href=/workflow-thread/app.css",
                "href=/",
                "api=/api",
                "ws=/ws",
                "link-prefix=/workflows/",
                "src=/workflow-thread/workflow-thread.js",
                "src=/workflow-thread/app.js");
        assertThat(WebAssets.page(WebAssets.DEFAULT_ASSETS_PATH, "/api", "/ws")).isEqualTo(WebAssets.pageBuilder().build());
        assertThat(places(WebAssets.page("/", "/threads/api/", "wss://live.example.com:8443/ws")))
                .contains("href=/app.css", "src=/app.js", "api=/threads/api", "ws=wss://live.example.com:8443/ws");
        assertThat(places(WebAssets.pageBuilder().apiPath("").build())).contains("api=");
    }

    @ParameterizedTest(name = "{0} ''{1}''")
    @CsvSource(delimiter = '|', value = {
        "pagePath   | ops/thread/",
        "pagePath   | /ops/thread",
        "pagePath   | ''",
        "pagePath   | //",
        "pagePath   | /ops thread/",
        "pagePath   | /ops/\"><script>/",
        "pagePath   | /caf\u00e9/",
        "pagePath   | /a%20b/",
        "pagePath   | /a?b/",
        "assetsPath | workflow-thread/",
        "assetsPath | /workflow-thread",
        "assetsPath | /x'y/",
        "apiPath    | api",
        "apiPath    | /a&b",
        "apiPath    | /api//x",
        "wsPath     | ws",
        "wsPath     | ''",
        "wsPath     | /ws<",
        "wsPath     | http://example.com/ws",
        "wsPath     | wss://exa mple.com/ws",
        "wsPath     | ws://example.com/\"x",
    })
    void aPathThatIsNotOneOrNeedsEscapingIsRefusedNamingItsParameter(String parameter, String value) {
        WebAssets.PageBuilder builder = WebAssets.pageBuilder();
        assertThatIllegalArgumentException().isThrownBy(() -> set(builder, parameter, value))
                .withMessageStartingWith(parameter + " must ").withMessageEndingWith("but was '" + value + "'");
        assertThat(builder.build()).as("the builder kept its values").isEqualTo(WebAssets.pageBuilder().build());
    }

    @Test
    void aNullPathIsRefusedNamingItsParameter() {
        for (String parameter : List.of("pagePath", "assetsPath", "apiPath", "wsPath")) {
            assertThatNullPointerException().isThrownBy(() -> set(WebAssets.pageBuilder(), parameter, null))
                    .withMessage(parameter);
        }
        assertThatNullPointerException().isThrownBy(() -> WebAssets.page("/", null, "/ws")).withMessage("apiPath");
    }

    private static void set(WebAssets.PageBuilder builder, String parameter, String value) {
        switch (parameter) {
            case "pagePath" -> builder.pagePath(value);
            case "assetsPath" -> builder.assetsPath(value);
            case "apiPath" -> builder.apiPath(value);
            case "wsPath" -> builder.wsPath(value);
            default -> throw new AssertionError(parameter);
        }
    }
}
