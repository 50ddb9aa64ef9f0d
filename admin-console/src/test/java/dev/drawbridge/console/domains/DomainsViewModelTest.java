package dev.drawbridge.console.domains;

import dev.drawbridge.console.FakeAdminApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.console.certificates.CertificateForm;
import dev.drawbridge.model.api.CertificateUpload;
import dev.drawbridge.model.api.DomainSpec;
import dev.drawbridge.model.api.DomainStatus;
import dev.drawbridge.model.api.Problem;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DomainsViewModel} against the fake API: adding a domain shows the DNS record to create, a CSR is shown to copy,
 * the issued certificate is sent for the selected domain, a refusal lands on the form's field and keeps the dialog open.
 */
class DomainsViewModelTest {
    final FakeAdminApi api = new FakeAdminApi();
    final SyncTasks tasks = new SyncTasks();
    final DomainsViewModel vm = new DomainsViewModel(api, tasks, tasks);
    final AtomicInteger closed = new AtomicInteger();

    @Test
    void aDomainIsAddedItsRecordShownItsCsrCopiedAndItsCertificateSent() {
        vm.refresh();
        assertThat(vm.domains().items()).isEmpty();
        DomainForm form = new DomainForm();
        form.nameProperty().set(" apps.contoso.com ");
        vm.add(form, closed::incrementAndGet);
        assertThat(closed.get()).isEqualTo(1);
        assertThat(api.body("domains.add")).isEqualTo(new DomainSpec("apps.contoso.com"));
        assertThat(vm.domains().selected().name()).isEqualTo("apps.contoso.com");
        assertThat(vm.recordsText().get()).isEqualTo("*.apps.contoso.com. CNAME login.example.com.");
        assertThat(tasks.notices).anySatisfy(n -> assertThat(n).contains("CNAME login.example.com"));
        assertThat(vm.csrText().get()).isEmpty();

        vm.createCsr(vm.domains().selected());
        assertThat(vm.domains().selected().status()).isEqualTo(DomainStatus.CSR_PENDING);
        assertThat(vm.csrText().get()).startsWith("-----BEGIN CERTIFICATE REQUEST-----");

        CertificateForm cert = CertificateForm.pem();
        cert.pemProperty().set("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----");
        vm.uploadCertificate(vm.domains().selected(), cert, closed::incrementAndGet);
        assertThat(closed.get()).isEqualTo(2);
        assertThat(api.body("domains.certificate d1")).isEqualTo(new CertificateUpload(cert.pemProperty().get(), null, null));
        assertThat(vm.domains().selected().status()).isEqualTo(DomainStatus.READY);
        assertThat(vm.domains().items()).hasSize(1);

        vm.delete(vm.domains().selected());
        assertThat(vm.domains().items()).isEmpty();
    }

    @Test
    void aRefusedNameLandsOnItsFieldAndTheDialogStaysOpen() {
        api.fail("domains.add", 400, "about:blank", "invalid",
                new Problem.FieldError("name", "'localhost' is the server's own domain localhost or contains it"));
        DomainForm form = new DomainForm();
        form.nameProperty().set("localhost");
        vm.add(form, closed::incrementAndGet);
        assertThat(closed.get()).isZero();
        assertThat(form.errors().error(DomainForm.NAME).get()).contains("server's own domain");
        assertThat(vm.domains().items()).isEmpty();
    }
}
