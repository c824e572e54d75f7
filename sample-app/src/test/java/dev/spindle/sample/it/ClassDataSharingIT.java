package dev.spindle.sample.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image build's start-up recipe: a training run ({@code --train}) writes an application
 * class-data-sharing archive, and the app then starts from it ({@code -Xshare:on} fails the start
 * if the archive cannot be used, so this proves it is).
 */
class ClassDataSharingIT {

    @TempDir
    Path workDir;

    @Test
    void aTrainingRunWritesAnArchiveTheAppStartsFrom() throws Exception {
        Path archive = workDir.resolve("sample-app.jsa");
        Process training = new ProcessBuilder(SampleProcess.javaBinary(), "-XX:ArchiveClassesAtExit=" + archive,
                "-jar", SampleProcess.JAR.toString(), "--train")
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("training.log").toFile())
                .start();
        assertThat(training.waitFor(60, TimeUnit.SECONDS)).as("training run finished").isTrue();
        assertThat(training.exitValue()).as("training run status; log:%n%s",
                Files.readString(workDir.resolve("training.log"))).isZero();
        assertThat(archive).isRegularFile();

        try (SampleProcess app = SampleProcess.start("cds", Map.of(),
                List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:on"))) {
            Duration startup = app.awaitReady();
            System.out.println("sample-app.jar start-up with its CDS archive: " + startup.toMillis()
                    + " ms from process start to the first 200 from /health/ready");
            assertThat(app.get("/hello/cds").statusCode()).isEqualTo(200);
        }
    }
}
