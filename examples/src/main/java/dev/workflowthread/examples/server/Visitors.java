package dev.workflowthread.examples.server;

import dev.workflowthread.web.WebRefusal;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Who is asking: the demo's stand-in for a host's login. The server gives each browser (or
 * cookie-keeping client) a random secret in an {@code HttpOnly} cookie the first time it asks for
 * something, and the person's name is derived from that secret: {@code visitor-} and the first 16
 * hex digits (64 bits) of its SHA-256. The name is public (it is the {@code author} of the
 * person's messages and the {@code started_by} of their workflows); the secret is not, so a client
 * cannot make itself someone else by sending a header or a name in a body: it would need a secret
 * whose hash begins with that name. The server keeps nothing: the same cookie is the same person,
 * also after a restart. A client that keeps no cookies (curl without {@code -c}/{@code -b}) is a
 * new visitor at every request.
 */
final class Visitors {
    static final String COOKIE = "wt_visitor";
    /** 32 random bytes, base64url without padding. */
    private static final Pattern SECRET = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final String PREFIX = "visitor-";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Visitors() {
    }

    /**
     * The name of the person behind this request; gives the client a new secret (and so a new
     * name) when it sent none, or one the server could not have made.
     */
    static String identify(Context ctx) {
        refuseSeveralCookies(ctx);
        String secret = ctx.cookie(COOKIE);
        if (secret == null || !SECRET.matcher(secret).matches()) {
            secret = newSecret();
            // Strict: a page of another site cannot make the browser send it; the page's scripts never see it.
            ctx.header("Set-Cookie", COOKIE + "=" + secret + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=31536000");
        }
        return nameOf(secret);
    }

    /**
     * Refuses a request that carries more than one {@value #COOKIE} cookie (400 naming
     * {@code Cookie}): which one a server takes is the first, and a page on another port of
     * localhost can plant one of its own (cookies are not kept apart by port), so that the person
     * would act as the attacker's visitor.
     */
    static void refuseSeveralCookies(Context ctx) {
        int count = 0;
        for (String header : java.util.Collections.list(ctx.req().getHeaders("Cookie"))) {
            for (String pair : header.split(";")) {
                String name = pair.split("=", 2)[0].trim();
                if (name.equals(COOKIE)) {
                    count++;
                }
            }
        }
        if (count > 1) {
            throw WebRefusal.badRequest("Cookie", "a request must carry one " + COOKIE + " cookie at most, but had "
                    + count + " (clear this site's cookies)");
        }
    }

    /** The public name that belongs to a secret. */
    static String nameOf(String secret) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.US_ASCII));
            return PREFIX + HexFormat.of().formatHex(hash, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static String newSecret() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
