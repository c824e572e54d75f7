package dev.spindle.sample;

import static dev.spindle.test.SpindleAssertions.assertThat;

import dev.spindle.test.SpindleExtension;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Production turns the demo routes off: nothing on the event loop that should not be. */
class DemoRoutesOffTest {

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(SampleApp::install)
            .set("sample.password-iterations", "1000")
            .set("sample.demo-routes", "false");

    @Test
    void theInlineDemoRouteIsNotServed() {
        assertThat(server.client().send(server.client().request("/demo/inline/avatars")
                .POST(HttpRequest.BodyPublishers.ofByteArray(TestImages.picture(32, 32, "png"))))).isProblem(404);
    }
}
