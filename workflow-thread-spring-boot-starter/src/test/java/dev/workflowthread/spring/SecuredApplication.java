package dev.workflowthread.spring;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * A Spring Boot application with the starter behind a real Spring Security filter chain: every
 * request authenticated with HTTP Basic against one in-memory user. Spring Security's CSRF token
 * is not asked of the REST API, which refuses another site's requests itself (its {@code Origin}
 * check, and JSON bodies only).
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class SecuredApplication {
    static final String USER = "alice";
    static final String PASSWORD = "correct horse";

    @Bean
    SecurityFilterChain security(HttpSecurity http) throws Exception {
        return http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                .csrf(csrf -> csrf.ignoringRequestMatchers("/api/**"))
                .build();
    }

    @Bean
    UserDetailsService users() {
        return new InMemoryUserDetailsManager(User.withUsername(USER).password("{noop}" + PASSWORD).roles("USER").build());
    }

    /** The {@code Authorization} header's value for {@code user} with {@code password} over HTTP Basic. */
    static String basic(String user, String password) {
        String credentials = user + ":" + password;
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

    /** A real HTTP client of the application on its port. */
    static final class Client {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final int port;

        Client(int port) {
            this.port = port;
        }

        /**
         * Sends a request, as {@code user} with {@code password} over HTTP Basic (no credentials
         * when {@code user} is null), with a JSON body unless {@code body} is null.
         */
        HttpResponse<String> send(String method, String path, String body, String user, String password)
                throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .timeout(Duration.ofSeconds(30));
            if (user != null) {
                request.header("Authorization", basic(user, password));
            }
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }

        /** A request as the application's user. */
        HttpResponse<String> asUser(String method, String path, String body) throws IOException, InterruptedException {
            return send(method, path, body, USER, PASSWORD);
        }
    }
}
