package dev.spindle.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.sample.TestImages;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image build's recipe, step by step, on this machine: a Java runtime cut down by jlink to
 * the Dockerfile's {@code JDK_MODULES}, a training run ({@code --train}) on it that writes an
 * application class-data-sharing archive, and the app started from that archive on that runtime
 * ({@code -Xshare:on} fails the start if the archive cannot be used, so this proves it is). A
 * module missing from the list fails here rather than in production.
 */
class ClassDataSharingIT {

    private static final Pattern MODULES = Pattern.compile("(?m)^ARG JDK_MODULES=(\\S+)$");

    @TempDir
    Path workDir;

    @Test
    void theImagesRuntimeTrainsAnArchiveTheAppStartsFrom() throws Exception {
        Path runtime = jlink(dockerfileModules());
        Path java = runtime.resolve("bin/java");
        Path archive = workDir.resolve("sample-app.jsa");
        run(List.of(java.toString(), "-XX:ArchiveClassesAtExit=" + archive, "-jar", SampleProcess.JAR.toString(),
                "--train"), "training run");
        assertThat(archive).isRegularFile();

        try (SampleProcess app = SampleProcess.start("cds", java, Map.of(),
                List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on"))) {
            Duration startup = app.awaitReady();
            System.out.println("sample-app.jar start-up on the jlinked runtime with its CDS archive: "
                    + startup.toMillis() + " ms from process start to the first 200 from /health/ready");
            assertThat(app.get("/hello/cds").statusCode()).isEqualTo(200);
            // ImageIO (java.desktop) is on the runtime: the thumbnail route answers a PNG.
            HttpResponse<byte[]> thumbnail = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    app.uri("/api/v1/avatars?size=32")).timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(TestImages.picture(100, 80, "jpeg"))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(thumbnail.statusCode()).isEqualTo(200);
            assertThat(TestImages.read(thumbnail.body()).getWidth()).isEqualTo(32);
        }
    }

    private static String dockerfileModules() throws Exception {
        Matcher matcher = MODULES.matcher(Files.readString(DeployFiles.DEPLOY.resolve("Dockerfile")));
        assertThat(matcher.find()).as("ARG JDK_MODULES=... in deploy/Dockerfile").isTrue();
        return matcher.group(1);
    }

    private Path jlink(String modules) throws Exception {
        Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
        assertThat(jlink).as("jlink of the JDK running the build").isExecutable();
        Path runtime = workDir.resolve("jre");
        run(List.of(jlink.toString(), "--add-modules", modules, "--strip-debug", "--no-man-pages",
                "--no-header-files", "--generate-cds-archive", "--output", runtime.toString()), "jlink");
        return runtime;
    }

    private void run(List<String> command, String what) throws Exception {
        Path log = workDir.resolve(what.replace(' ', '-') + ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished", what).isTrue();
        assertThat(process.exitValue()).as("%s status; log:%n%s", what, Files.readString(log)).isZero();
    }
}
