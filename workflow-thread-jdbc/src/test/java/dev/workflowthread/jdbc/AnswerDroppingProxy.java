package dev.workflowthread.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TCP proxy on the loopback between a JDBC driver and its database that, once armed, lets the
 * next {@code COMMIT} through to the database and then cuts the connection instead of passing the
 * database's answer back: the transaction is committed, and the client's {@code commit()} fails
 * with a broken connection. That is the case a client cannot tell from a commit that never
 * arrived.
 */
final class AnswerDroppingProxy implements AutoCloseable {
    private static final Pattern HOST_PORT = Pattern.compile("^(jdbc:[a-z]+://)([^/:?]+)(?::(\\d+))?(.*)$");
    private static final byte[] COMMIT = "COMMIT".getBytes(StandardCharsets.US_ASCII);

    private final ServerSocket listening;
    private final String targetHost;
    private final int targetPort;
    private final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicInteger dropped = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private AnswerDroppingProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "answer-dropping-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy in front of the database of {@code url}; {@link #url()} is the same URL through it. */
    static AnswerDroppingProxy inFrontOf(String url, int defaultPort) throws IOException {
        Matcher m = HOST_PORT.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a host and port URL: " + Connections.withoutParameters(url));
        }
        AnswerDroppingProxy proxy = new AnswerDroppingProxy(m.group(2),
                m.group(3) == null ? defaultPort : Integer.parseInt(m.group(3)));
        proxy.url = m.group(1) + "127.0.0.1:" + proxy.listening.getLocalPort() + m.group(4);
        return proxy;
    }

    private String url;

    String url() {
        return url;
    }

    /** The next COMMIT sent through the proxy reaches the database; its answer does not come back. */
    void dropTheNextCommitsAnswer() {
        armed.set(true);
    }

    /** How many answers were dropped. */
    int dropped() {
        return dropped.get();
    }

    private void accept() {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                Socket server = new Socket(targetHost, targetPort);
                sockets.add(client);
                sockets.add(server);
                AtomicBoolean commitSent = new AtomicBoolean();
                pump(client, server, commitSent, true);
                pump(server, client, commitSent, false);
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pump(Socket from, Socket to, AtomicBoolean commitSent, boolean towardsDatabase) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    if (towardsDatabase) {
                        if (contains(buffer, n, COMMIT) && armed.compareAndSet(true, false)) {
                            commitSent.set(true);
                        }
                    } else if (commitSent.get()) {
                        // The database answered the COMMIT, so it is done: cut the client off.
                        dropped.incrementAndGet();
                        from.close();
                        to.close();
                        return;
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // one side closed: close the other
            }
            closeQuietly(from);
            closeQuietly(to);
        }, "answer-dropping-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    private static boolean contains(byte[] buffer, int length, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (buffer[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listening.close();
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
    }
}
