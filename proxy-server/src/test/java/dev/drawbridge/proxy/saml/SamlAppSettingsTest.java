package dev.drawbridge.proxy.saml;

import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SamlAttribute;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.api.validation.SamlRules;
import dev.drawbridge.model.api.validation.SsoRules;
import dev.drawbridge.proxy.apps.AppService;
import dev.drawbridge.proxy.apps.AppStore;
import dev.drawbridge.proxy.apps.AppValidator;
import dev.drawbridge.proxy.apps.Routes;
import dev.drawbridge.proxy.pki.Pem;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import dev.drawbridge.proxy.web.ValidationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An app's SAML settings as the server keeps them ({@link AppService} with {@link SamlSetup#ssoChecks()}, over H2): set
 * only when the ACS URL lies under the app's external URL and the app keeps the external Host (each refusal a 400
 * naming its field, nothing stored); and an edit of an app with SAML that would break either is refused the same way.
 */
class SamlAppSettingsTest {
    static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    static final String HR = "https://hr.example.com/";
    @TempDir
    Path dir;
    Database db;
    AppService apps;

    @BeforeEach
    void open() {
        db = Database.h2(dir);
        ConnectorStore connectors = new ConnectorStore(db);
        connectors.ensureDefaultGroup(NOW);
        AppStore store = new AppStore(db);
        apps = new AppService(store, connectors, new AppValidator("example.com", 443), new Routes(store), Clock.fixed(NOW, ZoneOffset.UTC),
                SamlSetup.ssoChecks());
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    static AppSpec spec(String url, Boolean translateHost) {
        return new AppSpec("HR", url, "http://intranet/", null, null, translateHost, PreAuthentication.DIRECTORY);
    }

    static SsoSettings saml(String acs) {
        return new SsoSettings(SsoMethod.SAML, List.of(), null, new SamlSso(HR + "mellon/metadata", acs));
    }

    static List<String> fields(ThrowingCall call) {
        try {
            call.run();
            return List.of();
        } catch (ValidationException e) {
            return e.errors().stream().map(f -> f.field()).toList();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    @Test
    void samlIsSetOnlyWithTheAcsUnderTheAppAndTheExternalHostKept() throws Exception {
        String translating = apps.create(spec(HR, null)).id();
        assertThat(fields(() -> apps.setSso(translating, saml(HR + "mellon/postResponse")))).containsExactly("translateHostHeader");
        assertThat(apps.sso(translating)).contains(SsoSettings.NONE);

        String id = apps.create(new AppSpec("HR2", "https://hr2.example.com/", "http://intranet/", null, null, false,
                PreAuthentication.DIRECTORY)).id();
        for (String elsewhere : List.of("https://evil.example.com/acs", "https://hr.example.com/mellon/postResponse",
                "https://hr2.example.com:8443/acs")) {
            assertThat(fields(() -> apps.setSso(id, saml(elsewhere)))).as(elsewhere).containsExactly("saml.acsUrl");
        }
        assertThat(apps.setSso(id, saml("https://hr2.example.com/mellon/postResponse"))).get()
                .extracting(s -> s.saml().acsUrl()).isEqualTo("https://hr2.example.com/mellon/postResponse");
        // The rules of the settings themselves come first, each naming its field.
        assertThatThrownBy(() -> apps.setSso(id, new SsoSettings(SsoMethod.SAML, List.of(), null, new SamlSso("no uri", "http://x/"))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("saml.spEntityId").hasMessageContaining("saml.acsUrl");
    }

    /**
     * Found by the hostile review: an ACS URL whose path starts with the app's but climbs out of it with dot segments
     * (which the browser resolves before it posts the form, {@code %2e} included) sends the app's responses to the path
     * of another app on the same host.
     */
    @Test
    void anAcsUrlThatClimbsOutOfTheAppsPathIsRefused() throws Exception {
        String id = apps.create(new AppSpec("Paths", "https://apps.example.com/hr/", "http://intranet/", null, null, false,
                PreAuthentication.DIRECTORY)).id();
        for (String out : List.of("https://apps.example.com/hr/../payroll/acs", "https://apps.example.com/hr/%2e%2e/payroll/acs",
                "https://apps.example.com/hr/.%2E/payroll/acs", "https://apps.example.com/hr/x/../../payroll/acs",
                "https://apps.example.com/hr/..%5Cpayroll/acs", "https://apps.example.com/hr/./../payroll/acs")) {
            assertThat(fields(() -> apps.setSso(id, saml(out)))).as(out).containsExactly("saml.acsUrl");
        }
        assertThat(apps.setSso(id, saml("https://apps.example.com/hr/mellon/postResponse"))).isPresent();
    }

    @Test
    void theLargestSettingsTheRulesAllowAreStoredWhole() throws Exception {
        String id = apps.create(new AppSpec("HR", HR, "http://intranet/", null, null, false, PreAuthentication.DIRECTORY)).id();
        List<SamlAttribute> attributes = new ArrayList<>();
        for (int i = 0; i < SamlRules.MAX_ATTRIBUTES; i++) {
            String name = "urn:example:" + i + ":";
            attributes.add(new SamlAttribute(name + "x".repeat(SamlRules.MAX_URI - name.length()), HeaderSource.CLAIM,
                    "c".repeat(SsoRules.MAX_NAME), SamlAttribute.NameFormat.URI));
        }
        String pem = Pem.encode(IdpKeys.generate("sp", NOW).certificate());
        // The longest certificate text the rules take: a PEM padded with blanks, which parsing ignores.
        String certificate = pem + " ".repeat(SamlRules.MAX_CERTIFICATE - pem.length());
        SamlSso largest = new SamlSso(HR + "m/" + "e".repeat(SamlRules.MAX_URI - HR.length() - 2), HR + "a/"
                + "a".repeat(SamlRules.MAX_URI - HR.length() - 2), certificate, null, HeaderSource.CLAIM, "n".repeat(SsoRules.MAX_NAME),
                attributes, SamlSso.Signing.BOTH, HR + "r".repeat(SamlRules.MAX_RELAY_STATE - HR.length()));
        SsoSettings settings = new SsoSettings(SsoMethod.SAML, List.of(), null, largest);
        assertThat(SsoRules.check(settings)).isEmpty();
        assertThat(apps.setSso(id, settings)).contains(settings);
        assertThat(apps.sso(id)).contains(settings);
    }

    @Test
    void anEditThatWouldBreakAnAppsSamlIsRefused() throws Exception {
        String id = apps.create(new AppSpec("HR", HR, "http://intranet/", null, null, false, PreAuthentication.DIRECTORY)).id();
        apps.setSso(id, saml(HR + "mellon/postResponse"));
        assertThat(fields(() -> apps.replace(id, spec(HR, true)))).containsExactly("translateHostHeader");
        assertThat(fields(() -> apps.replace(id, spec("https://hr.example.com/hr/", false)))).containsExactly("saml.acsUrl");
        assertThat(apps.get(id).orElseThrow().translateHostHeader()).isFalse();
        // An edit that keeps both goes through, and the app keeps its SAML.
        assertThat(fields(() -> apps.replace(id, new AppSpec("HR renamed", HR, "http://intranet2/", null, null, false,
                PreAuthentication.DIRECTORY)))).isEmpty();
        assertThat(apps.sso(id).orElseThrow().method()).isEqualTo(SsoMethod.SAML);
    }
}
