package dev.workflowthread.spring;

import dev.workflowthread.WorkflowMessages;
import dev.workflowthread.web.ThreadRestHandler;
import dev.workflowthread.web.ThreadSockets;
import dev.workflowthread.web.WebAssets;
import dev.workflowthread.web.WorkflowHost;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.HttpRequestHandler;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;

/**
 * The thread's REST API, WebSocket and page in a Spring MVC application, from
 * {@code workflow-thread-web}: the REST API under {@code workflow-thread.web.api-path} (default
 * {@code /api}), the WebSocket at {@code workflow-thread.web.ws-path} (default {@code /ws}, with
 * Spring WebSocket on the class path), and the page at {@code workflow-thread.web.page-path}
 * (default {@code /threads/}; its files at {@code /workflow-thread/…}, from the jar). On unless
 * {@code workflow-thread.web.enabled=false}. The caller's principal is the servlet request's
 * ({@code getUserPrincipal()}, which Spring Security fills with the authenticated user): a
 * person's message is sent with that name as its author. The application's {@link WorkflowHost}
 * bean gives the REST API its workflows; without one, a workflow is known when it has a thread,
 * and listing or creating workflows answers 405.
 */
@AutoConfiguration(after = WorkflowThreadAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ThreadRestHandler.class, DispatcherServlet.class})
@ConditionalOnBean(WorkflowMessages.class)
@ConditionalOnBooleanProperty(name = WorkflowThreadProperties.PREFIX + ".web.enabled", matchIfMissing = true)
public final class ThreadWebConfiguration {

    /** Made by Spring. */
    public ThreadWebConfiguration() {
    }

    /**
     * The workflows the REST API and the WebSocket know, unless the application has a
     * {@link WorkflowHost} bean: those with a thread, without fields of the host's.
     *
     * @param messages the service
     * @return the host
     */
    @Bean
    @ConditionalOnMissingBean
    WorkflowHost workflowThreadHost(WorkflowMessages messages) {
        return new ThreadsOnlyHost(messages);
    }

    /**
     * The REST handler, unless the application has one.
     *
     * @param messages   the service
     * @param host       the host's workflows
     * @param properties the properties
     * @return the handler
     * @throws IllegalArgumentException naming the property when a path is refused
     */
    @Bean
    @ConditionalOnMissingBean
    ThreadRestHandler workflowThreadRestHandler(WorkflowMessages messages, WorkflowHost host,
                                                WorkflowThreadProperties properties) {
        ThreadRestHandler.Builder builder = ThreadRestHandler.builder(messages, host);
        Settings.set("web.api-path", () -> builder.prefix(properties.getWeb().getApiPath()));
        return builder.build();
    }

    /**
     * Maps the REST API's prefix and the page's paths, ahead of the application's controllers.
     *
     * @param rest       the REST handler
     * @param properties the properties
     * @return the mapping
     */
    @Bean
    SimpleUrlHandlerMapping workflowThreadHandlerMapping(ThreadRestHandler rest, WorkflowThreadProperties properties) {
        WorkflowThreadProperties.Web web = properties.getWeb();
        Map<String, HttpRequestHandler> handlers = new LinkedHashMap<>();
        String api = rest.prefix();
        if (api.isEmpty()) {
            // Mapped at /**, ahead of Spring Boot's static files, it would answer for the page's files too.
            throw new IllegalArgumentException(WorkflowThreadProperties.PREFIX + ".web.api-path: must not be empty"
                    + " while the starter serves the page (the REST API would take every path, the page's files"
                    + " included); mount it under a path such as /api");
        }
        handlers.put(api + "/**", new RestBridge(rest));
        // The page's files where Spring Boot serves the jar's META-INF/resources, its links under its path.
        WebAssets.PageBuilder html = WebAssets.pageBuilder().apiPath(api).wsPath(Settings.wsPath(web.getWsPath()));
        Settings.set("web.page-path", () -> html.pagePath(web.getPagePath()));
        String page = web.getPagePath();
        HttpRequestHandler pageHandler = new PageHandler(html.build());
        handlers.put(page, pageHandler);
        handlers.put(page + "workflows/*", pageHandler);
        SimpleUrlHandlerMapping mapping = new SimpleUrlHandlerMapping(handlers);
        mapping.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return mapping;
    }

    /** The WebSocket, with Spring WebSocket on the class path. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(WebSocketConfigurer.class)
    @EnableWebSocket
    static class Sockets {

        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean
        ThreadSockets workflowThreadSockets(WorkflowMessages messages, WorkflowHost host,
                                            WorkflowThreadProperties properties) {
            ThreadSockets.Builder builder = ThreadSockets.builder(messages, host);
            Settings.set("web.heartbeat", () -> builder.heartbeat(properties.getWeb().getHeartbeat()));
            return builder.build();
        }

        @Bean
        WebSocketConfigurer workflowThreadSocketEndpoint(ThreadSockets sockets, WorkflowThreadProperties properties) {
            String path = Settings.wsPath(properties.getWeb().getWsPath());
            return registry -> registry.addHandler(new SocketBridge(sockets), path)
                    .addInterceptors(new SocketBridge.UpgradeCheck());
        }
    }
}
