package dev.drawbridge.console.connectors;

import dev.drawbridge.console.FakeAdminApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.KerberosGroupSettings;
import dev.drawbridge.model.api.KerberosGroupView;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.testsupport.identity.Keytabs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connector group's Kerberos panel against the console's fake admin API: loaded with the selected group (404: not
 * configured), checked with {@link dev.drawbridge.model.api.validation.KerberosRules} as the admin types (the touched
 * rule), the keytab read from a file, never shown, sent once and zeroed whether the server accepts it or not, the
 * server's errors on their fields, removed, unsaved edits kept across the screen's refreshes.
 */
class GroupKerberosTest {
    static final String PRINCIPAL = "HTTP/connector.corp.example@CORP.EXAMPLE";
    @TempDir
    Path dir;
    final FakeAdminApi api = new FakeAdminApi();
    final SyncTasks tasks = new SyncTasks();
    final ConnectorsViewModel vm = new ConnectorsViewModel(api.session(), tasks, tasks, Clock.systemUTC());
    final GroupKerberos k = vm.kerberos();
    Path keytab;

    @BeforeEach
    void groups() throws Exception {
        api.connectorGroups.put("g1", new ConnectorGroupView("g1", "Default", Instant.EPOCH, 1, 1));
        api.connectorGroups.put("g2", new ConnectorGroupView("g2", "Branch", Instant.EPOCH, 0, 0));
        keytab = Files.write(dir.resolve("connector.keytab"), Keytabs.withRandomKey(PRINCIPAL));
        vm.refresh();
    }

    void select(String id) {
        vm.groups().selectedProperty().set(vm.groups().items().stream().filter(g -> g.id().equals(id)).findFirst().orElseThrow());
    }

    String error(String field) {
        return k.errors().error(field).get();
    }

    /** A form that passes the rules. */
    void fill() {
        k.realmProperty().set("CORP.EXAMPLE");
        k.newKdcProperty().set("dc1.corp.example");
        k.addKdc();
        k.principalProperty().set("HTTP/connector.corp.example");
        k.chooseKeytab(keytab);
    }

    @Test
    void aGroupWithoutSettingsIsNotConfiguredAndAGroupWithThemShowsThemWithoutTheKeytab() {
        assertThat(k.stateProperty().get()).isEqualTo(GroupKerberos.NONE_SELECTED);
        assertThat(k.selectedProperty().get()).isFalse();
        select("g1");
        assertThat(api.calls()).contains("connectorGroups.kerberos g1");
        assertThat(k.storedProperty().get()).isNull();
        assertThat(k.stateProperty().get()).startsWith("Not configured");
        assertThat(k.realmProperty().get()).isEmpty();
        // No red before anything is touched, though nothing could be saved yet.
        for (String f : List.of(GroupKerberos.REALM, GroupKerberos.KDCS, GroupKerberos.PRINCIPAL, GroupKerberos.KEYTAB)) {
            assertThat(error(f)).as(f).isEmpty();
        }
        assertThat(k.errors().valid().get()).isFalse();

        KerberosGroupView stored = new KerberosGroupView("CORP.EXAMPLE", List.of("dc1.corp.example", "dc2.corp.example:88"), PRINCIPAL,
                List.of(PRINCIPAL, "host/connector.corp.example@CORP.EXAMPLE"), Instant.parse("2026-11-25T12:00:00Z"));
        api.kerberos.put("g2", stored);
        select("g2");
        assertThat(k.storedProperty().get()).isEqualTo(stored);
        assertThat(k.stateProperty().get()).isEqualTo("Configured: the group's connectors sign in to the KDC as " + PRINCIPAL + ".");
        assertThat(k.realmProperty().get()).isEqualTo("CORP.EXAMPLE");
        assertThat(k.kdcs()).containsExactly("dc1.corp.example", "dc2.corp.example:88");
        assertThat(k.principalProperty().get()).isEqualTo(PRINCIPAL);
        assertThat(k.keytabFileProperty().get()).isEmpty();
        assertThat(k.dirtyProperty().get()).isFalse();
        assertThat(error(GroupKerberos.KEYTAB)).isEmpty();
    }

    /** The rules' problems, each on its field once the field is edited. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "realm|corp.example|The realm is written in capitals",
            "realm|CORP EXAMPLE|The realm is the Kerberos realm",
            "servicePrincipal|HTTP/connector@OTHER.EXAMPLE|The principal must be in the realm CORP.EXAMPLE",
            "servicePrincipal|HTTP/a/b|The principal is the connectors' principal",
            "servicePrincipal|HTTP/x\\y|The principal is the connectors' principal",
            "newKdc|dc1:0|'dc1:0' is not a KDC address",
            "newKdc|dc1:65536|'dc1:65536' is not a KDC address",
            "newKdc|dc1.corp.example/path|'dc1.corp.example/path' is not a KDC address",
            "newKdc|http://dc1|'http://dc1' is not a KDC address",
            "newKdc|dc1.corp.example|This KDC is listed already"})
    void eachProblemShowsOnItsFieldOnceEdited(String field, String value, String message) {
        select("g1");
        fill();
        assertThat(k.errors().valid().get()).isTrue();
        switch (field) {
            case GroupKerberos.REALM -> k.realmProperty().set(value);
            case GroupKerberos.PRINCIPAL -> k.principalProperty().set(value);
            default -> k.newKdcProperty().set(value);
        }
        assertThat(error(field)).startsWith(message);
        assertThat(k.errors().valid().get()).isFalse();
        // Adding a refused KDC adds nothing.
        assertThat(k.addKdc()).isFalse();
        assertThat(k.kdcs()).containsExactly("dc1.corp.example");
    }

    @Test
    void theKdcListIsEditedInOrderAndHoldsOneToTen() {
        select("g1");
        fill();
        k.newKdcProperty().set("[2001:db8::5]:88");
        assertThat(k.addKdc()).isTrue();
        k.newKdcProperty().set("10.0.0.5");
        k.addKdc();
        k.moveKdcUp("10.0.0.5");
        assertThat(k.kdcs()).containsExactly("dc1.corp.example", "10.0.0.5", "[2001:db8::5]:88");
        k.kdcs().clear();
        assertThat(error(GroupKerberos.KDCS)).startsWith("The KDC list lists 1 to 10 KDCs");
        for (int i = 1; i <= 11; i++) {
            k.kdcs().add("dc" + i + ".corp.example");
        }
        assertThat(error(GroupKerberos.KDCS)).startsWith("The KDC list lists 1 to 10 KDCs");
        k.removeKdc("dc11.corp.example");
        assertThat(error(GroupKerberos.KDCS)).isEmpty();
    }

    @Test
    void aFileThatIsNoKeytabIsRefusedWhenChosenAndItsBytesAreNeverShown() throws Exception {
        select("g1");
        fill();
        Path text = Files.writeString(dir.resolve("notes.txt"), "secret-looking-text");
        k.chooseKeytab(text);
        assertThat(error(GroupKerberos.KEYTAB)).isEqualTo("The keytab is not a keytab file (MIT format, at most 64 KiB) (notes.txt)");
        assertThat(k.keytabFileProperty().get()).isEqualTo("notes.txt, 19 bytes");
        Path big = Files.write(dir.resolve("big.keytab"), new byte[64 * 1024 + 1]);
        k.chooseKeytab(big);
        assertThat(error(GroupKerberos.KEYTAB)).startsWith("big.keytab is larger than 64 KiB");
        assertThat(k.heldKeytab()).isNull();
        k.chooseKeytab(dir.resolve("missing.keytab"));
        assertThat(error(GroupKerberos.KEYTAB)).startsWith("Cannot read missing.keytab");
        // Only a file is read: a directory, or a device that never ends, is refused without reading.
        k.chooseKeytab(dir);
        assertThat(error(GroupKerberos.KEYTAB)).endsWith("is not a file: choose the keytab file.");
        if (Files.exists(Path.of("/dev/zero"))) {
            k.chooseKeytab(Path.of("/dev/zero"));
            assertThat(error(GroupKerberos.KEYTAB)).isEqualTo("zero is not a file: choose the keytab file.");
            assertThat(k.heldKeytab()).isNull();
        }
        k.chooseKeytab(keytab);
        assertThat(error(GroupKerberos.KEYTAB)).isEmpty();
        assertThat(k.keytabFileProperty().get()).isEqualTo("connector.keytab, " + Files.size(keytab) + " bytes");
        assertThat(String.join("\n", tasks.notices)).doesNotContain("secret-looking-text");
    }

    @Test
    void aTriedSaveWithErrorsShowsThemAllAndSendsNothing() {
        select("g1");
        k.save();
        assertThat(api.calls()).noneMatch(c -> c.startsWith("connectorGroups.setKerberos"));
        assertThat(error(GroupKerberos.REALM)).startsWith("The realm is the Kerberos realm");
        assertThat(error(GroupKerberos.KDCS)).startsWith("The KDC list lists 1 to 10 KDCs");
        assertThat(error(GroupKerberos.PRINCIPAL)).startsWith("The principal is the connectors' principal");
        assertThat(error(GroupKerberos.KEYTAB)).startsWith("Choose the keytab file of the connectors' principal");
        assertThat(k.errors().firstShown()).contains(GroupKerberos.REALM);
    }

    @Test
    void validSettingsAreSentWithTheKeytabWhoseBytesAreThenZeroed() throws Exception {
        select("g1");
        fill();
        k.newKdcProperty().set("dc2.corp.example:88");
        byte[] held = k.heldKeytab();
        k.save();
        // The typed KDC is taken along; the keytab goes as base64 of the file's bytes.
        KerberosGroupSettings sent = (KerberosGroupSettings) api.body("connectorGroups.setKerberos g1");
        assertThat(sent.realm()).isEqualTo("CORP.EXAMPLE");
        assertThat(sent.kdcs()).containsExactly("dc1.corp.example", "dc2.corp.example:88");
        assertThat(sent.servicePrincipal()).isEqualTo("HTTP/connector.corp.example");
        assertThat(Base64.getDecoder().decode(sent.keytab())).isEqualTo(Files.readAllBytes(keytab));
        assertThat(held).containsOnly(0);
        assertThat(k.heldKeytab()).isNull();
        assertThat(k.keytabFileProperty().get()).isEmpty();
        // Shown as stored: the principal with its realm, what the keytab holds.
        assertThat(k.storedProperty().get().keytabPrincipals()).containsExactly(PRINCIPAL);
        assertThat(k.principalProperty().get()).isEqualTo(PRINCIPAL);
        assertThat(k.dirtyProperty().get()).isFalse();
        assertThat(tasks.notices).containsExactly("info: Kerberos settings saved: Default: realm CORP.EXAMPLE, keytab holds " + PRINCIPAL);
        assertThat(String.join("\n", tasks.notices) + k.stateProperty().get()).doesNotContain(sent.keytab());
        // Another save needs the keytab again.
        k.save();
        assertThat(api.calls().stream().filter(c -> c.startsWith("connectorGroups.setKerberos"))).hasSize(1);
        assertThat(error(GroupKerberos.KEYTAB)).startsWith("Choose the keytab file");
    }

    @Test
    void theServersRefusalLandsOnItsFieldAndTheKeytabIsZeroedAnyway() {
        select("g1");
        fill();
        byte[] held = k.heldKeytab();
        api.fail("connectorGroups.setKerberos", 400, "about:blank", "invalid", new Problem.FieldError("keytab",
                "the keytab has no key for HTTP/connector.corp.example@CORP.EXAMPLE (it holds host/x@CORP.EXAMPLE)"),
                new Problem.FieldError("realm", "the server refuses this realm"));
        k.save();
        assertThat(held).containsOnly(0);
        assertThat(error(GroupKerberos.KEYTAB)).isEqualTo("The keytab has no key for HTTP/connector.corp.example@CORP.EXAMPLE"
                + " (it holds host/x@CORP.EXAMPLE) Choose a keytab again.");
        assertThat(error(GroupKerberos.REALM)).isEqualTo("the server refuses this realm");
        assertThat(tasks.notices).anyMatch(n -> n.startsWith("error: Could not save the Kerberos settings of Default"));
        // The unsaved form survives the screen's refresh; choosing the keytab again clears its error.
        vm.refresh();
        assertThat(k.realmProperty().get()).isEqualTo("CORP.EXAMPLE");
        assertThat(k.kdcs()).containsExactly("dc1.corp.example");
        api.recover("connectorGroups.setKerberos");
        k.chooseKeytab(keytab);
        assertThat(error(GroupKerberos.KEYTAB)).isEmpty();
        k.realmProperty().set("CORP.EXAMPLE ");
        assertThat(error(GroupKerberos.REALM)).isEmpty();
        k.save();
        assertThat(api.kerberos.get("g1").realm()).isEqualTo("CORP.EXAMPLE");

        // Another failure (no field) keeps the form and says so; the keytab is gone again.
        fill();
        api.fail("connectorGroups.setKerberos", 503, "about:blank", "database unavailable");
        k.save();
        assertThat(k.errors().other().get()).contains("database unavailable");
        assertThat(error(GroupKerberos.KEYTAB)).startsWith("Choose the keytab again: it is sent with each save and not kept");
    }

    @Test
    void unsavedEditsSurviveRefreshesDiscardReloadsAndAnotherGroupDropsThemAndTheKeytab() {
        api.kerberos.put("g1", new KerberosGroupView("CORP.EXAMPLE", List.of("dc1.corp.example"), PRINCIPAL, List.of(PRINCIPAL),
                Instant.EPOCH));
        select("g1");
        k.realmProperty().set("OTHER.EXAMPLE");
        k.chooseKeytab(keytab);
        byte[] held = k.heldKeytab();
        vm.refresh();
        assertThat(k.realmProperty().get()).isEqualTo("OTHER.EXAMPLE");
        assertThat(k.dirtyProperty().get()).isTrue();
        k.discard();
        assertThat(k.realmProperty().get()).isEqualTo("CORP.EXAMPLE");
        assertThat(held).containsOnly(0);
        assertThat(k.keytabFileProperty().get()).isEmpty();

        k.chooseKeytab(keytab);
        held = k.heldKeytab();
        k.principalProperty().set("HTTP/x");
        select("g2");
        assertThat(held).containsOnly(0);
        assertThat(k.heldKeytab()).isNull();
        assertThat(k.principalProperty().get()).isEmpty();
        assertThat(k.dirtyProperty().get()).isFalse();
        assertThat(k.stateProperty().get()).startsWith("Not configured");
        vm.groups().selectedProperty().set(null);
        assertThat(k.stateProperty().get()).isEqualTo(GroupKerberos.NONE_SELECTED);
    }

    @Test
    void removingTheSettingsLeavesTheGroupNotConfigured() {
        api.kerberos.put("g1", new KerberosGroupView("CORP.EXAMPLE", List.of("dc1.corp.example"), PRINCIPAL, List.of(PRINCIPAL),
                Instant.EPOCH));
        select("g1");
        k.remove();
        assertThat(api.calls()).contains("connectorGroups.removeKerberos g1");
        assertThat(api.kerberos).doesNotContainKey("g1");
        assertThat(k.storedProperty().get()).isNull();
        assertThat(k.stateProperty().get()).startsWith("Not configured");
        assertThat(tasks.notices).contains("info: Kerberos settings removed: Default: its connectors delete their keytab.");
        // Nothing left to remove: nothing is sent.
        k.remove();
        assertThat(api.calls().stream().filter(c -> c.startsWith("connectorGroups.removeKerberos"))).hasSize(1);
    }

    @Test
    void aLoadFailureOtherThanNotFoundIsReported() {
        api.fail("connectorGroups.kerberos", 500, "about:blank", "database down");
        select("g1");
        assertThat(k.stateProperty().get()).startsWith("Could not load the Kerberos settings");
        assertThat(tasks.notices).anyMatch(n -> n.startsWith("error: Could not load the Kerberos settings of Default"));
    }
}
