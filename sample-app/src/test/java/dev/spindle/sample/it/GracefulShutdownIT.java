package dev.spindle.sample.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** SIGTERM drains: the request in flight completes, new ones are turned away, the exit status is 0. */
class GracefulShutdownIT {

    private static final Pattern ACTIVE = Pattern.compile("(?m)^spindle_http_requests_active(?:\\{[^}]*})? (\\S+)$");

    private SampleProcess app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    @Test
    void finishesTheRequestInFlightRefusesNewOnesAndExitsWithZero() throws Exception {
        app = SampleProcess.start("drained-app", Map.of());
        app.awaitReady();
        HttpClient slowClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        CompletableFuture<HttpResponse<String>> slow = slowClient.sendAsync(
                HttpRequest.newBuilder(app.uri("/api/v1/delay/4000")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        // The scrape counts itself, so two active requests means the slow one is in flight.
        await("the slow request in flight").atMost(Duration.ofSeconds(10)).until(() -> activeRequests() >= 2);

        app.terminate();

        await("new requests turned away").atMost(Duration.ofSeconds(10)).until(this::newRequestIsTurnedAway);
        assertThat(slow).as("the slow request is still draining").isNotDone();
        HttpResponse<String> drained = slow.get();
        assertThat(drained.statusCode()).isEqualTo(200);
        assertThat(drained.body()).contains("\"delayedMillis\":4000");
        assertThat(app.awaitExit(Duration.ofSeconds(40))).isZero();
        assertThat(app.stdout()).anyMatch(line -> line.contains("Received SIGTERM"))
                .anyMatch(line -> line.contains("all requests finished"));
    }

    private double activeRequests() throws IOException {
        Matcher matcher = ACTIVE.matcher(app.get("/metrics").body());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    /** A fresh connection is refused, or the request on it gets 503 while draining. */
    private boolean newRequestIsTurnedAway() {
        HttpClient fresh = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        try {
            int status = fresh.send(HttpRequest.newBuilder(app.uri("/hello/late")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            return status == 503;
        } catch (HttpTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // refused, or closed by the draining server without an answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
