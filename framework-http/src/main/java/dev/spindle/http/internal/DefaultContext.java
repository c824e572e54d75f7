package dev.spindle.http.internal;

import dev.spindle.core.Deadline;
import dev.spindle.http.AttributeKey;
import dev.spindle.http.Context;
import dev.spindle.http.HttpException;
import dev.spindle.http.Method;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import dev.spindle.core.Cancellation;
import dev.spindle.http.TraceContext;

/** The context of one request; created by the connection and used on the connection's loop only. */
final class DefaultContext implements Context {

    private static final byte[] NO_BODY = new byte[0];

    private final Channel channel;
    private final RequestScope scope;
    private final Exchange exchange;
    private final HttpRequest request;
    private final RouteMatch match;
    private final int queryStart;
    private final ServerContext server;
    private Deadline deadline;
    private byte[] body = NO_BODY;
    private StreamingBody streamingBody;
    private String path;
    private Map<String, List<String>> query;
    private Map<String, String> cookies;
    private Map<AttributeKey<?>, Object> attributes;
    private TrustedProxies.ClientOrigin origin;

    /** The context of the exchange of {@code scope}. */
    DefaultContext(Channel channel, RequestScope scope, ServerContext server) {
        this.channel = channel;
        this.scope = scope;
        this.exchange = scope.exchange;
        this.request = exchange.request;
        this.match = exchange.match;
        this.queryStart = exchange.queryStart();
        this.server = server;
    }

    /** The request's trace context when middleware set one; read around every task of the request. */
    TraceContext traceOrNull() {
        return attributes == null ? null : (TraceContext) attributes.get(TraceContext.KEY);
    }

    void body(byte[] body) {
        this.body = body;
    }

    void streamingBody(StreamingBody streamingBody) {
        this.streamingBody = streamingBody;
    }

    /** The loop of the connection this request arrived on. */
    io.netty.util.concurrent.EventExecutor loop() {
        return channel.eventLoop();
    }

    ServerContext server() {
        return server;
    }

    RouteMatch match() {
        return match;
    }

    HttpRequest request() {
        return request;
    }

    @Override
    public Method method() {
        return exchange.method;
    }

    @Override
    public String path() {
        String decoded = path;
        if (decoded == null) {
            String rawPath = exchange.path();
            decoded = rawPath.indexOf('%') < 0 ? rawPath : decodePath(rawPath);
            path = decoded;
        }
        return decoded;
    }

    private static String decodePath(String raw) {
        StringBuilder decoded = new StringBuilder(raw.length());
        int start = 0;
        while (start <= raw.length()) {
            int end = raw.indexOf('/', start);
            if (end < 0) {
                end = raw.length();
            }
            decoded.append(Paths.decodeSegment(raw.substring(start, end)));
            if (end < raw.length()) {
                decoded.append('/');
            }
            start = end + 1;
        }
        return decoded.toString();
    }

    @Override
    public String route() {
        return match.entry().template();
    }

    @Override
    public String pathParam(String name) {
        String value = match.value(name);
        if (value == null) {
            throw new IllegalArgumentException("name: " + name + " (expected: a parameter of " + route() + ")");
        }
        return value;
    }

    @Override
    public <T> T pathParam(String name, Class<T> type) {
        return Params.convert("Path", name, pathParam(name), type);
    }

    @Override
    public Optional<String> queryParam(String name) {
        List<String> values = query().get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    @Override
    public <T> Optional<T> queryParam(String name, Class<T> type) {
        return queryParam(name).map(value -> Params.convert("Query", name, value, type));
    }

    @Override
    public List<String> queryParams(String name) {
        List<String> values = query().get(name);
        return values == null ? List.of() : List.copyOf(values);
    }

    private Map<String, List<String>> query() {
        Map<String, List<String>> parameters = query;
        if (parameters == null) {
            if (queryStart < 0) {
                parameters = Map.of();
            } else {
                try {
                    parameters = new QueryStringDecoder(exchange.target().substring(queryStart + 1), StandardCharsets.UTF_8,
                            false, 1024).parameters();
                } catch (IllegalArgumentException e) {
                    throw HttpException.badRequest("Malformed query string: " + e.getMessage());
                }
            }
            query = parameters;
        }
        return parameters;
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(request.headers().get(name));
    }

    @Override
    public List<String> headers(String name) {
        return List.copyOf(request.headers().getAll(name));
    }

    @Override
    public Optional<String> cookie(String name) {
        Map<String, String> parsed = cookies;
        if (parsed == null) {
            parsed = new java.util.HashMap<>();
            for (String header : request.headers().getAll(HttpHeaderNames.COOKIE)) {
                for (Cookie cookie : ServerCookieDecoder.STRICT.decodeAll(header)) {
                    parsed.putIfAbsent(cookie.name(), cookie.value());
                }
            }
            cookies = parsed;
        }
        return Optional.ofNullable(parsed.get(name));
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    @Override
    public InetAddress clientAddress() {
        return origin().address();
    }

    @Override
    public String scheme() {
        return origin().scheme();
    }

    private TrustedProxies.ClientOrigin origin() {
        TrustedProxies.ClientOrigin resolved = origin;
        if (resolved == null) {
            resolved = server.trustedProxies.resolve(remoteAddress().getAddress(),
                    connection().pipeline().get(SslHandler.class) != null ? "https" : "http", request.headers());
            origin = resolved;
        }
        return resolved;
    }

    /** The TCP connection: the channel itself, or for an HTTP/2 stream its parent. */
    private Channel connection() {
        return channel instanceof Http2StreamChannel ? channel.parent() : channel;
    }

    @Override
    public String requestId() {
        return exchange.requestId();
    }

    @Override
    public byte[] body() {
        return body.length == 0 ? NO_BODY : body.clone();
    }

    @Override
    public String bodyText() {
        Charset charset = HttpUtil.getCharset(request, StandardCharsets.UTF_8);
        return new String(body, charset);
    }

    @Override
    public <T> CompletionStage<T> bodyAs(Class<T> type) {
        try {
            String contentType = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
            if (contentType != null && !isJson(contentType)) {
                throw new HttpException(415, "Expected a JSON body (application/json), got " + contentType);
            }
            return CompletableFuture.completedFuture(server.json.read(body, type));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private static boolean isJson(String contentType) {
        CharSequence mime = HttpUtil.getMimeType(contentType);
        if (mime == null) {
            return false;
        }
        String type = mime.toString().trim().toLowerCase(java.util.Locale.ROOT);
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    @Override
    public Flow.Publisher<ByteBuffer> bodyStream() {
        if (streamingBody == null) {
            throw new IllegalStateException("Route " + route()
                    + " aggregates its body; declare it with RouteOptions.builder().streamingBody() to stream it");
        }
        return streamingBody;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> Optional<T> attribute(AttributeKey<T> key) {
        return attributes == null ? Optional.empty() : Optional.ofNullable((T) attributes.get(key));
    }

    @Override
    public <T> void attribute(AttributeKey<T> key, T value) {
        if (attributes == null) {
            attributes = new IdentityHashMap<>(4);
        }
        attributes.put(key, value);
    }

    @Override
    public Executor executor() {
        return scope;
    }

    @Override
    public CompletionStage<Void> delay(Duration delay) {
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay: " + delay + " (expected: >= 0)");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        ScheduledFuture<?> timer = channel.eventLoop().schedule(() -> scope.run(() -> done.complete(null)),
                Math.min(delay.toNanos(), Long.MAX_VALUE / 2), TimeUnit.NANOSECONDS);
        Cancellation.Registration registration = scope.cancellation().onCancel(() -> {
            timer.cancel(false);
            done.completeExceptionally(new CancellationException("The request was cancelled"));
        });
        done.whenComplete((ignored, failure) -> registration.close());
        return done;
    }

    @Override
    public Cancellation.Registration onCancel(Runnable action) {
        return scope.cancellation().onCancel(action);
    }

    @Override
    public boolean cancelled() {
        return scope.isCancelled();
    }

    @Override
    public Deadline deadline() {
        Deadline value = deadline;
        if (value == null) {
            value = Deadline.atNanoTime(exchange.deadlineNanos);
            deadline = value;
        }
        return value;
    }

    @Override
    public <T> CompletionStage<T> offload(Callable<T> work) {
        return cancelledWithRequest(server.offload.submit(work, scope, deadline(), match.entry().interruptOnDeadline()));
    }

    @Override
    public <T> CompletionStage<T> blocking(Callable<T> work) {
        return cancelledWithRequest(server.blocking.submit(work, scope, deadline(), match.entry().interruptOnDeadline()));
    }

    /** Queued or running work is cancelled (interrupted if the route allows) when the request is. */
    private <T> CompletionStage<T> cancelledWithRequest(CompletionStage<T> stage) {
        CompletableFuture<T> work = (CompletableFuture<T>) stage;
        if (!work.isDone()) {
            Cancellation.Registration registration = scope.cancellation().onCancel(() -> work.cancel(true));
            work.whenComplete((ignored, failure) -> registration.close());
        }
        return stage;
    }
}
