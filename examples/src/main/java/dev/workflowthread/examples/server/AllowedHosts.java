package dev.workflowthread.examples.server;

import dev.workflowthread.web.WebRefusal;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.util.HostPort;

/**
 * The host names a request may be addressed to: what keeps a page of another site from reaching
 * the server through DNS rebinding. Such a page, on a name the attacker controls that then
 * resolves to this machine, is of the same origin as the requests it sends, so the same-origin
 * check alone lets it through; but its requests name the attacker's host in their {@code Host}
 * header. Only the names the server was started for pass: {@code localhost}, {@code 127.0.0.1},
 * {@code [::1]}, the address it listens on (unless that is every interface), and those given with
 * {@code --allowed-hosts}. The name is compared without its port, ignoring ASCII case.
 *
 * <p>Every HTTP request and every WebSocket upgrade is checked, before anything else: a request
 * addressed to another name (or to none) gets {@code 421 Misdirected Request},
 * {@code {"status":421,"error":"…","field":"Host"}}, and nothing is read or stored.
 */
final class AllowedHosts {
    /** The names of the loopback, always allowed. */
    static final List<String> LOOPBACK = List.of("localhost", "127.0.0.1", "[::1]");

    private final Set<String> names;
    private final List<String> shown;

    /**
     * @param listenHost the address the server listens on ({@code 0.0.0.0} or {@code ::} for every
     *                   interface, which adds no name)
     * @param more       further names, e.g. the machine's name and addresses when it listens on
     *                   every interface
     * @throws IllegalArgumentException when a name is not a host name or address
     */
    AllowedHosts(String listenHost, Collection<String> more) {
        Set<String> allowed = new LinkedHashSet<>(LOOPBACK);
        if (!isWildcard(listenHost)) {
            allowed.add(normalise(listenHost));
        }
        for (String name : more) {
            allowed.add(normalise(name));
        }
        this.names = Set.copyOf(allowed);
        this.shown = List.copyOf(allowed);
    }

    /** The names allowed, the loopback's first. */
    List<String> names() {
        return shown;
    }

    /** Whether {@code host} is {@code 0.0.0.0} or {@code ::}: every interface. */
    static boolean isWildcard(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
    }

    /**
     * Refuses a request whose {@code Host} header names no allowed host, with a 421 naming
     * {@code Host}.
     */
    void require(Context ctx) {
        String header = ctx.header("Host");
        if (header == null || header.isBlank()) {
            throw new WebRefusal(421, "Host", "the request names no host; this server answers only requests to "
                    + String.join(", ", shown));
        }
        String name;
        try {
            name = normalise(new HostPort(header).getHost());
        } catch (IllegalArgumentException e) {
            name = null;
        }
        if (name == null || !names.contains(name)) {
            throw new WebRefusal(421, "Host", "requests to " + header + " are refused: this server answers only"
                    + " requests to " + String.join(", ", shown) + " (start it with --allowed-hosts=NAME,… to add names)");
        }
    }

    /** Lower case (ASCII only), an IPv6 address in brackets; throws for what is no host name or address. */
    private static String normalise(String name) {
        if (name.isBlank()) {
            throw new IllegalArgumentException("a host name or address must not be empty");
        }
        HostPort parsed;
        try {
            parsed = new HostPort(name.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a host name or address: '" + name + "'");
        }
        if (parsed.getHost().isEmpty() || parsed.getPort() != -1) {
            throw new IllegalArgumentException("a host name or address without a port, but was '" + name + "'");
        }
        StringBuilder lower = new StringBuilder(parsed.getHost());
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                lower.setCharAt(i, (char) (c + ('a' - 'A')));
            }
        }
        return lower.toString();
    }

    /** The names of a comma-separated list such as {@code --allowed-hosts=demo.example,192.168.1.5}. */
    static List<String> parseList(String list) {
        List<String> names = new ArrayList<>();
        for (String name : list.split(",", -1)) {
            names.add(normalise(name));
        }
        return names;
    }
}
