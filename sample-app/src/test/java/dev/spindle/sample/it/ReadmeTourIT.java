package dev.spindle.sample.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.spindle.sample.TestImages;
import java.awt.image.BufferedImage;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs every {@code curl} command of the README, in order, with bash and the real curl, against
 * the packaged jar started with its embedded defaults, the way a newcomer follows the tour.
 */
class ReadmeTourIT {

    private static final Path README = DeployFiles.DEPLOY.resolve("../README.md");
    private static final Pattern BASH_BLOCK = Pattern.compile("(?s)```bash\\n(.*?)```");

    @TempDir
    Path workDir;

    @Test
    void everyCurlCommandOfTheReadmeWorksAgainstTheJar() throws Exception {
        Path curl = Tools.require("curl", "curl");
        String readme = Files.readString(README);
        List<String> blocks = new ArrayList<>();
        Matcher matcher = BASH_BLOCK.matcher(readme);
        while (matcher.find()) {
            if (matcher.group(1).contains("curl ")) {
                blocks.add(matcher.group(1));
            }
        }
        String tour = String.join("\n", blocks);
        assertThat(count(tour, "curl ")).as("every curl command of the README is in a bash block run here")
                .isEqualTo(count(readme, "curl "));
        Files.write(workDir.resolve("photo.jpg"), TestImages.picture(1200, 900, "jpeg"));

        try (SampleProcess app = SampleProcess.start("tour", Map.of())) {
            app.awaitReady();
            warmUpTheOutboundClient(app);
            String script = "set -euo pipefail\nexport PATH=\"" + curl.getParent() + ":$PATH\"\n"
                    + tour.replace("localhost:8080", "localhost:" + app.port());
            Files.writeString(workDir.resolve("tour.sh"), script);

            Tools.Result result = Tools.run(List.of("bash", "tour.sh"), workDir);

            System.out.println("[tour] " + result.output().replace("\n", "\n[tour] "));
            assertThat(result.status()).as("bash tour.sh:%n%s", result.output()).isZero();
            assertThat(result.output())
                    .contains("Hello world")
                    .contains("\"email\":\"ada@example.com\"")
                    .contains("\"field\":\"email\"")
                    .contains("\"csrfToken\":")
                    .contains("\"name\":\"Ada\"")
                    .contains("{\"sessionsEnded\":1}")
                    .contains("Not logged in")
                    .containsIgnoringCase("X-Cache: miss")
                    .containsIgnoringCase("X-Cache: hit")
                    .contains("spindle_eventloop_blocked_total{")
                    .contains("id,name,email,createdAt")
                    .contains("\"status\":\"waiting\"")
                    .contains("\"status\":\"completed\"")
                    .contains("\"topDomains\":[{\"domain\":\"example.com\"")
                    .contains("\"queue\":\"reports\"")
                    .contains("\"status\":\"UP\"")
                    .contains("http_server_requests_seconds_count{");
            BufferedImage avatar = TestImages.read(Files.readAllBytes(workDir.resolve("avatar.png")));
            assertThat(avatar.getWidth()).isEqualTo(128);
            assertThat(avatar.getHeight()).isEqualTo(128);
        }
    }

    /**
     * One reputation lookup for a user deleted right after, so that the tour's first lookup, which
     * the README says is a miss answered in about 300 ms, is not also the JVM's first outbound call
     * (slow enough on a busy machine to pass the route's 2 s deadline).
     */
    private static void warmUpTheOutboundClient(SampleProcess app) throws Exception {
        HttpResponse<String> created = app.post("/api/v1/users",
                "{\"name\":\"Warm\",\"email\":\"warm-up@example.com\",\"password\":\"warm up warm up\"}",
                "X-Api-Key", "dev-key");
        assertThat(created.statusCode()).isEqualTo(201);
        String location = created.headers().firstValue("Location").orElseThrow();
        await("a first reputation lookup").atMost(Duration.ofSeconds(60)).until(() ->
                app.get(location + "/reputation").statusCode() == 200);
        HttpResponse<String> deleted = HttpClient.newHttpClient().send(HttpRequest.newBuilder(app.uri(location))
                .header("X-Api-Key", "dev-key").DELETE().timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(deleted.statusCode()).isEqualTo(204);
    }

    private static int count(String text, String word) {
        int count = 0;
        for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
            count++;
        }
        return count;
    }
}
