package dev.drawbridge.proxy.admin;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.CertificateUpload;
import dev.drawbridge.model.api.ConnectorEvent;
import dev.drawbridge.model.api.ConnectorEventType;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.logs.SignInLog;
import dev.drawbridge.proxy.logs.SignInRecord;
import dev.drawbridge.proxy.pki.CertificateAuthority;
import dev.drawbridge.proxy.pki.CertificateStore;
import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.pki.OwnHosts;
import dev.drawbridge.proxy.pki.Pem;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.PostgresTestDatabase;
import dev.drawbridge.proxy.tunnel.ConnectorEventRecord;
import dev.drawbridge.proxy.tunnel.ConnectorEvents;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.StringWriter;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin plane's stores (roles, connector events, certificates, sign-in statistics) on PostgreSQL. */
class PostgresAdminPlaneTest {
    static Database db;
    @TempDir
    static Path dir;

    @BeforeAll
    static void connect() throws Exception {
        db = PostgresTestDatabase.fresh();
    }

    @AfterAll
    static void close() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void adminPlaneStoresWorkOnPostgres() throws Exception {
        Instant now = Instant.now();
        DirectoryStore directory = new DirectoryStore(db);
        DirectoryUser ada = directory.createUser("ada@corp.example", "Ada", Optional.empty(), Optional.empty(), Optional.empty(), now);
        AdminRoleStore roles = new AdminRoleStore(db);
        roles.setRoles(ada.id(), List.of(AdminRole.SECURITY_READER, AdminRole.HELPDESK_ADMINISTRATOR), now);
        assertThat(roles.roles(ada.id())).containsExactly(AdminRole.HELPDESK_ADMINISTRATOR, AdminRole.SECURITY_READER);
        roles.setRoles(ada.id(), List.of(), now);
        assertThat(roles.roles(ada.id())).isEmpty();

        ConnectorEvents events = new ConnectorEvents(db, Clock.systemUTC());
        events.write(new ConnectorEventRecord("c-1", ConnectorEventType.CONNECTED, "first tunnel up"));
        events.write(new ConnectorEventRecord("c-1", ConnectorEventType.DISCONNECTED, "last tunnel closed"));
        events.write(new ConnectorEventRecord("c-2", ConnectorEventType.CONNECTED, "first tunnel up"));
        var q = new ConnectorEvents.Query(Optional.of("c-1"), Optional.empty(), Optional.empty(), Optional.empty(), 0, 10);
        assertThat(events.query(q, id -> Optional.of("host-" + id))).extracting(ConnectorEvent::type)
                .containsExactly(ConnectorEventType.DISCONNECTED, ConnectorEventType.CONNECTED);
        assertThat(events.query(q, id -> Optional.of("host-" + id)).get(0).connectorName()).isEqualTo("host-c-1");
        assertThat(events.count(new ConnectorEvents.Query(Optional.empty(), Optional.of("connected"), Optional.empty(), Optional.empty(), 0, 10)))
                .isEqualTo(2);

        CertificateAuthority ca = CertificateAuthority.create("PG test root", Duration.ofDays(10), Clock.systemUTC());
        KeyPair key = CertificateAuthority.newKeyPair();
        var leaf = ca.issueServerCertificate(key.getPublic(), List.of("*.contoso.test"), List.of(), Duration.ofDays(5));
        StringWriter pkcs8 = new StringWriter();
        try (PemWriter w = new PemWriter(pkcs8)) {
            w.writeObject(new JcaPKCS8Generator(key.getPrivate(), null).generate());
        }
        CertificateStore certificates = new CertificateStore(db, DataKey.loadOrCreate(dir), Clock.systemUTC(), new OwnHosts("admin.localhost",
                "login.localhost"));
        var view = certificates.add(new CertificateUpload(Pem.encode(leaf) + pkcs8, null, null));
        assertThat(certificates.find("hr.contoso.test")).map(CertificateStore.Loaded::id).contains(view.id());
        assertThat(certificates.covers("a.b.contoso.test")).isFalse();
        // A second store (another node) loads the sealed key back.
        assertThat(new CertificateStore(db, DataKey.loadOrCreate(dir), Clock.systemUTC(), new OwnHosts("admin.localhost",
                "login.localhost")).find("hr.contoso.test")).isPresent();
        assertThat(certificates.delete(view.id())).isTrue();
        assertThat(certificates.list()).isEmpty();

        SignInLog log = new SignInLog(db, Clock.systemUTC());
        log.write(SignInRecord.adminSignIn(SignInResult.SUCCESS, "admin token issued", "127.0.0.1").user(ada)
                .clientType(AccessPolicy.ClientType.NATIVE));
        log.write(SignInRecord.signIn(SignInResult.FAILURE, "bad password", "127.0.0.1").upn(ada.upn()));
        var hours = log.hourly(3);
        assertThat(hours).hasSize(3);
        assertThat(hours.get(2).succeeded()).isEqualTo(1);
        assertThat(hours.get(2).denied()).isEqualTo(1);
    }
}
