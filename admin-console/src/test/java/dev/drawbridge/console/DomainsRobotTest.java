package dev.drawbridge.console;

import dev.drawbridge.console.domains.DomainsView;
import dev.drawbridge.console.domains.DomainsViewModel;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.shell.Guard;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.CertificateUpload;
import dev.drawbridge.model.api.DomainSpec;
import dev.drawbridge.model.api.DomainStatus;
import dev.drawbridge.model.api.DomainView;
import dev.drawbridge.model.api.Problem;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.input.Clipboard;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.testfx.api.FxToolkit;

import java.util.List;

import static dev.drawbridge.console.ConsoleRobot.assertDenied;
import static dev.drawbridge.console.ConsoleRobot.await;
import static dev.drawbridge.console.ConsoleRobot.column;
import static dev.drawbridge.console.ConsoleRobot.fx;
import static dev.drawbridge.console.ConsoleRobot.interact;
import static dev.drawbridge.console.ConsoleRobot.robot;
import static dev.drawbridge.console.ConsoleRobot.set;
import static dev.drawbridge.console.ConsoleRobot.shown;
import static dev.drawbridge.console.ConsoleRobot.snapshot;
import static dev.drawbridge.console.ConsoleRobot.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Domains screen in a real window (TestFX; headless Monocle), over the console's fake admin API, clicked as an admin
 * would: a domain added (the empty name refused in the dialog, the server's refusal shown on the name), its DNS record
 * shown and copied, a CSR created and copied, a certificate uploaded (the server's refusal shown on the PEM field first),
 * the domain deleted after the confirmation; and a reader without DOMAINS_WRITE who sees every change denied.
 */
class DomainsRobotTest extends RobotTest {
    static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIC\n-----END CERTIFICATE-----\n";
    static final String ISSUED = "-----BEGIN CERTIFICATE-----\nMIID\n-----END CERTIFICATE-----\n";


    @AfterEach
    void hide() throws Exception {
        FxToolkit.cleanupStages();
    }

    private void open(Permissions perms) throws Exception {
        DomainsViewModel vm = new DomainsViewModel(api, tasks, tasks);
        stage = FxToolkit.setupStage(s -> {
            Scene scene = new Scene((Parent) new DomainsView(vm, perms).root(), 1280, 800);
            scene.getStylesheets().add(ConsoleApp.class.getResource("console.css").toExternalForm());
            s.setScene(scene);
            s.show();
        });
        interact(vm::refresh);
    }

    private static String area(String query) throws Exception {
        return fx(() -> robot.lookup(query).queryTextInputControl().getText());
    }

    private static String clipboard() throws Exception {
        return fx(() -> Clipboard.getSystemClipboard().getString());
    }

    private static boolean disabled(String query) throws Exception {
        return fx(() -> robot.lookup(query).query().isDisabled());
    }

    private static boolean dialog(String query) throws Exception {
        return fx(() -> robot.lookup(query).tryQuery().isPresent());
    }

    @Test
    void aDomainIsAddedGivenACsrAndACertificateAndDeleted() throws Exception {
        open(Permissions.ALL);
        assertThat(column("#domains-table", "Domain")).isEmpty();
        assertThat(disabled("#domain-dns-copy")).as("nothing to copy").isTrue();

        // Add: the empty name is refused in the dialog, then the server's refusal shows on the name.
        robot.clickOn("#domain-add");
        await("the add dialog", () -> dialog("#domain-name"));
        robot.clickOn("#form-ok");
        await("the name's error", () -> shown("#domain-name-error"));
        assertThat(text("#domain-name-error")).isEqualTo("Enter the domain, like apps.contoso.com.");
        api.fail("domains.add", 400, "about:blank", "invalid", new Problem.FieldError("name",
                "'contoso' is not a domain name: give at least two labels, like apps.contoso.com"));
        set("#domain-name", "contoso");
        robot.clickOn("#form-ok");
        await("the server's error on the name", () -> text("#domain-name-error").startsWith("'contoso' is not a domain name"));
        assertThat(dialog("#domain-name")).as("the dialog stays open").isTrue();
        api.recover("domains.add");
        set("#domain-name", "apps.contoso.com");
        robot.clickOn("#form-ok");
        await("the dialog closed", () -> !dialog("#domain-name"));
        assertThat(api.body("domains.add")).isEqualTo(new DomainSpec("apps.contoso.com"));
        assertThat(column("#domains-table", "Domain")).containsExactly("apps.contoso.com");
        assertThat(column("#domains-table", "Status")).containsExactly(DomainStatus.CERTIFICATE_MISSING.name());

        // The DNS record of the new (selected) domain, copied.
        assertThat(area("#domain-dns")).isEqualTo("*.apps.contoso.com. CNAME login.example.com.");
        robot.clickOn("#domain-dns-copy");
        assertThat(clipboard()).isEqualTo("*.apps.contoso.com. CNAME login.example.com.");
        assertThat(disabled("#domain-csr-pem-copy")).as("no CSR yet").isTrue();

        // A CSR, shown and copied.
        robot.clickOn("#domain-csr");
        await("the CSR", () -> area("#domain-csr-pem").equals(FakeDomains.CSR));
        assertThat(column("#domains-table", "Status")).containsExactly(DomainStatus.CSR_PENDING.name());
        robot.clickOn("#domain-csr-pem-copy");
        assertThat(clipboard()).isEqualTo(FakeDomains.CSR);
        snapshot(stage.getScene(), "domains-csr");

        // The certificate: the server's refusal on the PEM field, then stored.
        robot.clickOn("#domain-certificate");
        await("the certificate dialog", () -> dialog("#domain-certificate-pem"));
        api.fail("domains.certificate", 400, "about:blank", "invalid", new Problem.FieldError("pem",
                "the certificate's key is not the key of the pending CSR"));
        interact(() -> robot.lookup("#domain-certificate-pem").queryTextInputControl().setText(PEM));
        robot.clickOn("#form-ok");
        await("the server's error on the PEM", () -> shown("#domain-certificate-pem-error"));
        assertThat(text("#domain-certificate-pem-error")).isEqualTo("the certificate's key is not the key of the pending CSR");
        assertThat(column("#domains-table", "Status")).containsExactly(DomainStatus.CSR_PENDING.name());
        api.recover("domains.certificate");
        // The refused PEM keeps its error until changed: the admin pastes the certificate issued for the CSR.
        interact(() -> robot.lookup("#domain-certificate-pem").queryTextInputControl().setText(ISSUED));
        await("the error gone once changed", () -> !shown("#domain-certificate-pem-error"));
        robot.clickOn("#form-ok");
        await("the dialog closed", () -> !dialog("#domain-certificate-pem"));
        assertThat(((CertificateUpload) api.body("domains.certificate d1")).pem()).isEqualTo(ISSUED);
        assertThat(column("#domains-table", "Status")).containsExactly(DomainStatus.READY.name());
        assertThat(area("#domain-csr-pem")).as("the CSR is used up").isEmpty();

        // Delete, confirmed.
        robot.clickOn("#domain-delete");
        await("the confirmation", () -> robot.lookup("OK").tryQuery().isPresent());
        robot.clickOn("OK");
        await("the domain gone", () -> column("#domains-table", "Domain").isEmpty());
        assertThat(api.domains).isEmpty();
        assertThat(api.calls()).contains("domains.delete d1");
    }

    @Test
    void aDomainWithUncoveredHostsWarnsAndAReaderMayChangeNothing() throws Exception {
        DomainView d = FakeDomains.domain("d1", "apps.contoso.com", DomainStatus.CERTIFICATE_MISSING, "");
        api.domains.put("d1", new DomainView(d.id(), d.name(), d.status(), d.dnsRecords(), d.certificateId(), d.csrPem(),
                List.of("hr.apps.contoso.com"), d.createdAt()));
        open(Permissions.of(List.of(AdminRole.APPLICATION_ADMINISTRATOR)));
        interact(() -> robot.lookup("#domains-table").queryTableView().getSelectionModel().select(0));
        assertThat(text("#domain-warning")).isEqualTo("No certificate covers hr.apps.contoso.com: browsers will refuse these hosts until one is uploaded.");
        String reason = fx(() -> (String) robot.lookup("#domain-add").query().getProperties().get(Guard.DENIED));
        assertThat(reason).isNotBlank();
        for (String id : List.of("#domain-add", "#domain-csr", "#domain-certificate", "#domain-delete")) {
            assertDenied(stage.getScene().getRoot(), id, reason);
        }
        robot.clickOn("#domain-dns-copy");
        assertThat(clipboard()).as("a reader still copies the record").isEqualTo("*.apps.contoso.com. CNAME login.example.com.");
    }
}
