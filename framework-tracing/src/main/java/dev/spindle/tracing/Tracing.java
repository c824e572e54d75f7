package dev.spindle.tracing;

import static java.util.Objects.requireNonNull;

import dev.spindle.http.Context;
import dev.spindle.http.Handler;
import dev.spindle.http.Middleware;
import dev.spindle.http.Response;
import dev.spindle.http.Spindle;
import dev.spindle.http.TraceContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.otel.bridge.OtelBaggageManager;
import io.micrometer.tracing.otel.bridge.OtelCurrentTraceContext;
import io.micrometer.tracing.otel.bridge.OtelPropagator;
import io.micrometer.tracing.otel.bridge.OtelTracer;
import io.micrometer.tracing.propagation.Propagator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * A server span for every request, through Micrometer Tracing on the OpenTelemetry SDK, exported
 * in batches over OTLP/HTTP to any collector (the OpenTelemetry Collector, Jaeger, Tempo...). The
 * span continues the caller's W3C {@code traceparent}, is named after the route template
 * ({@code GET /users/{id}}), carries the method, route and status, and is marked as an error for
 * 5xx answers. Its ids become the request's {@link TraceContext}, so the log MDC and
 * {@link dev.spindle.http.OutboundHttp} calls carry them like without this module. Export happens
 * on the SDK's own thread; the event loop only records.
 *
 * <pre>{@code
 * Tracing tracing = Tracing.install(app, "orders", URI.create("http://otel-collector:4318/v1/traces"));
 * }</pre>
 */
public final class Tracing implements AutoCloseable {

    private final SdkTracerProvider provider;
    private final Tracer tracer;
    private final Propagator propagator;

    private Tracing(SdkTracerProvider provider, Tracer tracer, Propagator propagator) {
        this.provider = provider;
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /**
     * Tracing for {@code service}, exporting to the OTLP/HTTP traces {@code endpoint} and sampling
     * {@code ratio} of new traces (a caller's decision is kept).
     */
    public static Tracing otlp(String service, URI endpoint, double ratio) {
        requireNonNull(endpoint, "endpoint");
        return of(service, OtlpHttpSpanExporter.builder().setEndpoint(endpoint.toString()).build(), ratio);
    }

    /** Tracing for {@code service} with any OpenTelemetry span exporter. */
    public static Tracing of(String service, SpanExporter exporter, double ratio) {
        requireNonNull(service, "service");
        requireNonNull(exporter, "exporter");
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("ratio: " + ratio + " (expected: 0 to 1)");
        }
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(Resource.getDefault().merge(Resource.create(
                        Attributes.of(AttributeKey.stringKey("service.name"), service))))
                .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(ratio)))
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
                .build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder().setTracerProvider(provider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance())).build();
        io.opentelemetry.api.trace.Tracer otel = sdk.getTracer("dev.spindle.tracing");
        OtelCurrentTraceContext current = new OtelCurrentTraceContext();
        Tracer tracer = new OtelTracer(otel, current, event -> { }, new OtelBaggageManager(current, List.of(), List.of()));
        return new Tracing(provider, tracer, new OtelPropagator(sdk.getPropagators(), otel));
    }

    /** OTLP tracing of every request to {@code app}, sampling all new traces; flushed and closed on shutdown. */
    public static Tracing install(Spindle app, String service, URI endpoint) {
        Tracing tracing = otlp(service, endpoint, 1.0);
        app.use(tracing.middleware());
        app.closeOnStop(tracing);
        return tracing;
    }

    /** The Micrometer tracer, for spans of your own. */
    public Tracer tracer() {
        return tracer;
    }

    /** The middleware that opens and closes the server span of each request. */
    public Middleware middleware() {
        return this::handle;
    }

    @SuppressWarnings("try") // the scope only has to be open while the chain runs
    private CompletionStage<Response> handle(Context ctx, Handler next) throws Exception {
        Span span = propagator.extract(ctx, (carrier, key) -> carrier.header(key).orElse(null))
                .name(ctx.method() + " " + ctx.route())
                .kind(Span.Kind.SERVER)
                .tag("http.request.method", ctx.method().name())
                .tag("http.route", ctx.route())
                .tag("url.path", ctx.path())
                .start();
        io.micrometer.tracing.TraceContext ids = span.context();
        TraceContext trace = TraceContext.of(ids.traceId(), ids.spanId(), ids.parentId() == null ? "" : ids.parentId(),
                Boolean.TRUE.equals(ids.sampled()), String.join(",", ctx.headers("tracestate")));
        ctx.attribute(TraceContext.KEY, trace);
        CompletionStage<Response> stage;
        try (Tracer.SpanInScope scope = tracer.withSpan(span)) {
            stage = trace.inMdc(() -> next.handle(ctx));
        } catch (Exception | Error e) {
            span.error(e).end();
            throw e;
        }
        return stage.whenComplete((response, failure) -> {
            if (failure != null) {
                span.error(failure);
            } else {
                span.tag("http.response.status_code", Integer.toString(response.status()));
                if (response.status() >= 500) {
                    span.error(new IllegalStateException("answered " + response.status()));
                }
            }
            span.end();
        });
    }

    /** Exports the spans recorded so far, waiting up to {@code timeout}; false if that was not enough. */
    public boolean flush(Duration timeout) {
        return provider.forceFlush().join(timeout.toMillis(), TimeUnit.MILLISECONDS).isSuccess();
    }

    /** Exports what is left and stops. */
    @Override
    public void close() {
        provider.shutdown().join(10, TimeUnit.SECONDS);
    }
}
