package dev.spindle.test;

import dev.spindle.http.Problem;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.Assertions;

/**
 * AssertJ assertions for a {@link TestResponse}; start with {@link SpindleAssertions#assertThat}.
 *
 * <pre>{@code
 * assertThat(client.get("/users/x")).isProblem(400).hasDetailContaining("'id'");
 * }</pre>
 */
public final class ResponseAssert extends AbstractAssert<ResponseAssert, TestResponse> {

    ResponseAssert(TestResponse actual) {
        super(actual, ResponseAssert.class);
    }

    /** The status is {@code status}. */
    public ResponseAssert hasStatus(int status) {
        isNotNull();
        if (actual.status() != status) {
            failWithMessage("Expected status %d but got %s", status, actual);
        }
        return this;
    }

    /** The body is exactly {@code body}. */
    public ResponseAssert hasBody(String body) {
        Assertions.assertThat(actual.body()).as("body of %s", actual).isEqualTo(body);
        return this;
    }

    /** A header has exactly this first value. */
    public ResponseAssert hasHeader(String name, String value) {
        Assertions.assertThat(actual.header(name)).as("header %s of %s", name, actual).contains(value);
        return this;
    }

    /** A header is absent. */
    public ResponseAssert doesNotHaveHeader(String name) {
        Assertions.assertThat(actual.header(name)).as("header %s of %s", name, actual).isEmpty();
        return this;
    }

    /** The content type starts with {@code mediaType}. */
    public ResponseAssert hasContentType(String mediaType) {
        Assertions.assertThat(actual.header("Content-Type")).as("content type of %s", actual)
                .hasValueSatisfying(value -> Assertions.assertThat(value).startsWith(mediaType));
        return this;
    }

    /**
     * An RFC 9457 problem with {@code status}: the problem content type, matching status field,
     * the request id of the {@code X-Request-Id} header, and no stack trace or exception name.
     */
    public ResponseAssert isProblem(int status) {
        hasStatus(status);
        hasContentType("application/problem+json");
        Problem problem = actual.problem();
        Assertions.assertThat(problem.status()).as("problem status in %s", actual).isEqualTo(status);
        Assertions.assertThat(problem.title()).as("problem title in %s", actual).isNotBlank();
        Assertions.assertThat(problem.requestId()).as("problem request id in %s", actual)
                .isNotBlank()
                .isEqualTo(actual.header("X-Request-Id").orElse(null));
        Assertions.assertThat(actual.body()).as("problem body must not leak internals")
                .doesNotContain("\tat ", ".java:", "Exception");
        return this;
    }

    /** The problem's detail contains {@code text}. */
    public ResponseAssert hasDetailContaining(String text) {
        Assertions.assertThat(actual.problem().detail()).as("problem detail in %s", actual).contains(text);
        return this;
    }
}
