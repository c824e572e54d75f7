package dev.spindle.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A problem's title is its status's reason phrase, in RFC 9110's words. */
class ProblemTest {

    @Test
    void titlesAreTheReasonPhrasesOfRfc9110() {
        assertThat(Problem.of(404, "x").title()).isEqualTo("Not Found");
        assertThat(Problem.of(413, "x").title()).isEqualTo("Content Too Large");
        assertThat(Problem.of(416, "x").title()).isEqualTo("Range Not Satisfiable");
        assertThat(Problem.of(422, "x").title()).isEqualTo("Unprocessable Content");
        assertThat(Problem.of(505, "x").title()).isEqualTo("HTTP Version Not Supported");
        assertThat(Problem.of(426, "x").title()).isEqualTo("Upgrade Required");
    }
}
