package dev.workflowthread.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.sql.SQLException;
import org.h2.tools.Server;

/** An H2 TCP server on loopback, so a second process can share the benchmark's in-memory H2 database. */
final class H2Server implements AutoCloseable {
    private final Server server;
    private final String url;

    H2Server(String database) {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port for H2", e);
        }
        try {
            server = Server.createTcpServer("-tcpPort", String.valueOf(port), "-ifNotExists").start();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot start an H2 server", e);
        }
        url = "jdbc:h2:tcp://127.0.0.1:" + port + "/mem:" + database + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=20000";
    }

    String url() {
        return url;
    }

    @Override
    public void close() {
        server.stop();
    }
}
