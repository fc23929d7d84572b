package dev.workflowthread.web;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The protocol-level checks of the REST API and the WebSocket upgrade: what keeps another web site
 * from steering workflows through a visitor's browser, and bodies read strictly as UTF-8 JSON.
 */
final class Protocol {
    /** The headers with which a client asks a server to take a POST for another method. */
    static final List<String> METHOD_OVERRIDES = List.of("X-HTTP-Method-Override", "X-HTTP-Method", "X-Method-Override");

    private Protocol() {
    }

    /**
     * Refuses a request that asks for another method than its own (400 naming the header): some
     * servers route a {@code POST} with {@code X-HTTP-Method-Override: DELETE} to the cancel, past
     * what a browser lets a page of another site send.
     */
    static void refuseMethodOverride(WebRequest request) {
        for (String header : METHOD_OVERRIDES) {
            if (!request.headers(header).isEmpty()) {
                throw WebRefusal.badRequest(header, header + " is refused: a request is taken for the method it was"
                        + " sent with");
            }
        }
    }

    /**
     * Refuses a request whose {@code Origin} header names another site than the one it was sent to
     * (its scheme, {@code Host} and port); one without an {@code Origin} (not from a browser)
     * passes.
     */
    static void requireSameOrigin(WebRequest request) {
        List<String> origins = request.headers("Origin");
        if (origins.isEmpty()) {
            return;
        }
        if (origins.size() > 1) {
            throw WebRefusal.forbidden("Origin", "a request must not carry more than one Origin, but had " + origins);
        }
        String origin = origins.get(0);
        if (!isThisServer(origin, request.scheme(), request.header("Host"), request.localPort())) {
            throw WebRefusal.forbidden("Origin", "requests from " + origin + " are refused: only pages of this server"
                    + " (" + request.scheme() + "://, the host the request was sent to, this server's port) may"
                    + " change workflows");
        }
    }

    /**
     * Whether {@code origin} is exactly {@code scheme://} and {@code host} (the request's
     * {@code Host}), with the server's port ({@code port}, or the {@code Host}'s when 0): no other
     * scheme, no user info, path or leading zero, not the {@code null} origin.
     */
    static boolean isThisServer(String origin, String scheme, String host, int port) {
        String prefix = scheme + "://";
        if (host == null || !origin.startsWith(prefix)) {
            return false;
        }
        String authority = origin.substring(prefix.length());
        if (!authority.equalsIgnoreCase(host)) {
            return false;
        }
        int close = authority.lastIndexOf(']');
        int colon = authority.lastIndexOf(':');
        String defaultPort = scheme.equals("https") ? "443" : "80";
        String digits = colon > close ? authority.substring(colon + 1) : defaultPort;
        if (!digits.matches("[1-9][0-9]{0,4}")) {
            return false;
        }
        return port == 0 || Integer.parseInt(digits) == port;
    }

    /**
     * Refuses a body that is not {@code application/json} in UTF-8 (415 naming
     * {@code Content-Type}), or whose bytes are not well-formed UTF-8 (400 naming {@code body}).
     */
    static void requireJsonUtf8(WebRequest request) {
        String type = request.header("Content-Type");
        String mediaType = type == null ? "" : type.split(";", 2)[0].trim();
        if (!mediaType.equalsIgnoreCase("application/json")) {
            throw WebRefusal.unsupportedMediaType("Content-Type", "a request body must be application/json, but was "
                    + (type == null ? "sent without a Content-Type" : type));
        }
        String problem = charsetProblem(type);
        if (problem != null) {
            throw WebRefusal.unsupportedMediaType("Content-Type", "a request body must be application/json in UTF-8,"
                    + " JSON's encoding, but was sent as " + type + " (" + problem + ")");
        }
        requireUtf8(request.bodyBytes());
    }

    /**
     * What is wrong with the parameters of {@code contentType} (after its media type), or null:
     * {@code name=value} parameters, the value a token or a quoted string; a parameter whose name
     * begins with {@code charset} must be {@code charset=utf-8} exactly (ASCII case ignored), since
     * some servers take the first parameter whose name begins so ({@code charsetx=UTF-16BE}) for
     * the charset.
     */
    static String charsetProblem(String contentType) {
        int i = contentType.indexOf(';');
        int n = contentType.length();
        while (i >= 0 && i < n) {
            i++; // past the ';'
            while (i < n && isSpace(contentType.charAt(i))) {
                i++;
            }
            int nameStart = i;
            while (i < n && isTokenChar(contentType.charAt(i))) {
                i++;
            }
            String name = contentType.substring(nameStart, i);
            if (name.isEmpty() || i >= n || contentType.charAt(i) != '=') {
                return "a parameter must be name=value";
            }
            i++; // past the '='
            StringBuilder value = new StringBuilder();
            if (i < n && contentType.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = contentType.charAt(i++);
                    if (c == '"') {
                        closed = true;
                        break;
                    }
                    if (c == '\\') {
                        if (i >= n) {
                            break;
                        }
                        c = contentType.charAt(i++);
                    }
                    value.append(c);
                }
                if (!closed) {
                    return "a quoted value is not closed";
                }
                if (value.indexOf(";") >= 0) {
                    return "a quoted value with a ';', which parsers split differently";
                }
            } else {
                while (i < n && isTokenChar(contentType.charAt(i))) {
                    value.append(contentType.charAt(i++));
                }
                if (value.length() == 0) {
                    return "parameter " + name + " has no value";
                }
            }
            while (i < n && isSpace(contentType.charAt(i))) {
                i++;
            }
            if (i < n && contentType.charAt(i) != ';') {
                return "parameter " + name + " is followed by more than a ';'";
            }
            if (name.regionMatches(true, 0, "charset", 0, "charset".length())
                    && !(name.equalsIgnoreCase("charset") && value.toString().equalsIgnoreCase("utf-8"))) {
                return "the only charset taken is charset=utf-8";
            }
        }
        return null;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }

    /** RFC 9110's tchar. */
    private static boolean isTokenChar(char c) {
        return c < 0x7f && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
    }

    /** Refuses bytes that are not well-formed UTF-8 (also an overlong form or an encoded surrogate), naming where. */
    static void requireUtf8(byte[] body) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(body);
        CharBuffer out = CharBuffer.allocate(body.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw WebRefusal.badRequest("body", "the body is not valid UTF-8: " + result.length() + " byte(s) at offset "
                    + in.position() + " form no character");
        }
    }

    /**
     * {@link Long#parseLong}, but of ASCII digits only, with an optional minus: it would take any
     * Unicode digit (an Arabic-Indic {@code ١} is 1) and a plus sign.
     */
    static long parseAsciiLong(String raw) {
        String digits = raw.startsWith("-") ? raw.substring(1) : raw;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new NumberFormatException("not ASCII digits: " + raw);
        }
        return Long.parseLong(raw);
    }
}
