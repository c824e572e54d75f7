package dev.spindle.http;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * A cookie to set on a response. Defaults are the safe ones: {@code HttpOnly},
 * {@code SameSite=Lax} and {@code Path=/}; relax them explicitly where needed.
 *
 * <pre>{@code
 * Response.text("ok").cookie(Cookie.of("theme", "dark").maxAge(Duration.ofDays(30)).secure(true));
 * }</pre>
 *
 * @param name the name (an RFC 6265 token)
 * @param value the value (RFC 6265 cookie octets)
 * @param path the path attribute
 * @param domain the domain attribute, if any
 * @param maxAge the lifetime; {@code null} for a session cookie, zero to delete
 * @param secure whether browsers send it over HTTPS only
 * @param httpOnly whether scripts are kept from reading it
 * @param sameSite the SameSite attribute
 */
public record Cookie(String name, String value, String path, String domain, Duration maxAge, boolean secure,
                     boolean httpOnly, SameSite sameSite) {

    /** The SameSite attribute. */
    public enum SameSite { STRICT, LAX, NONE }

    /** Checks the parts where they enter. */
    public Cookie {
        requireNonNull(name, "name");
        requireNonNull(value, "value");
        requireNonNull(path, "path");
        requireNonNull(sameSite, "sameSite");
        checkName(name);
        checkValue(name, value);
        checkAttribute("path", path);
        if (domain != null) {
            checkAttribute("domain", domain);
            if (domain.isEmpty() || domain.indexOf(' ') >= 0) {
                throw new IllegalArgumentException("domain: '" + domain + "' (expected: a host name)");
            }
        }
        if (maxAge != null && maxAge.isNegative()) {
            throw new IllegalArgumentException("maxAge: " + maxAge + " (expected: >= 0)");
        }
        if (sameSite == SameSite.NONE && !secure) {
            throw new IllegalArgumentException("sameSite: NONE (expected: secure(true) as browsers require)");
        }
    }

    // Checked here, when the cookie is made, so that writing the response can never fail on it (RFC 6265 4.1.1).

    private static void checkName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name: empty (expected: an RFC 6265 token)");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 127 || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                throw new IllegalArgumentException("name: '" + name + "' (expected: an RFC 6265 token)");
            }
        }
    }

    private static void checkValue(String name, String value) {
        int start = 0;
        int end = value.length();
        if (end >= 2 && value.charAt(0) == '"' && value.charAt(end - 1) == '"') {
            start = 1;
            end--;
        }
        for (int i = start; i < end; i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c >= 127 || c == '"' || c == ',' || c == ';' || c == '\\') {
                throw new IllegalArgumentException("value of cookie " + name + ": contains '" + c
                        + "' (expected: RFC 6265 cookie octets; encode the value, e.g. Base64url)");
            }
        }
    }

    private static void checkAttribute(String attribute, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < ' ' || c == 127 || c == ';') {
                throw new IllegalArgumentException(attribute + ": '" + value + "' (expected: no ';' or control characters)");
            }
        }
    }

    /** An HttpOnly, SameSite=Lax session cookie on {@code /}. */
    public static Cookie of(String name, String value) {
        return new Cookie(name, value, "/", null, null, false, true, SameSite.LAX);
    }

    /** A cookie that deletes {@code name} in the browser. */
    public static Cookie expire(String name) {
        return of(name, "").maxAge(Duration.ZERO);
    }

    /** The domain attribute, if set. */
    public Optional<String> domainAttribute() {
        return Optional.ofNullable(domain);
    }

    /** The Max-Age attribute, if set. */
    public Optional<Duration> maxAgeAttribute() {
        return Optional.ofNullable(maxAge);
    }

    /** A copy with another path. */
    public Cookie path(String path) {
        return new Cookie(name, value, path, domain, maxAge, secure, httpOnly, sameSite);
    }

    /** A copy with a domain. */
    public Cookie domain(String domain) {
        return new Cookie(name, value, path, requireNonNull(domain, "domain"), maxAge, secure, httpOnly, sameSite);
    }

    /** A copy with a lifetime. */
    public Cookie maxAge(Duration maxAge) {
        return new Cookie(name, value, path, domain, requireNonNull(maxAge, "maxAge"), secure, httpOnly, sameSite);
    }

    /** A copy with the Secure attribute set or cleared. */
    public Cookie secure(boolean secure) {
        return new Cookie(name, value, path, domain, maxAge, secure, httpOnly, sameSite);
    }

    /** A copy with HttpOnly set or cleared. */
    public Cookie httpOnly(boolean httpOnly) {
        return new Cookie(name, value, path, domain, maxAge, secure, httpOnly, sameSite);
    }

    /** A copy with another SameSite attribute. */
    public Cookie sameSite(SameSite sameSite) {
        return new Cookie(name, value, path, domain, maxAge, secure, httpOnly, sameSite);
    }
}
