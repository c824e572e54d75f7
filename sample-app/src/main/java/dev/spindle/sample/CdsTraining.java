package dev.spindle.sample;

import dev.spindle.core.Config;
import dev.spindle.http.Spindle;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * A training run for an application class-data-sharing archive: start, serve the common request
 * paths once (so their classes load too), stop. The JVM then writes every class it loaded into the
 * archive given by {@code -XX:ArchiveClassesAtExit}, and later starts map them instead of loading.
 */
final class CdsTraining {

    private CdsTraining() {}

    static void run() throws Exception {
        Config config = Config.builder().classpathFile()
                .set("server.port", "0")
                .set("server.host", "127.0.0.1")
                .set("shutdown.on-signal", "false")
                .set("sample.password-iterations", "1000")
                .build();
        Spindle app = Spindle.create(config);
        SampleApp.install(app);
        app.start();
        HttpClient client = HttpClient.newHttpClient();
        for (String path : List.of("/hello/cds", "/api/v1/users", "/api/v1/users/none", "/api/v1/me",
                "/api/v1/users/none/reputation", "/api/v1/export/users.csv", "/api/v1/export/users.ndjson",
                "/api/v1/reports/00000000-0000-4000-8000-000000000000",
                "/health/ready", "/metrics")) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                    .timeout(Duration.ofSeconds(10)).build();
            client.send(request, HttpResponse.BodyHandlers.discarding());
        }
        app.stop(Duration.ofSeconds(1));
    }
}
