package dev.spindle.test;

import dev.spindle.http.Problem;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A received response: status, headers and the whole body, with JSON and problem views. */
public final class TestResponse {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpResponse<byte[]> response;

    TestResponse(HttpResponse<byte[]> response) {
        this.response = response;
    }

    /** The status code. */
    public int status() {
        return response.statusCode();
    }

    /** The first value of a header. */
    public Optional<String> header(String name) {
        return response.headers().firstValue(name);
    }

    /** All values of a header. */
    public List<String> headers(String name) {
        return response.headers().allValues(name);
    }

    /** The body as UTF-8 text. */
    public String body() {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    /** The body bytes. */
    public byte[] bodyBytes() {
        return response.body().clone();
    }

    /** The body as a JSON tree. */
    public JsonNode json() {
        return JSON.readTree(response.body());
    }

    /** The body bound to {@code type}. */
    public <T> T json(Class<T> type) {
        return JSON.readValue(response.body(), type);
    }

    /** The body as an RFC 9457 problem. */
    public Problem problem() {
        return json(Problem.class);
    }

    /** The underlying JDK response. */
    public HttpResponse<byte[]> raw() {
        return response;
    }

    @Override
    public String toString() {
        return status() + " " + response.headers().map() + " " + body();
    }
}
