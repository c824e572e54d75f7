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
 * set (HMAC-SHA256, first key signs, every key verifies, so keys rotate without logging users out).
 */
public final class SessionCookies {

    private final SessionOptions options;
    private final List<SecretKeySpec> keys;

    public SessionCookies(SessionOptions options) {
        this.options = options;
        List<SecretKeySpec> specs = new ArrayList<>();
        for (String key : options.signingKeys()) {
            specs.add(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        }
        this.keys = List.copyOf(specs);
    }

    /** The session id the request's cookie carries, if it is well-formed and correctly signed. */
    public Optional<String> idOf(Context ctx) {
        Optional<String> value = ctx.cookie(options.cookieName());
        if (value.isEmpty()) {
            return Optional.empty();
        }
        String raw = value.get();
        if (keys.isEmpty()) {
            return SessionIds.wellFormed(raw) ? Optional.of(raw) : Optional.empty();
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
        for (SecretKeySpec key : keys) {
            if (MessageDigest.isEqual(sign(key, id), presented)) {
                return Optional.of(id);
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
                : id + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sign(keys.get(0), id));
        return Cookie.of(options.cookieName(), value).secure(secure(ctx));
    }

    /** The cookie that deletes the session cookie in the browser. */
    public Cookie expire(Context ctx) {
        return Cookie.expire(options.cookieName()).secure(secure(ctx));
    }

    private boolean secure(Context ctx) {
        if (options.cookieSecurity() == SessionOptions.CookieSecurity.ALWAYS || ctx.scheme().equals("https")) {
            return true;
        }
        if (!options.trustForwardedProto()) {
            return false;
        }
        return ctx.header("X-Forwarded-Proto")
                .map(proto -> proto.split(",")[0].trim().toLowerCase(Locale.ROOT).equals("https"))
                .orElse(false);
    }

    private static byte[] sign(SecretKeySpec key, String id) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(id.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always available", e);
        }
    }
}
