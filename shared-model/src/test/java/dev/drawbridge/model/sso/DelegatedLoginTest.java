package dev.drawbridge.model.sso;

import dev.drawbridge.model.api.KerberosSso.LoginIdentity;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delegated login identity, as the connector asks the KDC and the proxy previews it: each identity's name, a missing
 * on-premises name and a computer account refused with a reason, and which names are users of the realm.
 */
class DelegatedLoginTest {
    static final SsoIdentity SYNCED = new SsoIdentity("u-1", "alice.smith@contoso.com", "Alice Smith", Optional.empty(),
            Optional.of("asmith@corp.contoso.local"), Optional.of("ASMITH"), List.of(), Map.of());
    static final SsoIdentity LOCAL = new SsoIdentity("u-2", "bob@contoso.com", "Bob", Optional.empty(), Optional.empty(),
            Optional.empty(), List.of(), Map.of());

    @Test
    void eachIdentityNamesItsName() {
        assertThat(DelegatedLogin.of(LoginIdentity.UPN, SYNCED)).isEqualTo(new DelegatedLogin.Choice.Name("alice.smith@contoso.com"));
        assertThat(DelegatedLogin.of(LoginIdentity.ON_PREM_UPN, SYNCED)).isEqualTo(new DelegatedLogin.Choice.Name("asmith@corp.contoso.local"));
        assertThat(DelegatedLogin.of(LoginIdentity.USER_PART, SYNCED)).isEqualTo(new DelegatedLogin.Choice.Name("alice.smith"));
        assertThat(DelegatedLogin.of(LoginIdentity.ON_PREM_SAM, SYNCED)).isEqualTo(new DelegatedLogin.Choice.Name("ASMITH"));
        assertThat(DelegatedLogin.of(LoginIdentity.UPN, LOCAL)).isEqualTo(new DelegatedLogin.Choice.Name("bob@contoso.com"));
        assertThat(DelegatedLogin.of(LoginIdentity.USER_PART, LOCAL)).isEqualTo(new DelegatedLogin.Choice.Name("bob"));
    }

    @Test
    void aMissingOnPremisesNameIsRefusedNamingIt() {
        assertThat(DelegatedLogin.of(LoginIdentity.ON_PREM_UPN, LOCAL)).isEqualTo(new DelegatedLogin.Choice.Refused(
                "bob@contoso.com has no on-premises UPN from directory sync, which this app's delegated login identity needs"));
        assertThat(DelegatedLogin.of(LoginIdentity.ON_PREM_SAM, LOCAL)).isEqualTo(new DelegatedLogin.Choice.Refused(
                "bob@contoso.com has no on-premises SAM account name from directory sync, which this app's delegated login identity needs"));
    }

    @Test
    void aComputerAccountIsNeverActedFor() {
        SsoIdentity machine = new SsoIdentity("u-3", "dc01$@contoso.com", "DC", Optional.empty(), Optional.of("dc01$@corp.local"),
                Optional.of("DC01$"), List.of(), Map.of());
        for (LoginIdentity l : LoginIdentity.values()) {
            assertThat(DelegatedLogin.of(l, machine)).as(l.name()).isInstanceOfSatisfying(DelegatedLogin.Choice.Refused.class,
                    r -> assertThat(r.reason()).endsWith("names a computer account, not a user"));
        }
    }

    @Test
    void usersOfTheRealmAreQualifiedOthersAreNone() {
        assertThat(DelegatedLogin.principal("alice", "CORP.EXAMPLE")).contains("alice@CORP.EXAMPLE");
        assertThat(DelegatedLogin.principal("alice@corp.example", "CORP.EXAMPLE")).contains("alice@CORP.EXAMPLE");
        assertThat(DelegatedLogin.principal("Alice.Martin-2@CORP.EXAMPLE", "CORP.EXAMPLE")).contains("Alice.Martin-2@CORP.EXAMPLE");
        assertThat(DelegatedLogin.principal("josé", "CORP")).contains("josé@CORP");
        for (String name : Arrays.asList(null, "", "@CORP", "alice@", "alice@OTHER", "HTTP/app", "krbtgt/CORP", "a\\b", "a\nb", "a\u0000",
                " alice", "alice ", "a@b@CORP", "x".repeat(300), "a,b", "a\"b", "a*b")) {
            assertThat(DelegatedLogin.principal(name, "CORP")).as("%s", name).isEmpty();
        }
    }

    @Test
    void theServiceGetsTheRealmWhenItNamesNone() {
        assertThat(DelegatedLogin.service("HTTP/intranet.corp.example", "CORP.EXAMPLE")).isEqualTo("HTTP/intranet.corp.example@CORP.EXAMPLE");
        assertThat(DelegatedLogin.service("HTTP/intranet.corp.example@CORP.EXAMPLE", "CORP.EXAMPLE"))
                .isEqualTo("HTTP/intranet.corp.example@CORP.EXAMPLE");
    }
}
