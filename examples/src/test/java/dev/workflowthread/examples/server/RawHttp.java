package dev.workflowthread.examples.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, for what {@code java.net.http} will not send: a {@code Host}
 * header of the test's choosing (it is a restricted header there), a request line exactly as
 * written ({@code %00} in the path), a WebSocket upgrade with a forged {@code Host}, any body
 * bytes under any header. One connection for each request: on a kept-alive one the client would
 * have to guess whether the server closed it after the last answer (as Jetty does when a handler
 * left a body unread) and send again, a request sent twice is not one request, and body bytes a
 * handler left unread may be parsed as a request of their own. On the loopback a connection of
 * its own costs a request about 0.2 to 0.5 ms.
 */
final class RawHttp {
    private static final int TIMEOUT_MILLIS = 30_000;

    private RawHttp() {
    }

    /** A response: its status, headers (names in lower case) and body. */
    record Response(int status, Map<String, String> headers, String body) {
        TestServer.Response asTestResponse() {
            return new TestServer.Response(status, body, null);
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }

    /**
     * Sends {@code head} (the request line and headers, each line ending in CRLF, without the blank
     * line that ends them) with {@code Connection: close} unless it names a {@code Connection}, a
     * {@code Content-Length} when there is a body and it names none (both looked for as spelt
     * here, case and all), and the body; reads the response (only its head for a 101 or the
     * answer to a HEAD).
     */
    static Response send(int port, String head, byte[] body) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
            if (socket.getLocalPort() == port) {
                // TCP's simultaneous open, possible only when nothing listens on the port. Once in
                // CI a request read back its own request line, which only this explains; why the
                // port was free then is not known. Should it happen again, this says so.
                throw new IOException("the connection to port " + port + " met itself: the server is not listening");
            }
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            StringBuilder request = new StringBuilder(head);
            if (!head.contains("\r\nConnection:")) {
                request.append("Connection: close\r\n");
            }
            if (body.length > 0 && !head.contains("\r\nContent-Length:")) {
                request.append("Content-Length: ").append(body.length).append("\r\n");
            }
            request.append("\r\n");
            // One write: a request in two small segments would wait for the server's delayed ACK.
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(request.length() + body.length);
            bytes.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            bytes.write(body);
            socket.getOutputStream().write(bytes.toByteArray());
            socket.getOutputStream().flush();
            return read(socket.getInputStream(), head.startsWith("HEAD "));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Response send(int port, String head) {
        return send(port, head, new byte[0]);
    }

    /** The opening of a WebSocket upgrade of {@code /ws}, to which the caller adds its own headers. */
    static String upgrade(String host, String origin) {
        return "GET /ws HTTP/1.1\r\nHost: " + host + "\r\n" + (origin == null ? "" : "Origin: " + origin + "\r\n")
                + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
    }

    private static Response read(InputStream raw, boolean headOnly) throws IOException {
        InputStream in = new BufferedInputStream(raw);
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP response: " + statusLine);
        }
        int status = Integer.parseInt(parts[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String header = line(in); !header.isEmpty(); header = line(in)) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
        if (status == 101 || status == 204 || status == 304 || headOnly) {
            return new Response(status, headers, "");
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16); size > 0;
                 size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                body.write(in.readNBytes(size));
                line(in);
            }
        } else if (headers.containsKey("content-length")) {
            int length = Integer.parseInt(headers.get("content-length"));
            body.write(in.readNBytes(length));
            if (body.size() < length) {
                throw new IOException("the server closed the connection after " + body.size() + " of " + length
                        + " bytes of the body");
            }
        } else {
            in.transferTo(body);
        }
        return new Response(status, headers, body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new IOException("the connection closed in the middle of a line: " + line);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
