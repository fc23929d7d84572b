package dev.workflowthread.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import dev.workflowthread.Message;
import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.web.ThreadRestHandler;
import dev.workflowthread.web.ThreadSockets;
import dev.workflowthread.web.WorkflowHost;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

/** The REST API, WebSocket and page in a servlet application: when they are there, at which paths, and who the author is. */
class ThreadWebConfigurationTest {
    private final WebApplicationContextRunner runner = new WebApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(WorkflowThreadAutoConfiguration.class, ThreadWebConfiguration.class));

    @Test
    void theRestApiWebSocketAndPageAreThereInAServletApplicationUnlessDisabled() {
        runner.run(context -> assertThat(context).hasNotFailed().hasSingleBean(ThreadRestHandler.class)
                .hasSingleBean(ThreadSockets.class).hasBean("workflowThreadSocketEndpoint"));
        runner.withPropertyValues("workflow-thread.web.enabled=false").run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(ThreadRestHandler.class)
                        .doesNotHaveBean(ThreadSockets.class));
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(WorkflowThreadAutoConfiguration.class,
                ThreadWebConfiguration.class)).run(context ->
                assertThat(context).hasNotFailed().doesNotHaveBean(ThreadRestHandler.class));
        runner.withClassLoader(new FilteredClassLoader(WebSocketConfigurer.class)).run(context ->
                assertThat(context).hasNotFailed().hasSingleBean(ThreadRestHandler.class)
                        .doesNotHaveBean(ThreadSockets.class));
    }

    @Test
    void theAuthorOfAPersonsMessageIsTheAuthenticatedCallerAtTheConfiguredPath() {
        runner.withPropertyValues("workflow-thread.web.api-path=/threads-api").run(context -> {
            WorkflowMessages messages = context.getBean(WorkflowMessages.class);
            messages.start(7);
            MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
            mvc.perform(post("/threads-api/workflows/7/messages").principal(() -> "alice")
                            .contentType(MediaType.APPLICATION_JSON).content("{\"content\":\"looks good\"}"))
                    .andExpect(status().isCreated());
            assertThat(messages.getMessages(7)).extracting(Message::author).containsExactly("alice");

            mvc.perform(post("/threads-api/workflows/7/messages").principal(() -> "alice")
                            .contentType(MediaType.APPLICATION_JSON).content("{\"content\":\"hi\",\"author\":\"bob\"}"))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().string(org.hamcrest.Matchers.containsString("\"field\":\"author\"")));
            mvc.perform(get("/threads-api/workflows/8")).andExpect(status().isNotFound());
            mvc.perform(get("/api/workflows/7")).andExpect(status().isNotFound());
            assertThat(messages.getMessages(7)).hasSize(1);
        });
    }

    @Test
    void theApplicationsWorkflowHostGivesTheWorkflowsFields() {
        WorkflowHost host = id -> id == 9 ? Optional.of(Map.of("task_description", "Ship it")) : Optional.empty();
        runner.withBean(WorkflowHost.class, () -> host).run(context -> {
            context.getBean(WorkflowMessages.class).start(9);
            MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
            mvc.perform(get("/api/workflows/9")).andExpect(status().isOk())
                    .andExpect(content().string(org.hamcrest.Matchers.containsString("\"task_description\":\"Ship it\"")));
            mvc.perform(post("/api/workflows").contentType(MediaType.APPLICATION_JSON)
                    .content("{\"task_description\":\"x\"}")).andExpect(status().isMethodNotAllowed());
        });
    }

    @Test
    void thePageIsServedAtItsPathNamingTheApiAndTheSocket() {
        runner.withPropertyValues("workflow-thread.web.page-path=/console/", "workflow-thread.web.ws-path=/live")
                .run(context -> {
                    MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
                    for (String path : new String[] {"/console/", "/console/workflows/12"}) {
                        mvc.perform(get(path)).andExpect(status().isOk())
                                .andExpect(header().string("Content-Security-Policy", "default-src 'self'"))
                                .andExpect(content().string(org.hamcrest.Matchers.allOf(
                                        org.hamcrest.Matchers.containsString("api=\"/api\""),
                                        org.hamcrest.Matchers.containsString("ws=\"/live\""),
                                        org.hamcrest.Matchers.containsString("link-prefix=\"/console/workflows/\""))));
                    }
                    mvc.perform(post("/console/")).andExpect(status().isMethodNotAllowed());
                });
        runner.withPropertyValues("workflow-thread.web.page-path=console").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("workflow-thread.web.page-path: pagePath must begin"));
        runner.withPropertyValues("workflow-thread.web.ws-path=live").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("workflow-thread.web.ws-path: must begin"));
        runner.withPropertyValues("workflow-thread.web.api-path=").run(context ->
                assertThat(context).getFailure().hasStackTraceContaining("workflow-thread.web.api-path: must not be empty"));
    }
}
