package dev.drawbridge.proxy.pki;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Host-name spellings and wildcard reach, as certificate uploads and SNI see them. */
class HostNamesTest {
    static final OwnHosts OWN = new OwnHosts("admin.example.com", "login.example.com");

    @Test
    void spellingsOfOneHostAreOne() {
        for (String s : List.of("admin.example.com", "ADMIN.EXAMPLE.COM", "Admin.Example.Com.", " admin.example.com ")) {
            assertThat(HostNames.canonical(s)).isEqualTo("admin.example.com");
            assertThat(OWN.contains(s)).as(s).isTrue();
        }
        assertThat(OWN.contains("admin.example.com.evil.test")).isFalse();
        assertThat(new OwnHosts("Admin.Example.com.", "LOGIN.example.com").all()).containsExactly("admin.example.com", "login.example.com");
    }

    @Test
    void aWildcardCoversExactlyOneLeftmostLabel() {
        assertThat(HostNames.covers("*.example.com", "admin.example.com")).isTrue();
        assertThat(HostNames.covers("*.EXAMPLE.com.", "Admin.example.com")).isTrue();
        assertThat(HostNames.covers("*.example.com", "a.b.example.com")).isFalse();
        assertThat(HostNames.covers("*.example.com", "example.com")).isFalse();
        assertThat(HostNames.covers("admin.example.com", "admin.example.com.")).isTrue();
        assertThat(HostNames.covers("a*.example.com", "admin.example.com")).as("served only for whole-label wildcards").isFalse();
    }

    @Test
    void everyNameSomeClientCouldReadAsAnOwnHostReachesIt() {
        for (String name : List.of("admin.example.com", "LOGIN.EXAMPLE.COM.", "*.example.com", "*.Example.Com.", "a*.example.com",
                "*in.example.com", "ad*in.example.com", "l*n.example.com")) {
            assertThat(OWN.reachedBy(name)).as(name).isPresent();
        }
        for (String name : List.of("hr.example.com", "*.hr.example.com", "*.com", "*", "example.com", "admin.example.com.evil.test",
                "b*.example.com", "*x.example.com", "admin.example.org", "*.*.example.com")) {
            assertThat(OWN.reachedBy(name)).as(name).isEmpty();
        }
    }

    @Test
    void theTunnelKeyManagerTakesNoUploadedCertificates() {
        CertificateAuthority ca = CertificateAuthority.create("Test", Duration.ofDays(1), CertificateAuthorityTest.CLOCK);
        SniKeyManager tunnel = SniKeyManager.issuedOnly(ca, "example.com", OWN);
        assertThatThrownBy(() -> tunnel.useCustomCertificates(null)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> tunnel.useServerCertificate(null)).isInstanceOf(IllegalStateException.class);
    }
}
