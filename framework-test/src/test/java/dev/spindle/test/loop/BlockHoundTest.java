package dev.spindle.test.loop;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.http.Response;
import dev.spindle.testsupport.BlockHoundExtension;
import dev.spindle.test.SpindleExtension;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Proves BlockHound guards the loops in this suite, so its silence elsewhere means something. */
class BlockHoundTest {

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.get("/blocks", ctx -> {
            new CountDownLatch(1).await(5, TimeUnit.MILLISECONDS);
            return Response.text("should not get here").completed();
        });
        app.get("/blocks-offloaded", ctx -> ctx.blocking(() -> {
            new CountDownLatch(1).await(5, TimeUnit.MILLISECONDS);
            return Response.text("fine off the loop");
        }));
    });

    @Test
    void aBlockingCallOnTheLoopFailsTheRequestAndIsRecorded() {
        assertThat(server.client().get("/blocks")).isProblem(500);

        assertThat(BlockHoundExtension.drainViolations()).singleElement().asString()
                .contains("spindle-loop").contains("BlockHoundTest");
    }

    @Test
    void theSameCallOnTheBlockingPoolIsAllowed() {
        assertThat(server.client().get("/blocks-offloaded")).hasStatus(200).hasBody("fine off the loop");

        assertThat(BlockHoundExtension.drainViolations()).isEmpty();
    }
}
