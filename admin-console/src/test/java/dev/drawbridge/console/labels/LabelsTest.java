package dev.drawbridge.console.labels;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.KerberosSso.LoginIdentity;
import dev.drawbridge.model.api.OAuthGrant;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.RolloutState;
import dev.drawbridge.model.api.SamlAttribute;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.update.UpdateState;
import javafx.util.StringConverter;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class LabelsTest {
    @Test
    void namesTheValuesAnAdminPicksInWords() {
        assertThat(Labels.of(PreAuthentication.PASSTHROUGH)).isEqualTo("Passthrough");
        assertThat(Labels.of(PreAuthentication.DIRECTORY)).isEqualTo("Sign-in required");
        assertThat(Labels.of(BackendTimeout.DEFAULT)).isEqualTo("Default (85 s)");
        assertThat(Labels.of(BackendTimeout.LONG)).isEqualTo("Long (180 s)");
        assertThat(Labels.of(AdminRole.GLOBAL_ADMINISTRATOR)).isEqualTo("Global administrator");
        assertThat(Labels.of(AdminRole.CLOUD_APPLICATION_ADMINISTRATOR)).isEqualTo("Cloud application administrator");
        assertThat(Labels.roles(List.of(AdminRole.HELPDESK_ADMINISTRATOR, AdminRole.SECURITY_READER)))
                .isEqualTo("Helpdesk administrator, Security reader");
        assertThat(Labels.of(ConnectorStatus.INACTIVE)).isEqualTo("Inactive");
        assertThat(Labels.of(AccessPolicy.State.REPORT_ONLY)).isEqualTo("Report-only");
        assertThat(Labels.of(AccessPolicy.Control.REQUIRE_MFA)).isEqualTo("Require MFA");
        assertThat(Labels.of(AccessPolicy.ClientType.NATIVE)).isEqualTo("Native app");
        assertThat(Labels.grants(List.of(OAuthGrant.REFRESH_TOKEN, OAuthGrant.AUTHORIZATION_CODE)))
                .isEqualTo("Sign-in (code + PKCE), Stay signed in (refresh tokens)");
        assertThat(Labels.grants(List.of(OAuthGrant.AUTHORIZATION_CODE))).isEqualTo("Sign-in (code + PKCE)");
        assertThat(Labels.of(DayOfWeek.MONDAY)).isEqualTo("Monday");
        assertThat(Labels.of(SsoMethod.HEADERS)).isEqualTo("Headers");
        assertThat(Labels.of(HeaderSource.UPN)).isEqualTo("User principal name (UPN)");
        assertThat(Labels.auditAction("app.sso.update")).isEqualTo("Single sign-on changed");
        assertThat(Labels.of(LoginIdentity.ON_PREM_SAM)).isEqualTo("On-premises SAM account name (directory sync)");
        assertThat(Labels.auditAction("connector-group.kerberos.set")).isEqualTo("Connector group Kerberos settings set");
    }

    /** Every value of every enum the console shows has words of its own: no code, no underscore, no two alike. */
    @Test
    void everyEnumValueHasWordsOfItsOwn() {
        List<List<String>> all = List.of(
                names(PreAuthentication.values(), Labels::of), names(BackendTimeout.values(), Labels::of),
                names(ConnectorStatus.values(), Labels::of), names(AdminRole.values(), Labels::of),
                names(AccessPolicy.State.values(), Labels::of), names(AccessPolicy.Control.values(), Labels::of),
                names(AccessPolicy.ClientType.values(), Labels::of), names(OAuthGrant.values(), Labels::of),
                names(SsoMethod.values(), Labels::of), names(HeaderSource.values(), Labels::of),
                names(LoginIdentity.values(), Labels::of), names(BasicSso.Credentials.values(), Labels::of),
                names(SamlSso.NameIdFormat.values(), Labels::of), names(SamlSso.Signing.values(), Labels::of),
                names(SamlAttribute.NameFormat.values(), Labels::of), names(UpdateState.values(), Labels::of),
                names(RolloutState.values(), Labels::of),
                Labels.SIGN_IN_RESULTS.stream().map(Labels::signInResult).toList(),
                Labels.SIGN_IN_EVENTS.stream().map(Labels::signInEvent).toList(),
                Labels.CONNECTOR_EVENTS.stream().map(Labels::connectorEvent).toList(),
                Labels.AUDIT_ACTIONS.stream().map(Labels::auditAction).toList());
        for (List<String> words : all) {
            assertThat(words).doesNotHaveDuplicates().allSatisfy(w -> {
                assertThat(w).isNotBlank().doesNotContain("_");
                assertThat(w.substring(1)).as(w).isNotEqualTo(w.substring(1).toUpperCase(Locale.ROOT));
            });
        }
    }

    @Test
    void namesTheCodesTheApiSendsAsStrings() {
        assertThat(Stream.of("SUCCESS", "FAILURE", "DENIED", "INTERRUPTED").map(Labels::signInResult))
                .containsExactly("Succeeded", "Failed", "Denied", "Interrupted");
        assertThat(Stream.of("SIGN_IN", "ACCESS", "ADMIN_SIGN_IN").map(Labels::signInEvent))
                .containsExactly("Sign-in", "App access", "Admin sign-in");
        assertThat(Labels.clientType("BROWSER")).isEqualTo("Browser");
        assertThat(Labels.clientType("NATIVE")).isEqualTo("Native app");
        assertThat(Labels.principalType("USER")).isEqualTo("User");
        assertThat(Labels.principalType("GROUP")).isEqualTo("Group");
        assertThat(Labels.connectorEvent("HEARTBEAT_MISSED")).isEqualTo("Heartbeat missed");
        assertThat(Labels.policyUser("ALL")).isEqualTo("All users");
        assertThat(Labels.policyUser("Finance")).isEqualTo("Finance");
        assertThat(Labels.policyLocation("UNTRUSTED", id -> "?")).isEqualTo("Untrusted locations");
        assertThat(Labels.policyLocation("loc-1", id -> id.equals("loc-1") ? "Head office" : id)).isEqualTo("Head office");
    }

    @Test
    void namesAuditActionsAndReadsAnUnknownOneAsWords() {
        assertThat(Labels.auditAction("oauth-client.create")).isEqualTo("Native client registered");
        assertThat(Labels.auditAction("user.revoke-sessions")).isEqualTo("Sessions revoked");
        assertThat(Labels.auditAction("app.assignment.add")).isEqualTo("Assignment added");
        assertThat(Labels.auditAction("user.disable")).isEqualTo("User disable");
        // Words of their own: none is the fallback's spelling of its code.
        assertThat(Labels.AUDIT_ACTIONS).allSatisfy(a -> assertThat(Labels.auditAction(a)).isNotEqualTo(Labels.words(a.replace('.', ' '))));
    }

    @Test
    void aCodeFromANewerServerStillReadsAsWords() {
        assertThat(Labels.signInResult("PARTIALLY_DONE")).isEqualTo("Partially done");
        assertThat(Labels.signInEvent("TOKEN_REFRESH")).isEqualTo("Token refresh");
        assertThat(Labels.clientType("DEVICE_CODE")).isEqualTo("Device code");
        assertThat(Labels.signInResult(null)).isEmpty();
    }

    @Test
    void aConverterShowsWordsAndTurnsThemBackIntoTheValue() {
        StringConverter<BackendTimeout> c = Labels.converter(BackendTimeout.class, Labels::of);
        assertThat(c.toString(BackendTimeout.LONG)).isEqualTo("Long (180 s)");
        assertThat(c.fromString("Long (180 s)")).isEqualTo(BackendTimeout.LONG);
        assertThat(c.fromString("LONG")).isNull();
        assertThat(c.toString(null)).isEmpty();
    }

    private static <E> List<String> names(E[] values, Function<E, String> words) {
        List<String> out = new ArrayList<>();
        for (E v : values) {
            out.add(words.apply(v));
        }
        return out;
    }
}
