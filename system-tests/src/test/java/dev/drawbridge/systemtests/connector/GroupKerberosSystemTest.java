package dev.drawbridge.systemtests.connector;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.AdminApiException;
import dev.drawbridge.adminclient.Logs;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.connector.Connector;
import dev.drawbridge.connector.identity.Registration;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.KerberosGroupSettings;
import dev.drawbridge.model.api.KerberosGroupView;
import dev.drawbridge.model.api.NameBody;
import dev.drawbridge.model.api.RegistrationTokenRequest;
import dev.drawbridge.model.api.RegistrationTokenView;
import dev.drawbridge.model.sso.KerberosConfig;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.time.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A connector group's Kerberos settings, end to end: set through the admin API (the keytab must hold a key for the
 * principal; bad settings are 400s naming the field), never returned (the view lists the keytab's principals, the audit
 * log has no keytab), sent at once to the group's connected connectors and to those that connect later, to no
 * connector of another group and to no connector that predates single sign-on; removed from the connectors when deleted.
 */
class GroupKerberosSystemTest {
    static final String PRINCIPAL = "HTTP/connector.corp.example@CORP.EXAMPLE";
    @TempDir
    static Path dir;
    static DrawbridgeStack stack;
    static AdminApi api;

    @BeforeAll
    static void start() throws Exception {
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        api = stack.adminApi();
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    /** A keytab (MIT format 0x0502) with one aes256 key for each principal (random key bytes). */
    static byte[] keytab(String... principals) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(b);
        d.writeShort(0x0502);
        for (String p : principals) {
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            DataOutputStream ed = new DataOutputStream(e);
            String[] nameRealm = p.split("@");
            String[] names = nameRealm[0].split("/");
            ed.writeShort(names.length);
            text(ed, nameRealm[1]);
            for (String n : names) {
                text(ed, n);
            }
            ed.writeInt(1);
            ed.writeInt(1_700_000_000);
            ed.writeByte(2);
            ed.writeShort(18);
            ed.writeShort(32);
            ed.write(new byte[32]);
            d.writeInt(e.size());
            d.write(e.toByteArray());
        }
        return b.toByteArray();
    }

    private static void text(DataOutputStream d, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.writeShort(b.length);
        d.write(b);
    }

    private static Optional<KerberosConfig> kerberosOf(Connector c) {
        return c.groupSettings().kerberos();
    }

    @Test
    void settingsReachTheGroupsConnectorsOnlyAndNeverComeBack() throws Exception {
        Connector before = stack.startConnector(dir.resolve("before"), 2);
        Connector old = stack.startConnectorWithoutSso(dir.resolve("old"), 1);
        ConnectorGroupView other = api.connectorGroups().create(NameBody.named("Other"));
        RegistrationTokenView t = api.connectors().createRegistrationToken(new RegistrationTokenRequest(other.id(), 10));
        Registration.register(stack.adminUrl(), t.token(), t.serverCaSha256(), "test").save(dir.resolve("elsewhere"));
        Connector elsewhere = stack.startConnector(dir.resolve("elsewhere"), 1);
        String defaultGroup = api.connectorGroups().get("Default").id();

        byte[] keytab = keytab(PRINCIPAL, "HTTP/connector.corp.example@CORP.EXAMPLE", "host/connector.corp.example@CORP.EXAMPLE");
        KerberosGroupView view = api.connectorGroups().setKerberos("Default", new KerberosGroupSettings("CORP.EXAMPLE",
                List.of("dc1.corp.example", "dc2.corp.example:88"), "HTTP/connector.corp.example", Base64.getEncoder().encodeToString(keytab)));
        assertThat(view.servicePrincipal()).isEqualTo(PRINCIPAL);
        assertThat(view.keytabPrincipals()).containsExactly(PRINCIPAL, "host/connector.corp.example@CORP.EXAMPLE");
        assertThat(api.connectorGroups().kerberos(defaultGroup)).isEqualTo(view);

        KerberosConfig expected = new KerberosConfig("CORP.EXAMPLE", List.of("dc1.corp.example", "dc2.corp.example:88"), PRINCIPAL, keytab);
        Await.until("the group's connector got the settings", Duration.ofSeconds(10), () -> kerberosOf(before).equals(Optional.of(expected)));
        Connector after = stack.startConnector(dir.resolve("after"), 1);
        Await.until("a connector that connects later gets them too", Duration.ofSeconds(10),
                () -> kerberosOf(after).equals(Optional.of(expected)));
        assertThat(kerberosOf(elsewhere)).as("another group's connector").isEmpty();
        assertThat(kerberosOf(old)).as("a connector without single sign-on").isEmpty();
        assertThat(old.connectedTunnels()).isEqualTo(1);

        // The keytab never comes back: not in the view, not in the audit log, not in the server's log files.
        String keytabB64 = Base64.getEncoder().encodeToString(keytab);
        String audit = api.logs().audit(Paging.LARGEST, Logs.AuditFilter.NONE).toString();
        assertThat(audit).contains("connector-group.kerberos.set").doesNotContain(keytabB64);
        try (var files = Files.walk(dir.resolve("server"))) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> f.toString().endsWith(".log")).toList()) {
                assertThat(Files.readString(f)).doesNotContain(keytabB64);
            }
        }

        api.connectorGroups().removeKerberos(defaultGroup);
        Await.until("the settings are removed from the connectors", Duration.ofSeconds(10),
                () -> kerberosOf(before).isEmpty() && kerberosOf(after).isEmpty());
        assertThatThrownBy(() -> api.connectorGroups().kerberos(defaultGroup))
                .isInstanceOfSatisfying(AdminApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }

    @Test
    void badSettingsAre400sNamingTheField() throws Exception {
        String good = Base64.getEncoder().encodeToString(keytab(PRINCIPAL));
        record Case(KerberosGroupSettings settings, String field) {
        }
        List<Case> cases = List.of(
                new Case(new KerberosGroupSettings("corp.example", List.of("dc1"), PRINCIPAL, good), "realm"),
                new Case(new KerberosGroupSettings("CORP.EXAMPLE", List.of(), PRINCIPAL, good), "kdcs"),
                new Case(new KerberosGroupSettings("CORP.EXAMPLE", List.of("dc1:99999"), PRINCIPAL, good), "kdcs"),
                new Case(new KerberosGroupSettings("CORP.EXAMPLE", List.of("dc1"), "HTTP/x@OTHER.REALM", good), "servicePrincipal"),
                new Case(new KerberosGroupSettings("CORP.EXAMPLE", List.of("dc1"), PRINCIPAL, null), "keytab"),
                new Case(new KerberosGroupSettings("CORP.EXAMPLE", List.of("dc1"), PRINCIPAL, "not base64!"), "keytab"),
                new Case(new KerberosGroupSettings("CORP.EXAMPLE", List.of("dc1"), PRINCIPAL,
                        Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.UTF_8))), "keytab"),
                new Case(new KerberosGroupSettings("CORP.EXAMPLE", List.of("dc1"), PRINCIPAL,
                        Base64.getEncoder().encodeToString(keytab("HTTP/someone.else@CORP.EXAMPLE"))), "keytab"));
        for (Case c : cases) {
            assertThatThrownBy(() -> api.connectorGroups().setKerberos("Default", c.settings())).as(c.toString())
                    .isInstanceOfSatisfying(AdminApiException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.problem().errors()).extracting(f -> f.field()).contains(c.field());
                    });
        }
        assertThatThrownBy(() -> api.connectorGroups().setKerberos("no-such-group", new KerberosGroupSettings("CORP.EXAMPLE",
                List.of("dc1"), PRINCIPAL, good))).isInstanceOfSatisfying(AdminApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }
}
