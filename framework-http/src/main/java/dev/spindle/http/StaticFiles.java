package dev.spindle.http;

import static java.util.Objects.requireNonNull;

import dev.spindle.http.internal.files.ClasspathLookup;
import dev.spindle.http.internal.files.DirectoryLookup;
import dev.spindle.http.internal.files.FileAnswers;
import dev.spindle.http.internal.files.Lookup;
import dev.spindle.http.internal.files.RequestPaths;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Serves files from a directory or from class-path resources, under a route ending in {@code /*}.
 * The rest of the path is checked before anything is looked up: {@code ..} and {@code .}
 * segments (also percent-encoded), encoded slashes that would form them, backslashes, control
 * characters and hidden names are refused with 404, and a file reached through a symbolic link
 * that leaves the root is not found either. Lookups run on the blocking pool; files go out
 * zero-copy with {@code ETag} and {@code Last-Modified} (304 on a match), single {@code Range}s
 * (206, or 416 when unsatisfiable), precompressed {@code .br}/{@code .gz} siblings for clients
 * that accept them, {@code Cache-Control} per glob, and a content type from the name.
 * Directories are not listed, and an index file is served only when configured.
 *
 * <pre>{@code
 * app.get("/assets/*", StaticFiles.directory(Path.of("public"))
 *         .cacheControl("**.{js,css}", "public, max-age=31536000, immutable")
 *         .build());
 * app.get("/*", StaticFiles.classpath("web").index("index.html").build());
 * }</pre>
 */
public final class StaticFiles implements Handler {

    private final Lookup lookup;
    private final String index;
    private final boolean hidden;
    private final FileAnswers.Options options;

    private StaticFiles(Builder builder) {
        this.lookup = builder.lookup;
        this.index = builder.index;
        this.hidden = builder.hidden;
        this.options = new FileAnswers.Options(Map.copyOf(builder.contentTypes), List.copyOf(builder.cacheControl),
                builder.defaultCacheControl, builder.precompressed);
    }

    /** Files below {@code root}, an existing directory. */
    public static Builder directory(Path root) {
        return new Builder(new DirectoryLookup(requireNonNull(root, "root")));
    }

    /** Class-path resources below {@code prefix} (e.g. {@code "web"}), through this class's loader. */
    public static Builder classpath(String prefix) {
        return classpath(prefix, StaticFiles.class.getClassLoader());
    }

    /** Class-path resources below {@code prefix}, through {@code loader}. */
    public static Builder classpath(String prefix, ClassLoader loader) {
        return new Builder(new ClasspathLookup(requireNonNull(loader, "loader"), requireNonNull(prefix, "prefix")));
    }

    @Override
    public CompletionStage<Response> handle(Context ctx) {
        String rest = ctx.pathParam("*");
        Optional<List<String>> segments = RequestPaths.segments(rest, hidden);
        if (segments.isEmpty()) {
            return notFound(ctx).completed();
        }
        List<String> encodings = options.precompressed() ? accepted(ctx.header("Accept-Encoding").orElse(""))
                : List.of();
        return ctx.blocking(() -> lookup.find(segments.get(), index, encodings))
                .thenApply(found -> found.map(file -> FileAnswers.answer(ctx, file, options))
                        .orElseGet(() -> notFound(ctx)));
    }

    private static Response notFound(Context ctx) {
        return Response.problem(Problem.of(404, "No file at " + ctx.path()));
    }

    /** The precompressed codings the client accepts ({@code q} above 0), Brotli first. */
    static List<String> accepted(String acceptEncoding) {
        boolean br = false;
        boolean gzip = false;
        for (String part : acceptEncoding.split(",")) {
            String[] pieces = part.split(";");
            String coding = pieces[0].trim().toLowerCase(Locale.ROOT);
            boolean refused = false;
            for (int i = 1; i < pieces.length; i++) {
                String parameter = pieces[i].trim().toLowerCase(Locale.ROOT);
                refused |= parameter.startsWith("q=") && parameter.substring(2).matches("0(\\.0{0,3})?");
            }
            if (!refused) {
                br |= coding.equals("br");
                gzip |= coding.equals("gzip");
            }
        }
        List<String> codings = new ArrayList<>(2);
        if (br) {
            codings.add("br");
        }
        if (gzip) {
            codings.add("gzip");
        }
        return codings;
    }

    /** How files are served; the defaults suit assets that may change (revalidated on each use). */
    public static final class Builder {

        private final Lookup lookup;
        private String index;
        private boolean hidden;
        private boolean precompressed = true;
        private String defaultCacheControl = "no-cache";
        private final List<Map.Entry<PathMatcher, String>> cacheControl = new ArrayList<>();
        private final Map<String, String> contentTypes = new HashMap<>();

        private Builder(Lookup lookup) {
            this.lookup = lookup;
        }

        /** Serves {@code name} (e.g. {@code index.html}) for a directory; directories are 404 otherwise. */
        public Builder index(String name) {
            requireNonNull(name, "name");
            if (RequestPaths.segments(name, false).map(segments -> segments.size() != 1).orElse(true)) {
                throw new IllegalArgumentException("index: " + name + " (expected: a plain file name)");
            }
            index = name;
            return this;
        }

        /** Whether names starting with a dot ({@code .well-known}) are served; off by default. */
        public Builder hiddenFiles(boolean serve) {
            hidden = serve;
            return this;
        }

        /** Whether {@code name.br} / {@code name.gz} are sent in place of {@code name} when accepted; on by default. */
        public Builder precompressed(boolean use) {
            precompressed = use;
            return this;
        }

        /**
         * {@code Cache-Control} for paths (relative to the root) matching {@code glob}, e.g.
         * {@code "**.{js,css}"} or {@code "images/*"}; the first matching rule wins.
         */
        public Builder cacheControl(String glob, String value) {
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + requireNonNull(glob, "glob"));
            cacheControl.add(Map.entry(matcher, checkedHeader(value)));
            return this;
        }

        /** {@code Cache-Control} when no pattern matches; {@code no-cache} (revalidate with the ETag) by default. */
        public Builder defaultCacheControl(String value) {
            defaultCacheControl = checkedHeader(value);
            return this;
        }

        /** The content type for an extension (without the dot), over the built-in table. */
        public Builder contentType(String extension, String type) {
            contentTypes.put(requireNonNull(extension, "extension").toLowerCase(Locale.ROOT), checkedHeader(type));
            return this;
        }

        private static String checkedHeader(String value) {
            Response.empty(204).header("Cache-Control", requireNonNull(value, "value"));
            return value;
        }

        /** The handler, for a route ending in {@code /*}. */
        public StaticFiles build() {
            return new StaticFiles(this);
        }
    }
}
