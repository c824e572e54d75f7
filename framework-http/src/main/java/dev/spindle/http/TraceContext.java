package dev.spindle.http;

import static java.util.Objects.requireNonNull;

import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.MDC;

/**
 * The W3C Trace Context of a request: the trace it belongs to, this server's span in it, the
 * caller's span, the sampling flag and the vendors' {@code tracestate}. {@link #middleware()}
 * reads {@code traceparent} / {@code tracestate} (or starts a new trace), puts the trace and span
 * ids in the log MDC ({@code traceId}, {@code spanId}) beside the request id, and
 * {@link OutboundHttp} sends them on, so a trace crosses every service a request touches.
 *
 * <pre>{@code
 * app.use(TraceContext.middleware());
 * app.get("/order/{id}", ctx -> upstream.get(ctx, URI.create("http://stock.internal/items"))  // carries traceparent
 *         .thenApply(reply -> Response.text(TraceContext.of(ctx).map(TraceContext::traceId).orElse("none"))));
 * }</pre>
 */
public final class TraceContext {

    /** The request attribute holding the trace context; middleware of tracing libraries may set it too. */
    public static final AttributeKey<TraceContext> KEY = AttributeKey.of("traceContext");
    /** MDC key of the trace id. */
    public static final String MDC_TRACE_ID = "traceId";
    /** MDC key of this server's span id. */
    public static final String MDC_SPAN_ID = "spanId";

    private static final HexFormat HEX = HexFormat.of();

    private final String traceId;
    private final String spanId;
    private final String parentId;
    private final boolean sampled;
    private final String traceState;

    private TraceContext(String traceId, String spanId, String parentId, boolean sampled, String traceState) {
        this.traceId = traceId;
        this.spanId = spanId;
        this.parentId = parentId;
        this.sampled = sampled;
        this.traceState = traceState;
    }

    /**
     * A trace context from its parts, for tracing libraries that make their own spans: ids in
     * lower-case hex (32 and 16 digits, not all zero); {@code parentId} and {@code traceState} may be empty.
     */
    public static TraceContext of(String traceId, String spanId, String parentId, boolean sampled, String traceState) {
        if (!isId(requireNonNull(traceId, "traceId"), 32) || !isId(requireNonNull(spanId, "spanId"), 16)
                || !(requireNonNull(parentId, "parentId").isEmpty() || isId(parentId, 16))) {
            throw new IllegalArgumentException("ids: " + traceId + "/" + spanId + "/" + parentId
                    + " (expected: 32 and 16 lower-case hex digits, not all zero)");
        }
        return new TraceContext(traceId, spanId, parentId, sampled, requireNonNull(traceState, "traceState"));
    }

    /**
     * The context continuing the caller's {@code traceparent} (with its {@code tracestate}) under a
     * new span of this server, or a new trace when the header is absent or malformed.
     */
    public static TraceContext continueOrStart(Optional<String> traceparent, Optional<String> tracestate,
                                               boolean sampleNewTraces) {
        String header = traceparent.map(String::trim).orElse("");
        // version-traceid-parentid-flags; a future version may append fields after another '-'.
        boolean valid = header.length() >= 55 && header.charAt(2) == '-' && header.charAt(35) == '-'
                && header.charAt(52) == '-' && isHex(header, 0, 2) && !header.startsWith("ff")
                && isId(header.substring(3, 35), 32) && isId(header.substring(36, 52), 16) && isHex(header, 53, 55)
                && (header.length() == 55 || !header.startsWith("00") && header.charAt(55) == '-');
        String spanId = newId(8);
        if (!valid) {
            return new TraceContext(newId(16), spanId, "", sampleNewTraces, "");
        }
        boolean sampled = (Integer.parseInt(header.substring(53, 55), 16) & 1) == 1;
        String state = tracestate.map(String::trim).filter(value -> value.length() <= 512).orElse("");
        return new TraceContext(header.substring(3, 35), spanId, header.substring(36, 52), sampled, state);
    }

    /** The trace context of {@code ctx}, set by {@link #middleware()} or a tracing integration. */
    public static Optional<TraceContext> of(Context ctx) {
        return ctx.attribute(KEY);
    }

    /** Middleware that continues or starts a trace for each request; new traces are not sampled. */
    public static Middleware middleware() {
        return middleware(false);
    }

    /** As {@link #middleware()}, marking new traces sampled (ask downstream services to record them) or not. */
    public static Middleware middleware(boolean sampleNewTraces) {
        return (ctx, next) -> {
            TraceContext trace = continueOrStart(ctx.header("traceparent"),
                    Optional.of(String.join(",", ctx.headers("tracestate"))).filter(value -> !value.isEmpty()),
                    sampleNewTraces);
            ctx.attribute(KEY, trace);
            return trace.inMdc(() -> next.handle(ctx));
        };
    }

    /** Runs {@code work} with this trace's ids in the MDC (as offloaded work started there will be). */
    public <T> T inMdc(Callable<T> work) throws Exception {
        MDC.put(MDC_TRACE_ID, traceId);
        MDC.put(MDC_SPAN_ID, spanId);
        try {
            return work.call();
        } finally {
            // "-" rather than remove: the next request on this loop overwrites the entry in place.
            MDC.put(MDC_TRACE_ID, "-");
            MDC.put(MDC_SPAN_ID, "-");
        }
    }

    /** The trace id: 32 hex digits. */
    public String traceId() {
        return traceId;
    }

    /** This server's span id: 16 hex digits, the parent of the calls it makes. */
    public String spanId() {
        return spanId;
    }

    /** The caller's span id, when the request continued a trace. */
    public Optional<String> parentId() {
        return parentId.isEmpty() ? Optional.empty() : Optional.of(parentId);
    }

    /** Whether the trace is sampled (recorded). */
    public boolean sampled() {
        return sampled;
    }

    /** The vendors' {@code tracestate}, passed on unchanged; empty when none. */
    public String traceState() {
        return traceState;
    }

    /** The {@code traceparent} for a call made by this server: this trace, this server's span as parent. */
    public String traceparent() {
        return "00-" + traceId + "-" + spanId + (sampled ? "-01" : "-00");
    }

    @Override
    public String toString() {
        return traceparent();
    }

    private static String newId(int bytes) {
        byte[] id = new byte[bytes];
        do {
            ThreadLocalRandom.current().nextBytes(id);
        } while (allZero(id));
        return HEX.formatHex(id);
    }

    private static boolean allZero(byte[] id) {
        for (byte b : id) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isId(String value, int length) {
        return value.length() == length && isHex(value, 0, length) && !value.chars().allMatch(c -> c == '0');
    }

    private static boolean isHex(String value, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }
}
