package dev.spindle.http.internal.tls;

import dev.spindle.core.Config;
import dev.spindle.core.ConfigException;
import dev.spindle.core.EventLoops;
import dev.spindle.http.Http2Settings;
import dev.spindle.http.HttpSettings;
import dev.spindle.http.TlsSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTPS for one server: the current {@link SslContext} (swapped on certificate renewal, for new
 * connections), the per-connection TLS handlers, the reloader and the redirecting listener.
 *
 * <p>The pipeline hook is {@link #install}: TLS handlers first, then the HTTP/1.1 handlers. With
 * HTTP/2 ({@code server.http2.enabled}), {@code h2} is offered through ALPN before
 * {@code http/1.1}, and the installer given to {@link #install} puts an ALPN handler in front of
 * the HTTP/1.1 handlers that swaps them for HTTP/2 when the client picked {@code h2}.
 */
public final class ServerTls implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

    private final Config config;
    private final MeterRegistry registry;
    private final AtomicReference<SslContext> context;
    private final TlsContexts contexts;
    private final TlsMetrics metrics;
    private final HandshakeHandler handshakes;
    private final HstsHandler hsts;
    private final long handshakeTimeoutMillis;
    private final CertificateReloader reloader;
    private final String certificate;
    private RedirectListener redirect;

    private ServerTls(Config config, MeterRegistry registry, TlsContexts contexts, Loaded loaded, TlsMetrics metrics) {
        this.config = config;
        this.registry = registry;
        this.contexts = contexts;
        this.metrics = metrics;
        this.context = new AtomicReference<>(loaded.context());
        this.certificate = loaded.description();
        this.handshakes = new HandshakeHandler(metrics);
        Duration maxAge = config.get(TlsSettings.HSTS);
        this.hsts = maxAge.isZero() ? null : new HstsHandler(maxAge, config.get(TlsSettings.HSTS_INCLUDE_SUBDOMAINS));
        this.handshakeTimeoutMillis = config.get(TlsSettings.HANDSHAKE_TIMEOUT).toMillis();
        this.reloader = loaded.files() == null || config.get(TlsSettings.RELOAD_INTERVAL).isZero() ? null
                : new CertificateReloader(loaded.files(), loaded.snapshot(), contexts, context, metrics);
    }

    /**
     * TLS as configured, or empty when no certificate is; the certificate is loaded (or generated)
     * now, so unusable files stop start-up with a message naming them.
     */
    public static Optional<ServerTls> create(Config config, MeterRegistry registry) {
        Optional<CertificateFiles> files = CertificateFiles.configured(config);
        boolean selfSigned = config.get(TlsSettings.SELF_SIGNED);
        if (files.isEmpty() && !selfSigned) {
            return Optional.empty();
        }
        List<String> ciphers = config.get(TlsSettings.CIPHERS)
                .map(list -> Arrays.stream(list.split(",")).map(String::trim).filter(name -> !name.isEmpty()).toList())
                .orElse(TlsContexts.MODERN_CIPHERS);
        TlsContexts contexts = TlsContexts.create(config.get(TlsSettings.ENGINE), ciphers,
                config.get(Http2Settings.ENABLED) ? TlsContexts.http2() : TlsContexts.http1());
        TlsMetrics metrics = new TlsMetrics(registry);
        Loaded loaded = files.isPresent() ? Loaded.from(files.get(), contexts) : Loaded.selfSigned(contexts);
        metrics.serving(loaded.notAfter());
        return Optional.of(new ServerTls(config, registry, contexts, loaded, metrics));
    }

    /**
     * Builds a connection's pipeline: TLS handlers, then what {@code http1} adds, then HSTS after
     * the HTTP codec. Runs on the connection's event loop.
     */
    public void install(Channel channel, Consumer<Channel> http1) {
        SslHandler ssl = context.get().newHandler(channel.alloc());
        ssl.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast("tls", ssl)
                .addLast("tls-handshake", handshakes)
                .addLast("tls-files", new FileRegionChunker());
        http1.accept(channel);
        if (hsts != null) {
            ChannelHandlerContext codec = pipeline.context(HttpResponseEncoder.class);
            if (codec == null) {
                throw new IllegalStateException("HSTS needs the HTTP/1.1 codec in the pipeline: " + pipeline.names());
            }
            pipeline.addAfter(codec.name(), "tls-hsts", hsts);
        }
    }

    /** Starts watching the certificate files and, if configured, the redirect listener; after HTTPS is bound. */
    public void start(EventLoops loops, String host, int httpsPort) throws InterruptedException {
        if (reloader != null) {
            reloader.start(config.get(TlsSettings.RELOAD_INTERVAL));
        }
        if (config.get(TlsSettings.REDIRECT)) {
            int toPort = config.get(TlsSettings.REDIRECT_TO_PORT);
            redirect = RedirectListener.bind(loops, host, config.get(TlsSettings.REDIRECT_PORT),
                    toPort == 0 ? httpsPort : toPort,
                    new RedirectListener.Limits(Math.toIntExact(config.get(HttpSettings.MAX_REQUEST_LINE)),
                            Math.toIntExact(config.get(HttpSettings.MAX_HEADER_SIZE)),
                            config.get(HttpSettings.HEADER_READ_TIMEOUT)),
                    registry);
        }
        log.info("TLS on port {}: engine {}, {} with {} cipher suites; certificate {}{}{}{}", httpsPort,
                contexts.engine(), String.join("/", TlsContexts.PROTOCOLS), context.get().cipherSuites().size(),
                certificate, reloader == null ? "" : ", reloaded when its files change",
                hsts == null ? "" : ", HSTS on",
                redirect == null ? "" : "; port " + redirect.port() + " redirects to HTTPS with 308");
    }

    /** The bound port of the redirect listener, when there is one. */
    public OptionalInt redirectPort() {
        return redirect == null ? OptionalInt.empty() : OptionalInt.of(redirect.port());
    }

    /** Stops reloading and the redirect listener. */
    @Override
    public void close() {
        if (reloader != null) {
            reloader.close();
        }
        if (redirect != null) {
            redirect.close();
        }
    }
}
