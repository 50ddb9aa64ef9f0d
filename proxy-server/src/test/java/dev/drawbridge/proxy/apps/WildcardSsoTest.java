package dev.drawbridge.proxy.apps;

import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.FormsSso;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.KerberosSso;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.proxy.pki.OwnHosts;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import dev.drawbridge.proxy.web.ValidationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Single sign-on that hands the backend a credential (a Kerberos ticket for one fixed SPN, a vaulted password: the user's or
 * the app's shared one) is refused for a wildcard app: its backend is whatever host the client's label names
 * ({@code evil.apps.example.com} reaches {@code evil.corp.local}, a host any domain user may be able to register in DNS),
 * so the credential meant for one server would go to every host of the internal domain. Refused when set on a wildcard
 * app and when an app that has it is made a wildcard app; header-based sign-on (no secret; the assertion names the host)
 * stays allowed.
 */
class WildcardSsoTest {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
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
        AppValidator validator = new AppValidator("example.com", 443, new OwnHosts("admin.example.com", "login.example.com"),
                host -> host.endsWith(".apps.example.com"));
        apps = new AppService(store, connectors, validator, new Routes(store), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    static Stream<SsoSettings> credentials() {
        return Stream.of(
                new SsoSettings(SsoMethod.KERBEROS, List.of(), new KerberosSso("HTTP/intranet.corp.local", null, false), null),
                SsoSettings.basic(BasicSso.USER),
                SsoSettings.basic(BasicSso.SHARED),
                SsoSettings.forms(new FormsSso("/login", "user", "pass", BasicSso.Credentials.SHARED)));
    }

    private static AppSpec spec(String external, String internal) {
        return new AppSpec("Sites", external, internal, null, null, null, PreAuthentication.DIRECTORY);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("credentials")
    void aCredentialIsNeverSetOnAWildcardApp(SsoSettings sso) throws Exception {
        AppView wild = apps.create(spec("https://*.apps.example.com/", "http://*.corp.local/"));
        assertThatThrownBy(() -> apps.setSso(wild.id(), sso)).isInstanceOfSatisfying(ValidationException.class,
                e -> assertThat(e.errors()).anySatisfy(f -> {
                    assertThat(f.field()).isEqualTo("method");
                    assertThat(f.message()).contains("wildcard");
                }));
        assertThat(apps.sso(wild.id())).contains(SsoSettings.NONE);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("credentials")
    void anAppWithACredentialIsNeverMadeAWildcardApp(SsoSettings sso) throws Exception {
        AppView one = apps.create(spec("https://intranet.apps.example.com/", "http://intranet.corp.local/"));
        apps.setSso(one.id(), sso);
        assertThatThrownBy(() -> apps.replace(one.id(), spec("https://*.apps.example.com/", "http://*.corp.local/")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors())
                        .anySatisfy(f -> assertThat(f.field()).isEqualTo("method")));
        assertThat(apps.get(one.id()).orElseThrow().externalUrl()).isEqualTo("https://intranet.apps.example.com/");
    }

    @Test
    void headerBasedSignOnStaysAllowed() throws Exception {
        AppView wild = apps.create(spec("https://*.apps.example.com/", "http://*.corp.local/"));
        SsoSettings headers = SsoSettings.headers(List.of(HeaderRule.of("X-Remote-User", HeaderSource.UPN)));
        assertThat(apps.setSso(wild.id(), headers)).contains(headers);
    }
}
