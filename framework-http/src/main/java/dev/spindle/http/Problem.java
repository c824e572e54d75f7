package dev.spindle.http;

import static java.util.Objects.requireNonNull;

/**
 * An RFC 9457 problem detail, the body of every error response Spindle writes. The request id
 * ties the response to the server's log line.
 *
 * @param type a URI that identifies the problem type; {@code about:blank} when the status says it all
 * @param title a short summary of the problem type
 * @param status the HTTP status
 * @param detail an explanation of this occurrence, safe to show the client; may be null
 * @param instance the request path; may be null
 * @param requestId the request id; filled in by the framework when written
 */
public record Problem(String type, String title, int status, String detail, String instance, String requestId) {

    /** Checks the parts where they enter. */
    public Problem {
        requireNonNull(type, "type");
        requireNonNull(title, "title");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 400-599)");
        }
    }

    /** A problem with {@code about:blank} type and the status's reason phrase as title. */
    public static Problem of(int status, String detail) {
        return new Problem("about:blank", Statuses.reason(status), status, detail, null, null);
    }

    /** A copy carrying the request id and path of the request it answers. */
    public Problem forRequest(String requestId, String instance) {
        return new Problem(type, title, status, detail, this.instance == null ? instance : this.instance,
                this.requestId == null ? requestId : this.requestId);
    }
}
