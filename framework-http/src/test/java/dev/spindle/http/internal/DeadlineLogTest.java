package dev.spindle.http.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Under overload every request times out: one WARN a second says so, not one per request. */
class DeadlineLogTest {

    private final AtomicLong now = new AtomicLong(42);
    private final DeadlineLog log = new DeadlineLog(now::get);
    private final Logger logger = (Logger) LoggerFactory.getLogger(HttpServer.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void capture() {
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void release() {
        logger.detachAppender(appender);
    }

    @Test
    void aThousandTimeoutsInASecondAreOneWarningThatCountsTheRest() {
        for (int i = 0; i < 1_000; i++) {
            log.timedOut("GET /slow", 100);
        }
        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(999));
        log.timedOut("GET /slow", 100);
        assertThat(warnings()).containsExactly("GET /slow did not complete within its 100 ms deadline; "
                + "answered 503 and cancelled it");

        now.addAndGet(TimeUnit.MILLISECONDS.toNanos(1));
        log.timedOut("GET /other", 250);

        assertThat(warnings()).hasSize(2).last().asString()
                .isEqualTo("GET /other did not complete within its 250 ms deadline; answered 503 and cancelled it "
                        + "(1000 more timed out since the last report)");
    }

    @Test
    void threadsTimingOutAtOnceShareOneWarning() {
        IntStream.range(0, 4_000).parallel().forEach(i -> log.timedOut("GET /slow", 100));

        assertThat(warnings()).hasSize(1);
    }

    private List<String> warnings() {
        return appender.list.stream().filter(event -> event.getLevel() == Level.WARN)
                .map(ILoggingEvent::getFormattedMessage).toList();
    }
}
