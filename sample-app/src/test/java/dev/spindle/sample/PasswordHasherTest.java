package dev.spindle.sample;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.spindle.sample.users.PasswordHasher;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private final PasswordHasher hasher = new PasswordHasher(1000);

    @Test
    void matchesTheHashedPasswordOnly() {
        String hash = hasher.hash("correct horse");

        assertThat(hash).startsWith("pbkdf2-sha256$1000$").doesNotContain("correct horse");
        assertThat(hasher.matches("correct horse", hash)).isTrue();
        assertThat(hasher.matches("correct horsf", hash)).isFalse();
    }

    @Test
    void saltsEveryHash() {
        assertThat(hasher.hash("same")).isNotEqualTo(hasher.hash("same"));
    }

    @Test
    void checksHashesMadeWithOtherIterationCounts() {
        String old = new PasswordHasher(2000).hash("correct horse");

        assertThat(hasher.matches("correct horse", old)).isTrue();
    }

    @Test
    void refusesSomethingThatIsNotAHash() {
        assertThatThrownBy(() -> hasher.matches("x", "md5$abc")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PasswordHasher(0)).hasMessage("iterations: 0 (expected: > 0)");
    }
}
