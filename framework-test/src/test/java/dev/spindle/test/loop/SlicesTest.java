package dev.spindle.test.loop;

import static dev.spindle.test.SpindleAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.spindle.core.Slices;
import dev.spindle.http.Response;
import dev.spindle.test.SpindleExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SlicesTest {

    private static final List<Integer> NUMBERS = IntStream.rangeClosed(1, 10_000).boxed().toList();

    @RegisterExtension
    static final SpindleExtension server = SpindleExtension.of(app -> {
        app.get("/sum", ctx -> {
            long[] sum = new long[1];
            List<String> threads = new ArrayList<>();
            return Slices.forEach(NUMBERS, 100, n -> {
                sum[0] += n;
                if (n % 100 == 1) {
                    threads.add(Thread.currentThread().getName());
                }
            }, ctx.executor()).thenApply(done -> Response.json(Map.of("sum", sum[0], "slices", threads.size(),
                    "sameLoop", threads.stream().distinct().count() == 1)));
        });
        app.get("/fails", ctx -> Slices.forEach(NUMBERS, 100, n -> {
            if (n == 4242) {
                throw new IllegalArgumentException("bad item");
            }
        }, ctx.executor()).thenApply(done -> Response.text("unreachable")));
    });

    @Test
    void processesEveryItemInSlicesOnTheRequestsLoop() {
        var json = server.client().get("/sum").json();

        assertThat(json.get("sum").asLong()).isEqualTo(50_005_000L);
        assertThat(json.get("slices").asInt()).isEqualTo(100);
        assertThat(json.get("sameLoop").asBoolean()).isTrue();
    }

    @Test
    void aFailingItemFailsTheWholeStage() {
        assertThat(server.client().get("/fails")).isProblem(500);
    }
}
