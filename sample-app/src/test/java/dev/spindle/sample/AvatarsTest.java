package dev.spindle.sample;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.spindle.core.LoopMonitor;
import dev.spindle.sample.images.AvatarRoutes;
import dev.spindle.test.RawHttp;
import dev.spindle.test.SpindleExtension;
import dev.spindle.test.TestResponse;
import java.awt.image.BufferedImage;
import java.net.http.HttpRequest;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

/** Avatar thumbnails on the offload pool, and the demo route that makes them on the event loop. */
class AvatarsTest {

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(SampleApp::install)
            .set("sample.password-iterations", "1000")
            // The demo's point is the blocked-loop report: report from the first request on, and at
            // a threshold that decoding a 12-megapixel photo exceeds many times over on any machine.
            .set("loop-monitor.startup-grace", "0s")
            .set("loop-monitor.blocked-threshold", "30ms");

    private static TestResponse upload(String path, byte[] picture) {
        return server.client().send(server.client().request(path).header("Content-Type", "image/jpeg")
                .POST(HttpRequest.BodyPublishers.ofByteArray(picture)));
    }

    @Test
    void scalesAPhotoToASquarePngOfTheAskedSize() {
        TestResponse thumbnail = upload("/api/v1/avatars?size=96", TestImages.picture(640, 480, "jpeg"));

        assertThat(thumbnail).hasStatus(200).hasContentType("image/png");
        BufferedImage image = TestImages.read(thumbnail.bodyBytes());
        assertThat(image.getWidth()).isEqualTo(96);
        assertThat(image.getHeight()).isEqualTo(96);
    }

    @Test
    void readsPngGifAndBmpToo() {
        for (String format : new String[] {"png", "gif", "bmp"}) {
            TestResponse thumbnail = upload("/api/v1/avatars", TestImages.picture(200, 300, format));
            assertThat(thumbnail).as(format).hasStatus(200);
            assertThat(TestImages.read(thumbnail.bodyBytes()).getWidth()).as(format).isEqualTo(128);
        }
    }

    @Test
    void refusesWhatIsNoPictureAndSizesOutOfRange() {
        assertThat(upload("/api/v1/avatars", "not a picture".getBytes())).isProblem(400)
                .hasDetailContaining("not a picture");
        assertThat(upload("/api/v1/avatars?size=4", TestImages.picture(64, 64, "png"))).isProblem(400);
        assertThat(upload("/api/v1/avatars?size=2000", TestImages.picture(64, 64, "png"))).isProblem(400);
    }

    @Test
    void refusesUploadsAboveFiveMebibytesBeforeTheyAreSent() {
        // The declared length is enough: the answer comes before a byte of the body is sent.
        try (RawHttp raw = server.raw()) {
            RawHttp.Response response = raw.send("POST /api/v1/avatars HTTP/1.1\r\nHost: x\r\n"
                    + "Content-Type: image/jpeg\r\nContent-Length: " + (AvatarRoutes.MAX_UPLOAD + 1) + "\r\n\r\n").read();

            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        }
    }

    @Test
    void theInlineDemoAnswersTheSameAndIsReportedAsBlockingTheLoop() {
        ListAppender<ILoggingEvent> reports = new ListAppender<>();
        reports.start();
        Logger monitor = (Logger) LoggerFactory.getLogger(LoopMonitor.class);
        monitor.addAppender(reports);
        try {
            // A first small picture loads the route's classes, so the report below is about the work.
            assertThat(upload("/demo/inline/avatars", TestImages.picture(32, 32, "png"))).hasStatus(200);
            byte[] photo = TestImages.picture(4000, 3000, "jpeg");

            TestResponse thumbnail = upload("/demo/inline/avatars?size=64", photo);

            assertThat(thumbnail).hasStatus(200).hasHeader("X-Demo", "inline on the event loop");
            assertThat(TestImages.read(thumbnail.bodyBytes()).getWidth()).isEqualTo(64);
            await("the blocked-loop report naming the demo route").atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(reports.list).extracting(ILoggingEvent::getFormattedMessage)
                            .anySatisfy(line -> assertThat(line).contains("blocked for")
                                    .contains("/demo/inline/avatars").contains("Thumbnails.square")));
            assertThat(blockedReports()).isPositive();
        } finally {
            monitor.detachAppender(reports);
        }
    }

    private static double blockedReports() {
        return server.client().get("/metrics").body().lines()
                .filter(line -> line.startsWith("spindle_eventloop_blocked_total{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }
}
