package dev.drawbridge.testsupport.process;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A missing package skips the test that needs it, naming the package and the install command; under the CI setting it fails it.
 * The demo asks which are missing without skipping anything.
 */
class DebianPackagesTest {
    static final List<DebianPackages.Need> PRESENT = List.of(new DebianPackages.Need("/bin/sh", "dash"));
    static final List<DebianPackages.Need> MISSING = List.of(new DebianPackages.Need("/bin/sh", "dash"),
            new DebianPackages.Need("/nonexistent/krb5kdc", "krb5-kdc"), new DebianPackages.Need("/nonexistent/kdb5_ldap_util", "krb5-kdc-ldap"),
            new DebianPackages.Need("/nonexistent/schema", "krb5-kdc-ldap"));

    @Test
    void installedPackagesLetTheTestRun() {
        assertThatCode(() -> DebianPackages.require("X", PRESENT, null)).doesNotThrowAnyException();
        assertThatCode(() -> DebianPackages.require("X", PRESENT, "1")).doesNotThrowAnyException();
    }

    @Test
    void aMissingPackageSkipsTheTestSayingWhichAndHow() {
        assertThatThrownBy(() -> DebianPackages.require("KerberosRealm", MISSING, null)).isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("KerberosRealm needs the Debian packages krb5-kdc krb5-kdc-ldap, which are not installed")
                .hasMessageContaining("no /nonexistent/krb5kdc, /nonexistent/kdb5_ldap_util, /nonexistent/schema)")
                .hasMessageContaining("apt-get install -y --no-install-recommends krb5-kdc krb5-kdc-ldap'");
        assertThatThrownBy(() -> DebianPackages.require("KerberosRealm", MISSING, "0")).isInstanceOf(TestAbortedException.class);
    }

    @Test
    void underTheCiSettingAMissingPackageFailsTheTest() {
        assertThatThrownBy(() -> DebianPackages.require("KerberosRealm", MISSING, "1")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("krb5-kdc krb5-kdc-ldap").hasMessageContaining(DebianPackages.REQUIRE + "=1");
    }

    @Test
    void missingNamesEachMissingPackageOnceInOrder() {
        assertThat(DebianPackages.missing(PRESENT)).isEmpty();
        assertThat(DebianPackages.missing(MISSING)).containsExactly("krb5-kdc", "krb5-kdc-ldap");
        assertThat(DebianPackages.installCommand(DebianPackages.missing(MISSING)))
                .isEqualTo("sudo apt-get install -y --no-install-recommends krb5-kdc krb5-kdc-ldap");
    }
}
