package dev.drawbridge.model.tunnel;

import dev.drawbridge.model.tls.TlsProfile;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TunnelCiphersTest {
    @Test
    void aes128GcmComesFirstAndNothingIsDropped() {
        String[] defaults = {"TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"};
        assertThat(TunnelCiphers.preferred(defaults)).containsExactly("TLS_AES_128_GCM_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384");
    }

    @Test
    void theTunnelOffersExactlyTheProfileSuitesWithAes128First() {
        String[] preferred = TunnelCiphers.preferred();
        assertThat(preferred[0]).isEqualTo(TunnelCiphers.PREFERRED);
        assertThat(List.of(preferred)).containsExactlyInAnyOrder(TlsProfile.cipherSuites());
    }
}
