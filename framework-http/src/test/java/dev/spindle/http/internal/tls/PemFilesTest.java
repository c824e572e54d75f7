package dev.spindle.http.internal.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.KeyException;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM and PKCS#8 reading on the JDK alone, as on a class path without BouncyCastle. */
class PemFilesTest {

    private static KeyMaterial first;
    private static KeyMaterial second;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() throws Exception {
        first = SelfSignedCertificate.generate();
        second = SelfSignedCertificate.generate();
    }

    @Test
    void readsAnEncryptedPkcs8KeyWithTheJdkAlone() throws Exception {
        PemWriter.write(dir.resolve("tls.crt"), PemWriter.chain(first));
        PemWriter.write(dir.resolve("tls.key"), PemWriter.encryptedKey(first, "s3cret"));
        PemFiles files = new PemFiles(dir.resolve("tls.crt"), dir.resolve("tls.key"), Optional.of("s3cret"));

        KeyMaterial read = files.parse(files.read().contents());

        assertThat(read.leaf()).isEqualTo(first.leaf());
        assertThat(read.key().getEncoded()).isEqualTo(first.key().getEncoded());
    }

    @Test
    void refusesAKeyThatDoesNotBelongToTheCertificate() throws Exception {
        PemWriter.write(dir.resolve("tls.crt"), PemWriter.chain(first));
        PemWriter.write(dir.resolve("tls.key"), PemWriter.key(second));
        PemFiles files = new PemFiles(dir.resolve("tls.crt"), dir.resolve("tls.key"), Optional.empty());

        assertThatThrownBy(() -> files.parse(files.read().contents())).isInstanceOf(KeyException.class)
                .hasMessageContaining("does not belong to the certificate CN=localhost");
    }

    @Test
    void generatesADevelopmentCertificateNamingLocalhostAndTheLoopbackAddresses() throws Exception {
        assertThat(first.leaf().getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
        assertThat(first.leaf().getSubjectAlternativeNames()).extracting(name -> String.valueOf(name.get(1)))
                .contains("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
        assertThat(first.leaf().getSerialNumber()).isNotEqualTo(second.leaf().getSerialNumber());
    }
}
