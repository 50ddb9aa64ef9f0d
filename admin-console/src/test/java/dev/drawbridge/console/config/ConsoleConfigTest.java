package dev.drawbridge.console.config;

import dev.drawbridge.proxy.pki.CertificateAuthority;
import dev.drawbridge.proxy.pki.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleConfigTest {
    @Test
    void remembersSettingsAcrossRuns(@TempDir Path dir) {
        ConsoleConfig c = new ConsoleConfig(dir.resolve("cfg"));
        c.put("server", "https://admin.example.test:8443");
        c.put("window.width", "1100.0");
        c.save();
        ConsoleConfig again = new ConsoleConfig(dir.resolve("cfg"));
        assertThat(again.get("server")).contains("https://admin.example.test:8443");
        assertThat(again.getDouble("window.width", 0)).isEqualTo(1100.0);
        assertThat(again.getDouble("window.height", 800)).isEqualTo(800);
    }

    @Test
    void theDirectoryCanBeSetBySystemProperty(@TempDir Path dir) {
        String before = System.getProperty(ConsoleConfig.DIR_PROPERTY);
        try {
            System.setProperty(ConsoleConfig.DIR_PROPERTY, dir.toString());
            assertThat(ConsoleConfig.defaultDir()).isEqualTo(dir);
        } finally {
            if (before == null) {
                System.clearProperty(ConsoleConfig.DIR_PROPERTY);
            } else {
                System.setProperty(ConsoleConfig.DIR_PROPERTY, before);
            }
        }
    }

    @Test
    void trustsAcceptedCasAndSessionCasOnly(@TempDir Path dir) throws Exception {
        X509Certificate a = CertificateAuthority.create("A", Duration.ofDays(1), Clock.systemUTC()).certificate();
        X509Certificate b = CertificateAuthority.create("B", Duration.ofDays(1), Clock.systemUTC()).certificate();
        TrustedCas cas = new TrustedCas(dir);
        assertThat(cas.trusts(List.of(a))).isFalse();
        cas.accept(a);
        cas.accept(a);
        assertThat(new TrustedCas(dir).all()).containsExactly(a);
        assertThat(new TrustedCas(dir).trusts(List.of(a))).isTrue();

        Path pem = dir.resolve("b.pem");
        Files.writeString(pem, Pem.encode(b));
        TrustedCas withSession = new TrustedCas(dir);
        withSession.addForSession(pem);
        assertThat(withSession.trusts(List.of(b))).isTrue();
        assertThat(withSession.keyStore().size()).isEqualTo(2);
        assertThat(new TrustedCas(dir).trusts(List.of(b))).isFalse();
        assertThat(TrustedCas.sha256(a)).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    }
}
