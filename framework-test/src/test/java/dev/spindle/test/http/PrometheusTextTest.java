package dev.spindle.test.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test's own exposition parser must refuse what a scraper refuses, or MetricsTest proves nothing. */
class PrometheusTextTest {

    private static final String VALID = """
            # HELP requests_seconds Requests
            # TYPE requests_seconds summary
            requests_seconds_count{route="/users/{id}",note="a \\"quoted\\" \\\\ value\\n"} 3
            requests_seconds_sum{route="/users/{id}",note="x"} 0.25
            # TYPE up gauge
            up 1.0 1700000000000
            # TYPE lag_seconds histogram
            lag_seconds_bucket{le="0.1"} 1
            lag_seconds_bucket{le="+Inf"} 2
            lag_seconds_count 2
            lag_seconds_sum NaN
            """;

    @Test
    void acceptsAWellFormedExposition() {
        PrometheusText parsed = PrometheusText.parse(VALID);

        assertThat(parsed.families()).containsOnlyKeys("requests_seconds", "up", "lag_seconds");
        assertThat(parsed.samples("requests_seconds_count")).singleElement().satisfies(sample -> {
            assertThat(sample.value()).isEqualTo(3.0);
            assertThat(sample.labels()).containsExactly(Map.entry("route", "/users/{id}"),
                    Map.entry("note", "a \"quoted\" \\ value\n"));
        });
        assertThat(parsed.samples("lag_seconds_bucket").get(1).labels()).containsEntry("le", "+Inf");
        assertThat(parsed.samples("lag_seconds_sum").get(0).value()).isNaN();
    }

    @Test
    void refusesMalformedLines() {
        String[] bad = {
            "# TYPE x gauge\nx{a=\"1\"} one\n",
            "# TYPE x gauge\nx{a=1} 1\n",
            "# TYPE x gauge\nx{a=\"1\",} 1\n",
            "# TYPE x gauge\nx{a=\"\\t\"} 1\n",
            "# TYPE x gauge\nx{a=\"1\",a=\"2\"} 1\n",
            "# TYPE x gauge\nx{1a=\"1\"} 1\n",
            "# TYPE x gauge\nx{a=\"1\"} 1 2 3\n",
            "# TYPE x gauge\n9x 1\n",
            "# TYPE x gauge\nx 1\nx 2\n",
            "# TYPE x gauge\ny 1\n",
            "x 1\n",
            "# TYPE x gauge\n# TYPE x counter\n",
            "# TYPE x gauge\nx 1\n# TYPE y gauge\ny 1\n# HELP x late\n",
            "# TYPE x sometype\n",
            "# TYPE h histogram\nh_bucket 1\n",
            "# TYPE x gauge\nx 1",
        };
        for (String text : bad) {
            assertThatThrownBy(() -> PrometheusText.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void openMetricsNeedsEofLastAndTotalOnCounters() {
        assertThat(PrometheusText.parseOpenMetrics("# TYPE c counter\nc_total 1\n# EOF\n").samples("c_total"))
                .hasSize(1);
        assertThatThrownBy(() -> PrometheusText.parseOpenMetrics("# TYPE c counter\nc_total 1\n"))
                .hasMessageContaining("# EOF");
        assertThatThrownBy(() -> PrometheusText.parseOpenMetrics("# TYPE c counter\nc 1\n# EOF\n"))
                .hasMessageContaining("does not belong");
        assertThatThrownBy(() -> PrometheusText.parseOpenMetrics("# EOF\n# TYPE c counter\n"))
                .hasMessageContaining("after # EOF");
    }
}
