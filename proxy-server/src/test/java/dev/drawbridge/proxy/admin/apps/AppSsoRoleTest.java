package dev.drawbridge.proxy.admin.apps;

import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.KerberosSso;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.admin.operation.FakeAdminRequest;
import dev.drawbridge.proxy.apps.AppService;
import dev.drawbridge.proxy.apps.AppStore;
import dev.drawbridge.proxy.apps.AppValidator;
import dev.drawbridge.proxy.apps.Routes;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Review of issue 10 (review10b): a cloud application administrator holds neither PROXY_SETTINGS_WRITE nor
 * CONNECTORS_WRITE ("as application administrator, without proxy settings and without connectors"), yet
 * {@code PUT /apps/{id}/sso} needs only APPS_WRITE. With method KERBEROS that role can make the connector group's keytab
 * mint service tickets on behalf of every user of an app, for ANY SPN on the connector account's delegation list
 * (e.g. another app's {@code HTTP/payroll.corp}), and have them sent to this app's backend, which can relay them to the
 * real service (the connector's mutual-authentication check comes after the token was delivered). Entra keeps
 * application-proxy single sign-on out of the cloud application administrator's reach for the same reason.
 * Expected: 403 and nothing stored; today the settings are saved.
 */
class AppSsoRoleTest {
    static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    @TempDir
    Path dir;
    Database db;
    AppService apps;
    AppSsoApi api;
    String app;

    @BeforeEach
    void open() throws Exception {
        db = Database.h2(dir);
        ConnectorStore connectors = new ConnectorStore(db);
        connectors.ensureDefaultGroup(NOW);
        AppStore store = new AppStore(db);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        apps = new AppService(store, connectors, new AppValidator("example.com", 443), new Routes(store), clock);
        api = new AppSsoApi(apps, new AuditLog(db, clock));
        app = apps.create(new AppSpec("Wiki", "https://wiki.example.com/", "http://wiki.corp/", null, null, null,
                PreAuthentication.DIRECTORY)).id();
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    @Test
    void aCloudApplicationAdministratorCannotPointKerberosDelegationAtAnotherServicesSpn() {
        Caller cloudAppAdmin = new Caller("cloud-admin", Optional.of("u1"), "Cloud app admin",
                List.of(AdminRole.CLOUD_APPLICATION_ADMINISTRATOR));
        SsoSettings kerberos = new SsoSettings(SsoMethod.KERBEROS, List.of(),
                new KerberosSso("HTTP/payroll.corp.example", KerberosSso.LoginIdentity.UPN, true), null);
        assertThatThrownBy(() -> api.replace(cloudAppAdmin, new FakeAdminRequest().path("id", app).body(kerberos)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.problem().status()).isEqualTo(403));
        assertThat(apps.sso(app)).contains(SsoSettings.NONE);
    }
}
