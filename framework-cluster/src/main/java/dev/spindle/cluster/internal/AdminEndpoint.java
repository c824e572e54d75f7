package dev.spindle.cluster.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.spindle.core.Metrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP endpoint beside the app's server, on the JDK's HTTP server with one thread of its
 * own: the supervisor's admin port and each worker's metrics port. Independent of the app's event
 * loops on purpose, so a scrape still answers while a worker's loops are stuck, and the supervisor
 * needs no event loop at all.
 */
public final class AdminEndpoint implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AdminEndpoint.class);

    /** Answers one request. */
    @FunctionalInterface
    public interface Route {
        Answer handle(String method) throws Exception;
    }

    /** A response: status, content type, body. */
    public record Answer(int status, String contentType, byte[] body) {
        public static Answer json(int status, String json) {
            return new Answer(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final HttpServer server;

    private AdminEndpoint(HttpServer server) {
        this.server = server;
    }

    /** Listens on {@code host:port} (0 for a free port) with no routes yet. */
    public static AdminEndpoint start(String host, int port, String threadName) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
        server.setExecutor(Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, threadName);
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return new AdminEndpoint(server);
    }

    /** Serves {@code registry} at {@code path} in the Prometheus or OpenMetrics text format. */
    public AdminEndpoint metrics(String path, PrometheusMeterRegistry registry) {
        server.createContext(path, exchange -> {
            try (exchange) {
                String contentType = Metrics.contentTypeFor(exchange.getRequestHeaders().getFirst("Accept"));
                ByteArrayOutputStream body = new ByteArrayOutputStream(16 << 10);
                registry.scrape(body, contentType);
                respond(exchange, new Answer(200, contentType, body.toByteArray()));
            } catch (IOException | RuntimeException e) {
                log.warn("Metrics scrape failed: {}", e.toString());
            }
        });
        return this;
    }

    /** Serves {@code route} at exactly {@code path}. */
    public AdminEndpoint route(String path, Route route) {
        server.createContext(path, exchange -> {
            Answer answer;
            try {
                answer = exchange.getRequestURI().getPath().equals(path)
                        ? route.handle(exchange.getRequestMethod())
                        : Answer.json(404, "{\"title\":\"Not Found\",\"status\":404}");
            } catch (Exception e) {
                log.warn("Admin request {} {} failed", exchange.getRequestMethod(), path, e);
                answer = Answer.json(500, "{\"title\":\"Internal Server Error\",\"status\":500}");
            }
            try (exchange) {
                respond(exchange, answer);
            }
        });
        return this;
    }

    private static void respond(HttpExchange exchange, Answer answer) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer.body());
        }
    }

    /** The bound port. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
