package dev.spindle.sample.web;

import static java.util.Objects.requireNonNull;

import dev.spindle.http.Context;
import dev.spindle.http.Handler;
import dev.spindle.http.Middleware;
import dev.spindle.http.Problem;
import dev.spindle.http.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Lets a request through only with the right {@code X-Api-Key}: 401 without one, 403 with a wrong
 * one. Keys are compared in constant time so timing does not leak how much of a guess was right.
 */
public final class ApiKeyCheck implements Middleware {

    /** The request header that carries the key. */
    public static final String HEADER = "X-Api-Key";

    private final byte[] key;

    private ApiKeyCheck(String key) {
        this.key = key.getBytes(StandardCharsets.UTF_8);
    }

    /** A check for {@code key}. */
    public static ApiKeyCheck of(String key) {
        requireNonNull(key, "key");
        if (key.isBlank()) {
            throw new IllegalArgumentException("key: blank (expected: a secret)");
        }
        return new ApiKeyCheck(key);
    }

    @Override
    public CompletionStage<Response> handle(Context ctx, Handler next) throws Exception {
        Optional<String> given = ctx.header(HEADER);
        if (given.isEmpty()) {
            return Response.problem(Problem.of(401, "This request needs an API key in the " + HEADER + " header"))
                    .header("WWW-Authenticate", "ApiKey header=\"" + HEADER + "\"").completed();
        }
        if (!MessageDigest.isEqual(key, given.get().getBytes(StandardCharsets.UTF_8))) {
            return Response.problem(Problem.of(403, "The API key is not valid")).completed();
        }
        return next.handle(ctx);
    }
}
