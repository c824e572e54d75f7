package dev.spindle.bench;

import java.security.GeneralSecurityException;
import java.security.spec.KeySpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * What every bench server answers, in one place so the JVM targets cannot drift apart (the Node
 * servers mirror it in {@code bench/node/contract.js}):
 *
 * <ul>
 *   <li>{@code GET /plaintext}: {@code Hello, World!} as {@code text/plain};</li>
 *   <li>{@code GET /json}: {@code {"message":"Hello, World!"}}, serialised per request;</li>
 *   <li>{@code GET /ping}: {@code pong};</li>
 *   <li>{@code GET /cpu}: {@link #pbkdf2Hex()} computed off the event loop;</li>
 *   <li>{@code GET /cpu-inline}: the same, computed on the event loop (the anti-pattern);</li>
 *   <li>{@code GET /users/{id}}: {@code user <id>}, registered last among {@link #ROUTES} routes.</li>
 * </ul>
 */
public final class BenchContract {

    /** The plaintext body. */
    /** The user the state benchmark's session holds ({@code GET /state/session} answers {@code hello <user>}). */
    public static final String SESSION_USER = "bench";
    /** The secret every target signs its session cookie with. */
    public static final String SESSION_SECRET = "spindle-bench-session-secret-0001";
    /** The key {@code GET /state/cache} reads ({@code {"message":"Hello, World!"}}, loaded once). */
    public static final String CACHE_KEY = "greeting";
    public static final String HELLO = "Hello, World!";
    /** Routes each server registers, the contract's included. */
    public static final int ROUTES = 100;
    /** Where every server listens. */
    public static final String HOST = "127.0.0.1";

    private static final char[] PASSWORD = "password".toCharArray();
    private static final byte[] SALT = "saltsalt".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final int ITERATIONS = 20_000;
    private static final int KEY_BITS = 256;

    private BenchContract() {}

    /** The JSON body's shape; every JVM target serialises a fresh one per request. */
    public record Message(String message) {}

    /** The listen port: {@code $PORT}, 8080 when unset. */
    public static int port() {
        String port = System.getenv("PORT");
        return port == null || port.isBlank() ? 8080 : Integer.parseInt(port.trim());
    }

    /** PBKDF2-HMAC-SHA256 of {@code password} with salt {@code saltsalt}, 20000 iterations, 32 bytes, as hex. */
    public static String pbkdf2Hex() {
        try {
            KeySpec spec = new PBEKeySpec(PASSWORD, SALT, ITERATIONS, KEY_BITS);
            byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            return HexFormat.of().formatHex(key);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is unavailable", e);
        }
    }

    /**
     * The filler routes registered between the contract's routes and {@code /users/{id}}, in a
     * framework-neutral form ({@code :id} marks a parameter): a third literal, a third with one
     * parameter, a third with a parameter and a literal tail, all under a shared {@code /api}
     * prefix so that tries and linear routers both do real work. With the five fixed routes and
     * {@code /users/{id}} they make {@link #ROUTES}.
     */
    public static List<String> fillerRoutes() {
        return fillerRoutes(ROUTES - 6);
    }

    /** {@code count} filler routes of the shapes {@link #fillerRoutes()} describes (the router microbenchmark's). */
    public static List<String> fillerRoutes(int count) {
        List<String> routes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            switch (i % 3) {
                case 0 -> routes.add("/api/resource" + i);
                case 1 -> routes.add("/api/resource" + i + "/:id");
                default -> routes.add("/api/resource" + i + "/:id/items");
            }
        }
        return routes;
    }

    /** A filler route in {@code {name}} template syntax (Spindle's). */
    public static String braces(String route) {
        return route.replace(":id", "{id}");
    }
}
