package dev.cmr.monitor.http;

import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The bearer-token check: a request passes when its {@code Authorization} header is {@code Bearer <token>} with the
 * configured token. Both sides are hashed with SHA-256 first and compared with {@link MessageDigest#isEqual}, so the
 * time taken depends neither on where the first difference lies nor on the presented token's length. Immutable;
 * thread-safe.
 */
final class BearerAuth {
    private static final String PREFIX = "Bearer ";
    private final byte[] expectedDigest;

    /** @param token the token, or null to let every request in */
    BearerAuth(String token) {
        expectedDigest = token == null ? null : sha256(token);
    }

    boolean required() {
        return expectedDigest != null;
    }

    boolean allows(HttpExchange exchange) {
        if (expectedDigest == null) {
            return true;
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return false;
        }
        return MessageDigest.isEqual(expectedDigest, sha256(header.substring(PREFIX.length()).strip()));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
