package dev.drawbridge.proxy.admin.apps;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SsoPreview;
import dev.drawbridge.model.api.SsoPreviewRequest;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.sso.KerberosConfig;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.admin.operation.FakeAdminRequest;
import dev.drawbridge.proxy.apps.AppService;
import dev.drawbridge.proxy.apps.AppStore;
import dev.drawbridge.proxy.apps.AppValidator;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.Routes;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.identity.SyncedUser;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.preauth.Assignments;
import dev.drawbridge.proxy.saml.SamlSetup;
import dev.drawbridge.proxy.sso.KerberosGroupStore;
import dev.drawbridge.proxy.sso.preview.SsoPreviews;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.tunnel.ConnectorPicker;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import dev.drawbridge.proxy.vault.Vault;
import dev.drawbridge.proxy.vault.VaultStore;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.drawbridge.proxy.store.db.Tables.DIRECTORY_GROUP;
import static dev.drawbridge.proxy.store.db.Tables.GROUP_MEMBER;

/**
 * The SSO preview over embedded H2 with the server's own stores (directory, vault, connector groups' Kerberos settings,
 * apps with the SAML checks) and a data key: {@link AppSsoPreviewApi} as the route runs it, with a stand-in for the
 * connectors this server has (ready unless a test says otherwise), and helpers for users, groups and apps.
 */
final class SsoPreviewFixture implements AutoCloseable {
    static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    static final Caller ADMIN = Caller.BOOTSTRAP;

    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final Database db;
    final DirectoryStore directory;
    final AppStore appStore;
    final AppService apps;
    final AppSsoApi sso;
    final Vault vault;
    final KerberosGroupStore kerberos;
    final AuditLog audit;
    final String group;
    final AppSsoPreviewApi api;
    /** What a request of the app's group finds now. */
    volatile ConnectorPicker.Reach reach = ConnectorPicker.Reach.READY;
    /** The last {@code sso} flag the preview asked the connectors about. */
    volatile Boolean askedSso;
    private int synced;

    SsoPreviewFixture(Path dir) throws Exception {
        db = Database.h2(dir);
        DataKey key = DataKey.loadOrCreate(dir);
        ConnectorStore connectors = new ConnectorStore(db);
        group = connectors.ensureDefaultGroup(NOW).id();
        directory = new DirectoryStore(db);
        appStore = new AppStore(db);
        apps = new AppService(appStore, connectors, new AppValidator("example.com", 443), new Routes(appStore), clock, SamlSetup.ssoChecks());
        audit = new AuditLog(db, clock);
        sso = new AppSsoApi(apps, audit);
        vault = new Vault(new VaultStore(db, key), clock);
        kerberos = new KerberosGroupStore(db, key);
        SsoPreviews previews = new SsoPreviews(Assignments.of(directory), kerberos, vault, new SsoPreviews.Connectors() {
            @Override
            public ConnectorPicker.Reach reach(String groupId, boolean sso) {
                askedSso = sso;
                return groupId.equals(group) ? reach : ConnectorPicker.Reach.NONE_CONNECTED;
            }

            @Override
            public String groupName(String groupId) {
                return groupId.equals(group) ? ConnectorStore.DEFAULT_GROUP : groupId;
            }
        });
        api = new AppSsoPreviewApi(appStore, apps, directory, previews);
    }

    /** A local user (no on-premises names) with an e-mail address and a department. */
    DirectoryUser user(String upn, String name, String email, String department) throws Exception {
        return directory.createUser(upn, name, Optional.ofNullable(email), Optional.ofNullable(department), Optional.empty(), NOW);
    }

    /** A user synced from an on-premises directory, with its on-premises UPN and SAM account name. */
    DirectoryUser synced(String upn, String name, String onPremUpn, String sam) throws Exception {
        String dn = "cn=u" + (++synced) + ",dc=corp";
        directory.upsertSyncedUser(new SyncedUser(dn, upn, name, Optional.empty(), Optional.empty(), Optional.ofNullable(onPremUpn),
                Optional.ofNullable(sam)), NOW);
        return directory.userByUpn(upn).orElseThrow();
    }

    /** {@code user} in the groups named (made on first use). */
    void member(DirectoryUser user, String... groups) throws Exception {
        for (String g : groups) {
            String id = directory.group(g).isPresent() ? directory.group(g).get().id() : directory.createGroup(g, Optional.empty(), NOW).id();
            directory.addMember(id, user.id());
        }
    }

    /** {@code user} in {@code count} new groups named {@code prefix} and a number, written in one transaction. */
    void memberOfMany(DirectoryUser user, String prefix, int count) {
        db.dsl().transaction(t -> {
            for (int i = 0; i < count; i++) {
                String id = UUID.randomUUID().toString();
                t.dsl().insertInto(DIRECTORY_GROUP).set(DIRECTORY_GROUP.ID, id).set(DIRECTORY_GROUP.NAME, prefix + "%03d".formatted(i))
                        .set(DIRECTORY_GROUP.CREATED_AT, NOW.atOffset(ZoneOffset.UTC)).execute();
                t.dsl().insertInto(GROUP_MEMBER).set(GROUP_MEMBER.GROUP_ID, id).set(GROUP_MEMBER.USER_ID, user.id()).execute();
            }
        });
    }

    /** A pre-authenticated app at https://{label}.example.com/ open to every signed-in user, with {@code settings}. */
    PublishedApp app(String label, SsoSettings settings) throws Exception {
        return app(label, PreAuthentication.DIRECTORY, false, settings);
    }

    PublishedApp app(String label, PreAuthentication preAuth, boolean assignmentRequired, SsoSettings settings) throws Exception {
        String id = apps.create(new AppSpec(label, "https://" + label + ".example.com/", "http://" + label + ".corp:8080/", null, null, false,
                preAuth, new AccessSettings(assignmentRequired, true, true, false))).id();
        if (settings != null) {
            apps.setSso(id, settings);
        }
        return appStore.find(id).orElseThrow();
    }

    /** The Default group's Kerberos settings with realm {@code realm}. */
    void kerberosRealm(String realm) {
        kerberos.put(group, new KerberosConfig(realm, List.of("kdc.corp"), "HTTP/connector.corp@" + realm, new byte[]{5, 2, 0, 0}), NOW);
    }

    /** The preview of {@code app}'s stored settings for {@code user} (id or UPN). */
    SsoPreview preview(PublishedApp app, String user) throws Exception {
        return preview(app, user, null);
    }

    /** The preview of {@code draft} (null: the stored settings) of {@code app} for {@code user}. */
    SsoPreview preview(PublishedApp app, String user, SsoSettings draft) throws Exception {
        Answer.Json a = (Answer.Json) api.preview(ADMIN, new FakeAdminRequest().path("id", app.id()).body(new SsoPreviewRequest(user, draft)));
        return (SsoPreview) a.body();
    }

    @Override
    public void close() throws Exception {
        db.close();
    }
}
