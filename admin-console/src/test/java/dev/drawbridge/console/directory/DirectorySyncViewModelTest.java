package dev.drawbridge.console.directory;

import dev.drawbridge.console.FakeAdminApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.model.api.DirectorySyncResult;
import dev.drawbridge.model.api.LdapSyncSettings;
import dev.drawbridge.model.api.Problem;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.drawbridge.console.directory.DirectorySyncViewModel.BIND_PASSWORD;
import static dev.drawbridge.console.directory.DirectorySyncViewModel.INTERVAL;
import static dev.drawbridge.console.directory.DirectorySyncViewModel.URL;
import static dev.drawbridge.console.directory.DirectorySyncViewModel.USER_BASE;
import static org.assertj.core.api.Assertions.assertThat;

class DirectorySyncViewModelTest {
    final FakeAdminApi api = new FakeAdminApi();
    final SyncTasks tasks = new SyncTasks();
    final AtomicInteger synced = new AtomicInteger();
    final DirectorySyncViewModel vm = new DirectorySyncViewModel(api, tasks, tasks, synced::incrementAndGet);

    static LdapSyncSettings stored(String password) {
        return new LdapSyncSettings("ldaps://dc1.corp.example:636", "cn=sync,dc=corp,dc=example", password, "ou=people,dc=corp,dc=example",
                null, "mail", null, null, null, "ou=groups,dc=corp,dc=example", null, null, 60, true);
    }

    @Test
    void notConfiguredIsAnEmptyFormThatChecksAsTheAdminTypes() {
        vm.refresh();
        assertThat(vm.configuredProperty().get()).isFalse();
        assertThat(vm.stateProperty().get()).startsWith("Not configured");
        assertThat(tasks.notices).isEmpty();
        // An empty form is invalid but shows no error until a field is touched or a save is tried.
        assertThat(vm.errors().found(URL).get()).startsWith("URL is required");
        assertThat(vm.errors().error(URL).get()).isEmpty();
        assertThat(vm.errors().valid().get()).isFalse();

        vm.urlProperty().set("dc1.corp.example");
        assertThat(vm.errors().error(URL).get()).isEqualTo("URL must start with ldap:// or ldaps://");
        vm.urlProperty().set("ldap://127.0.0.1:3890");
        vm.userBaseProperty().set("ou=people,dc=corp,dc=example");
        vm.intervalProperty().set("ten");
        assertThat(vm.errors().error(INTERVAL).get()).contains("whole number");
        vm.intervalProperty().set("20000");
        assertThat(vm.errors().error(INTERVAL).get()).contains("10080");
        vm.intervalProperty().set("15");
        vm.bindDnProperty().set("cn=sync,dc=corp,dc=example");
        assertThat(vm.errors().found(BIND_PASSWORD).get()).contains("password of the bind DN");
        assertThat(vm.errors().error(BIND_PASSWORD).get()).isEmpty();
        vm.errors().touch(BIND_PASSWORD);
        assertThat(vm.errors().error(BIND_PASSWORD).get()).contains("password of the bind DN");
        vm.bindPasswordProperty().set("sync-secret");
        assertThat(vm.errors().valid().get()).isTrue();
        assertThat(vm.dirtyProperty().get()).isTrue();
        // Sync now needs saved settings: 409 says so.
        api.fail("directorySync.run", 409, "about:blank", "configure directory sync first");
        vm.syncNow();
        assertThat(vm.resultProperty().get()).isEqualTo("Failed: Directory sync is not configured on the server: save the settings first.");
    }

    @Test
    void theConnectorGroupIsLoadedSentAndItsServerErrorShownOnTheField() {
        api.directorySync = stored("********").withConnectorGroup("Branch office");
        vm.refresh();
        assertThat(vm.connectorGroupProperty().get()).isEqualTo("Branch office");
        assertThat(vm.stateProperty().get()).endsWith("through connector group Branch office.");

        api.fail("directorySync.configure", 400, "about:blank", "invalid",
                new Problem.FieldError("connectorGroup", "no connector group named or with id 'Nowhere'"));
        vm.connectorGroupProperty().set("Nowhere");
        // Another route for the stored password: it must be entered again before anything is sent.
        assertThat(vm.errors().found(DirectorySyncViewModel.BIND_PASSWORD).get()).startsWith("Enter the bind password again");
        int sent = api.calls().size();
        vm.save();
        assertThat(api.calls()).hasSize(sent);
        assertThat(vm.errors().error(DirectorySyncViewModel.BIND_PASSWORD).get()).startsWith("Enter the bind password again");
        vm.bindPasswordProperty().set("sync-secret");
        vm.save();
        assertThat(vm.errors().error(DirectorySyncViewModel.CONNECTOR_GROUP).get()).contains("Nowhere");
        assertThat(((LdapSyncSettings) api.body("directorySync.configure")).connectorGroup()).isEqualTo("Nowhere");

        // Emptying the field asks for a direct connection (an absent field would keep the stored group).
        vm.connectorGroupProperty().set("  ");
        assertThat(vm.errors().error(DirectorySyncViewModel.CONNECTOR_GROUP).get()).isEmpty();
        api.recover("directorySync.configure");
        vm.save();
        assertThat(((LdapSyncSettings) api.body("directorySync.configure")).connectorGroup()).isEmpty();
    }

    @Test
    void aNewUrlOrBindDnAsksForTheStoredPasswordAgain() {
        api.directorySync = stored("********");
        vm.refresh();
        assertThat(vm.errors().valid().get()).isTrue();
        vm.urlProperty().set("ldaps://attacker.example:636");
        assertThat(vm.errors().found(DirectorySyncViewModel.BIND_PASSWORD).get()).startsWith("Enter the bind password again");
        vm.urlProperty().set(stored("x").url());
        assertThat(vm.errors().valid().get()).isTrue();
        vm.bindDnProperty().set("cn=other,dc=corp,dc=example");
        assertThat(vm.errors().found(DirectorySyncViewModel.BIND_PASSWORD).get()).startsWith("Enter the bind password again");
        vm.bindPasswordProperty().set("other-secret");
        assertThat(vm.errors().valid().get()).isTrue();
    }

    @Test
    void savesWithoutResendingTheStoredPasswordAndShowsTheServersFieldErrors() {
        api.directorySync = stored("********");
        vm.refresh();
        assertThat(vm.passwordStoredProperty().get()).isTrue();
        assertThat(vm.bindPasswordProperty().get()).isEmpty();
        assertThat(vm.intervalProperty().get()).isEqualTo("60");
        assertThat(vm.errors().valid().get()).isTrue();
        assertThat(vm.dirtyProperty().get()).isFalse();

        api.fail("directorySync.configure", 400, "about:blank", "invalid", new Problem.FieldError("userBase", "userBase is not a DN"));
        vm.userBaseProperty().set("people");
        vm.save();
        assertThat(vm.errors().error(USER_BASE).get()).isEqualTo("userBase is not a DN");
        assertThat(((LdapSyncSettings) api.body("directorySync.configure")).bindPassword()).isNull();

        vm.userBaseProperty().set("ou=staff,dc=corp,dc=example");
        assertThat(vm.errors().error(USER_BASE).get()).isEmpty();
        api.recover("directorySync.configure");
        vm.save();
        LdapSyncSettings sent = (LdapSyncSettings) api.body("directorySync.configure");
        assertThat(sent.userBase()).isEqualTo("ou=staff,dc=corp,dc=example");
        assertThat(sent.bindPassword()).isNull();
        assertThat(sent.userFilter()).isNull();
        assertThat(sent.intervalMinutes()).isEqualTo(60);
        assertThat(vm.dirtyProperty().get()).isFalse();
        assertThat(tasks.notices).anyMatch(n -> n.startsWith("info: Directory sync saved"));
    }

    @Test
    void syncNowShowsTheCountsOrTheLdapError() {
        api.directorySync = stored("********");
        vm.refresh();
        api.syncResult = new DirectorySyncResult(Instant.parse("2026-11-26T00:00:00Z"), 2, 0, 0, 1, 0, List.of());
        vm.syncNow();
        assertThat(vm.resultProperty().get()).isEqualTo("Synced: 2 users created, 0 updated, 0 disabled; 1 group created, 0 updated");
        assertThat(vm.resultOkProperty().get()).isTrue();
        assertThat(synced.get()).isEqualTo(1);

        api.fail("directorySync.run", 502, "about:blank", "LDAP answered 49 (invalid credentials)");
        vm.syncNow();
        assertThat(vm.resultProperty().get()).isEqualTo("Failed: The LDAP server refused: LDAP answered 49 (invalid credentials)");
        assertThat(vm.resultOkProperty().get()).isFalse();
        assertThat(synced.get()).isEqualTo(1);
    }

    @Test
    void theOnPremisesAttributesShowTheNamesInUseAndAnEmptyOneIsSentAsNotSynced() {
        vm.refresh();
        assertThat(vm.onPremUpnAttributeProperty().get()).as("not configured: AD's").isEqualTo("userPrincipalName");
        assertThat(vm.samAccountNameAttributeProperty().get()).isEqualTo("sAMAccountName");

        api.directorySync = stored("********").withOnPremAttributes("krbCanonicalName", "");
        vm.refresh();
        assertThat(vm.onPremUpnAttributeProperty().get()).isEqualTo("krbCanonicalName");
        assertThat(vm.samAccountNameAttributeProperty().get()).as("not synced").isEmpty();
        vm.save();
        LdapSyncSettings sent = (LdapSyncSettings) api.body("directorySync.configure");
        assertThat(sent.onPremUpnAttribute()).isEqualTo("krbCanonicalName");
        assertThat(sent.samAccountNameAttribute()).as("empty, not absent: an absent one would keep what is stored").isEmpty();

        vm.onPremUpnAttributeProperty().set("userPrincipalName)(cn=*");
        assertThat(vm.errors().error(DirectorySyncViewModel.ON_PREM_UPN_ATTRIBUTE).get()).startsWith("Not an LDAP attribute name");
        int sentBefore = api.calls().size();
        vm.save();
        assertThat(api.calls()).hasSize(sentBefore);
        vm.onPremUpnAttributeProperty().set(" ");
        vm.samAccountNameAttributeProperty().set(" uid ");
        assertThat(vm.errors().valid().get()).isTrue();
        vm.save();
        sent = (LdapSyncSettings) api.body("directorySync.configure");
        assertThat(sent.onPremUpnAttribute()).isEmpty();
        assertThat(sent.samAccountNameAttribute()).isEqualTo("uid");
    }

    @Test
    void aRefreshKeepsUnsavedChanges() {
        api.directorySync = stored("********");
        vm.refresh();
        vm.groupBaseProperty().set("ou=teams,dc=corp,dc=example");
        vm.refresh();
        assertThat(vm.groupBaseProperty().get()).isEqualTo("ou=teams,dc=corp,dc=example");
    }
}
