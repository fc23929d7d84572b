package dev.workflowthread.redis;

import dev.workflowthread.jdbc.TestDatabase;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * The Redis the tests use: the one at {@code WORKFLOW_THREAD_TEST_REDIS_URI} (default: the
 * loopback service of DEVELOPERS.md). When it cannot be reached the tests skip, saying why, unless
 * {@code WORKFLOW_THREAD_TEST_REQUIRE} names {@code redis} (as CI does): then they fail. Each test
 * takes channels of its own ({@link #newChannel}), so runs on a shared Redis do not meet.
 */
final class TestRedis {
    static final String URI = uriFromEnvironment();
    /** Lettuce's threads, shared by the signals of the tests of one JVM. */
    private static ClientResources resources;
    private static String unavailable;
    private static boolean probed;

    private TestRedis() {
    }

    private static String uriFromEnvironment() {
        String configured = System.getenv("WORKFLOW_THREAD_TEST_REDIS_URI");
        return configured == null || configured.isBlank() ? "redis://127.0.0.1:6379" : configured;
    }

    /** Skips the calling test when Redis cannot be reached, printing why; fails instead when it is required. */
    static synchronized void assumeAvailable() {
        if (!probed) {
            probed = true;
            RedisClient client = RedisClient.create(URI);
            try (StatefulRedisConnection<String, String> connection = client.connect()) {
                connection.sync().ping();
            } catch (RuntimeException e) {
                unavailable = "cannot connect to Redis at " + URI + " (" + e.getMessage()
                        + "); start it as DEVELOPERS.md says, or set WORKFLOW_THREAD_TEST_REDIS_URI";
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
        if (unavailable == null) {
            return;
        }
        if (TestDatabase.isRequired("redis")) {
            throw new IllegalStateException("Redis is required (WORKFLOW_THREAD_TEST_REQUIRE) but " + unavailable);
        }
        System.out.println("SKIPPED: tests on Redis: " + unavailable);
        Assumptions.abort("Redis tests skipped: " + unavailable);
    }

    /** A channel no other test uses. */
    static String newChannel() {
        return "wt-test:" + UUID.randomUUID();
    }

    /** A client name no other test uses, for finding the connections in {@code CLIENT LIST}. */
    static String newClientName() {
        return "wt-test-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static synchronized ClientResources resources() {
        if (resources == null) {
            resources = ClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(1)
                    .reconnectDelay(Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2,
                            TimeUnit.MILLISECONDS))
                    .build();
        }
        return resources;
    }

    /** Signals on the test Redis and {@code channel}, on the shared resources. */
    static RedisChangeSignals signals(String channel) {
        return RedisChangeSignals.builder().uri(URI).channel(channel).clientResources(resources()).build();
    }

    /** The URI with a client name, so that {@link #killClients} finds its connections. */
    static String uriNamed(String clientName) {
        return URI + (URI.contains("?") ? "&" : "?") + "clientName=" + clientName;
    }

    /** How many connections are subscribed to {@code channel} now. */
    static long subscribers(String channel) {
        RedisClient client = RedisClient.create(RedisURI.create(URI));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().pubsubNumsub(channel).getOrDefault(channel, 0L);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    /** Cuts, from the server's side, every connection named {@code clientName}; returns how many. */
    static int killClients(String clientName) {
        RedisClient client = RedisClient.create(RedisURI.create(URI));
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            List<String> ids = new ArrayList<>();
            for (String line : connection.sync().clientList().split("\n")) {
                if (line.contains(" name=" + clientName + " ")) {
                    for (String field : line.split(" ")) {
                        if (field.startsWith("id=")) {
                            ids.add(field.substring(3));
                        }
                    }
                }
            }
            for (String id : ids) {
                connection.sync().clientKill(io.lettuce.core.KillArgs.Builder.id(Long.parseLong(id)));
            }
            return ids.size();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
