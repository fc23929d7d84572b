package dev.workflowthread.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.web.WebAssets;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The page under a path of the host's own ({@code workflow-thread.web.page-path=/ops/thread/}),
 * over real HTTP on a running server: its HTML at that path and at a workflow's below it, with its
 * links there; each file it names served (by Spring Boot, from the jar), and the API it names answering.
 */
@SpringBootTest(classes = SecuredApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.flyway.enabled=false", "workflow-thread.web.page-path=/ops/thread/"})
class PagePathOverHttpTest {
    private static final Pattern NAMED = Pattern.compile("\\b(?:href|src)=\"(/[^\"]*)\"");

    @LocalServerPort
    int port;

    @Autowired
    WorkflowMessages messages;

    @Test
    void thePageAtItsPathNamesFilesAndAnApiThatAnswerFromThere() throws Exception {
        SecuredApplication.Client client = new SecuredApplication.Client(port);
        messages.start(3);
        for (String path : new String[] {"/ops/thread/", "/ops/thread/workflows/3"}) {
            HttpResponse<String> page = client.asUser("GET", path, null);
            assertThat(page.statusCode()).as(path).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html;charset=utf-8");
            assertThat(page.body()).contains("class=\"brand\" href=\"/ops/thread/\"",
                    "link-prefix=\"/ops/thread/workflows/\"", "api=\"/api\"", "ws=\"/ws\"");
        }
        assertThat(client.asUser("GET", "/threads/", null).statusCode()).as("the default path").isEqualTo(404);

        String html = client.asUser("GET", "/ops/thread/", null).body();
        List<String> named = NAMED.matcher(html).results().map(m -> m.group(1)).toList();
        assertThat(named).contains("/workflow-thread/workflow-thread.js", "/workflow-thread/workflow-thread.css",
                "/workflow-thread/app.js", "/workflow-thread/app.css");
        for (String file : named.stream().filter(p -> p.startsWith(WebAssets.DEFAULT_ASSETS_PATH)).toList()) {
            HttpResponse<String> served = client.asUser("GET", file, null);
            assertThat(served.statusCode()).as(file).isEqualTo(200);
            assertThat(served.body()).as(file).isEqualTo(jarFile(file.substring(WebAssets.DEFAULT_ASSETS_PATH.length())));
        }
        assertThat(client.asUser("GET", "/workflow-thread/workflow-thread.js", null).headers()
                .firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).contains("javascript"));

        HttpResponse<String> workflow = client.asUser("GET", "/api/workflows/3", null);
        assertThat(workflow.statusCode()).as(workflow.body()).isEqualTo(200);
        assertThat(workflow.body()).contains("\"workflow_id\":3");
    }

    private static String jarFile(String name) throws IOException {
        try (InputStream in = WebAssets.class.getClassLoader().getResourceAsStream(WebAssets.RESOURCE_ROOT + name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
