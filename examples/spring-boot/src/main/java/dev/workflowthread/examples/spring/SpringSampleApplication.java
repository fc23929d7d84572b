package dev.workflowthread.examples.spring;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The Spring Boot sample: the demo's simulated agents run by an orchestrator bean, with the
 * thread's REST API at {@code /api}, its WebSocket at {@code /ws} and its page at
 * {@code /threads/}, all from {@code workflow-thread-spring-boot-starter}; H2 embedded unless
 * {@code spring.datasource.url} says otherwise. Health at {@code /actuator/health}, meters at
 * {@code /actuator/metrics}.
 */
@SpringBootApplication
public class SpringSampleApplication {

    /**
     * Starts the sample.
     *
     * @param args Spring Boot's arguments, such as {@code --server.port=9090}
     */
    public static void main(String[] args) {
        SpringApplication.run(SpringSampleApplication.class, args);
    }
}
