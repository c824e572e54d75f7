package dev.spindle.http.internal.files;

import dev.spindle.http.Context;
import dev.spindle.http.Method;
import dev.spindle.http.Problem;
import dev.spindle.http.Response;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The answer for a found file: picks the representation (a precompressed sibling unless a range
 * is asked for), then applies the validators: 304 for a matching {@code If-None-Match} (or, without
 * one, {@code If-Modified-Since}), 206 or 416 for {@code Range} (honoured when {@code If-Range}
 * still holds), 200 otherwise; every answer carries the validators and {@code Cache-Control}.
 */
public final class FileAnswers {

    /** The parts of a static-file handler's configuration the answer depends on. */
    public record Options(Map<String, String> contentTypes, List<Map.Entry<PathMatcher, String>> cacheControl,
                          String defaultCacheControl, boolean precompressed) {}

    private FileAnswers() {}

    /** The response to {@code ctx} for {@code found}. */
    public static Response answer(Context ctx, Found found, Options options) {
        Optional<String> range = ctx.method() == Method.GET ? ctx.header("Range") : Optional.empty();
        Resource chosen = range.isEmpty() && !found.encoded().isEmpty()
                ? found.encoded().values().iterator().next() : found.identity();
        boolean inMemory = chosen instanceof Resource.InMemory;
        String etag = Validators.etag(chosen, inMemory);
        Response headers = validators(Response.empty(304), found.name(), chosen, etag, options, inMemory);
        Optional<String> ifNoneMatch = ctx.header("If-None-Match");
        boolean notModified = ifNoneMatch.isPresent() ? Validators.noneMatchHits(ifNoneMatch.get(), etag)
                : chosen.lastModified() > 0 && ctx.header("If-Modified-Since")
                        .map(since -> Validators.notModifiedSince(since, chosen.lastModified())).orElse(false);
        if (notModified) {
            return headers;
        }
        String type = MediaTypes.of(found.name(), options.contentTypes());
        if (chosen instanceof Resource.OnDisk file) {
            if (range.isPresent() && ctx.header("If-Range")
                    .map(ifRange -> Validators.ifRangeHolds(ifRange, etag, file.lastModified())).orElse(true)) {
                ByteRanges.Outcome outcome = ByteRanges.of(range.get(), file.size());
                if (outcome instanceof ByteRanges.Partial part) {
                    return copyHeaders(headers, Response.file(file.path(), part.start(), part.length(), type)
                            .status(206)
                            .header("Content-Range", "bytes " + part.start() + "-" + part.end() + "/" + file.size()));
                }
                if (outcome instanceof ByteRanges.Unsatisfiable) {
                    return copyHeaders(headers, Response.problem(Problem.of(416, "No part of the "
                            + file.size() + "-byte file is in the requested range " + range.get()))
                            .header("Content-Range", "bytes */" + file.size()));
                }
            }
            return encoded(copyHeaders(headers, Response.file(file.path(), type)), chosen);
        }
        return encoded(copyHeaders(headers, Response.bytes(((Resource.InMemory) chosen).bytes(), type)), chosen);
    }

    private static Response validators(Response response, String name, Resource chosen, String etag, Options options,
                                       boolean inMemory) {
        Response with = response.header("ETag", etag).header("Cache-Control", cacheControl(name, options))
                .header("Accept-Ranges", inMemory ? "none" : "bytes");
        if (chosen.lastModified() > 0) {
            with = with.header("Last-Modified", Validators.httpDate(chosen.lastModified()));
        }
        return options.precompressed() ? with.header("Vary", "Accept-Encoding") : with;
    }

    private static String cacheControl(String name, Options options) {
        Path path = Path.of(name.isEmpty() ? "." : name);
        for (Map.Entry<PathMatcher, String> rule : options.cacheControl()) {
            if (rule.getKey().matches(path)) {
                return rule.getValue();
            }
        }
        return options.defaultCacheControl();
    }

    private static Response copyHeaders(Response from, Response to) {
        Response[] result = {to};
        from.forEachHeader((name, value) -> result[0] = result[0].header(name, value));
        return result[0];
    }

    private static Response encoded(Response response, Resource chosen) {
        return chosen.encoding().isEmpty() ? response : response.header("Content-Encoding", chosen.encoding());
    }
}
