package dev.drawbridge.model.tls;

import org.junit.jupiter.api.Test;

import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

import static org.assertj.core.api.Assertions.assertThat;

class TlsProfileTest {
    @Test
    void everySuiteIsForwardSecretAndAead() {
        for (String suite : TlsProfile.CIPHER_SUITES) {
            boolean tls13 = suite.matches("TLS_(AES_(128|256)_GCM|CHACHA20_POLY1305)_SHA(256|384)");
            boolean tls12 = suite.matches("TLS_ECDHE_(ECDSA|RSA)_WITH_(AES_(128|256)_GCM|CHACHA20_POLY1305)_SHA(256|384)");
            assertThat(tls13 || tls12).as(suite).isTrue();
            assertThat(suite).doesNotContain("CBC", "DHE_DSS", "NULL", "anon", "RC4",
                    "3DES").doesNotEndWith("_SHA").doesNotStartWith("TLS_RSA_").doesNotStartWith("TLS_DHE_");
        }
    }

    @Test
    void thisJvmSupportsTheWholeProfile() {
        // A profile quietly shrinking on some JVM would surprise operators: the build's JDK must support it all.
        assertThat(TlsProfile.cipherSuites()).containsExactlyElementsOf(TlsProfile.CIPHER_SUITES);
        assertThat(TlsProfile.namedGroups()).containsExactlyElementsOf(TlsProfile.NAMED_GROUPS);
        assertThat(TlsProfile.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
    }

    @Test
    void restrictKeepsTheEnabledOrderAndDropsEverythingElse() throws Exception {
        SSLEngine engine = SSLContext.getDefault().createSSLEngine();
        SSLParameters p = engine.getSSLParameters();
        p.setCipherSuites(new String[]{"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_AES_256_GCM_SHA384",
                "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256"});
        p.setProtocols(new String[]{"TLSv1.3", "TLSv1.2", "TLSv1.1"});
        engine.setSSLParameters(TlsProfile.restrict(p));
        assertThat(engine.getEnabledCipherSuites()).containsExactly("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256");
        assertThat(engine.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        assertThat(List.of(engine.getSSLParameters().getNamedGroups())).containsExactly("x25519", "secp256r1", "secp384r1");
    }
}
