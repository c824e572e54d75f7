package dev.spindle.state.internal;

import dev.spindle.http.Context;
import dev.spindle.http.Cookie;
import dev.spindle.state.SessionOptions;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Reads and writes the session cookie: the id, or {@code id.signature} when signing keys are
 * set (HMAC-SHA256, first key signs, every key verifies, so keys rotate without logging users
 * out; a cookie verified by an older key is re-issued with the newest). Decides, in
 * {@link #secure(Context)}, when the cookie is Secure.
 */
public final class SessionCookies {

    /** A session id read from a cookie, and whether the cookie should be re-issued (signed with a retired key). */
    public record Presented(String id, boolean reissue) {}

    private static final String[] PROXY_HEADERS = {"Forwarded", "X-Forwarded-For", "X-Forwarded-Proto",
        "X-Forwarded-Host", "X-Real-IP"};

    private final SessionOptions options;
    private final List<SecretKeySpec> keys;
    private final ThreadLocal<Mac[]> macs;

    public SessionCookies(SessionOptions options) {
        this.options = options;
        List<SecretKeySpec> specs = new ArrayList<>();
        for (String key : options.signingKeys()) {
            specs.add(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        }
        this.keys = List.copyOf(specs);
        this.macs = ThreadLocal.withInitial(() -> new Mac[keys.size()]);
    }

    /** The session id the request's cookie carries, if it is well-formed and correctly signed. */
    public Optional<Presented> idOf(Context ctx) {
        Optional<String> value = ctx.cookie(options.cookieName());
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String raw = value.get();
        if (keys.isEmpty()) {
            return SessionIds.wellFormed(raw) ? Optional.of(new Presented(raw, false)) : Optional.empty();
        }
        int dot = raw.indexOf('.');
        if (dot != SessionIds.LENGTH || !SessionIds.wellFormed(raw.substring(0, dot))) {
            return Optional.empty();
        }
        String id = raw.substring(0, dot);
        byte[] presented;
        try {
            presented = Base64.getUrlDecoder().decode(raw.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        for (int i = 0; i < keys.size(); i++) {
            if (MessageDigest.isEqual(sign(i, id), presented)) {
                return Optional.of(new Presented(id, i > 0));
            }
        }
        return Optional.empty();
    }

    /** Whether the request carried a session cookie at all. */
    public boolean present(Context ctx) {
        return ctx.cookie(options.cookieName()).isPresent();
    }

    /** The cookie that hands {@code id} to the browser. */
    public Cookie issue(Context ctx, String id) {
        String value = keys.isEmpty() ? id
                : id + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sign(0, id));
        return Cookie.of(options.cookieName(), value).secure(secure(ctx));
    }

    /** The cookie that deletes the session cookie in the browser. */
    public Cookie expire(Context ctx) {
        return Cookie.expire(options.cookieName()).secure(secure(ctx));
    }

    /**
     * Whether the cookie gets Secure: the one place that decides. HTTPS as the client used it
     * ({@link Context#scheme()}: TLS to this server, or a trusted proxy's {@code X-Forwarded-Proto})
     * always does. Plain HTTP stays without Secure only for a browser on this machine
     * ({@link Context#clientAddress()} on loopback, which follows {@code http.trusted-proxies})
     * talking to the app without an untrusted proxy's headers in between.
     */
    boolean secure(Context ctx) {
        if (options.prefixDemandsSecure() || options.cookieSecurity() == SessionOptions.CookieSecurity.ALWAYS
                || ctx.scheme().equals("https")) {
            return true;
        }
        if (options.cookieSecurity() == SessionOptions.CookieSecurity.NEVER) {
            return false;
        }
        if (!ctx.clientAddress().isLoopbackAddress()) {
            return true;
        }
        if (options.trustForwardedProto()) {
            Optional<String> proto = ctx.header("X-Forwarded-Proto");
            if (proto.isPresent()) {
                return !proto.get().split(",")[0].trim().toLowerCase(Locale.ROOT).equals("http");
            }
        }
        for (String header : PROXY_HEADERS) {
            if (ctx.header(header).isPresent()) {
                return true; // a proxy on this machine: the browser is elsewhere
            }
        }
        return false;
    }

    private byte[] sign(int key, String id) {
        Mac[] perThread = macs.get();
        try {
            if (perThread[key] == null) {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(keys.get(key));
                perThread[key] = mac;
            }
            return perThread[key].doFinal(id.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }
}
