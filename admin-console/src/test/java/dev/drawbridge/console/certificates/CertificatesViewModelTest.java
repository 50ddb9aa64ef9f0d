package dev.drawbridge.console.certificates;

import dev.drawbridge.console.FakeAdminApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.model.api.CertificateUpload;
import dev.drawbridge.model.api.CertificateView;
import dev.drawbridge.model.api.Problem;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class CertificatesViewModelTest {
    final FakeAdminApi api = new FakeAdminApi();
    final SyncTasks tasks = new SyncTasks();
    final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    final CertificatesViewModel vm = new CertificatesViewModel(api, tasks, tasks, clock);
    final AtomicInteger closed = new AtomicInteger();

    static CertificateView signIn() {
        return new CertificateView("c-1", List.of("*.apps.example.com", "login.apps.example.com"), "CN=*.apps.example.com",
                "CN=Public CA", Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-10T00:00:00Z"), "ab",
                Instant.parse("2026-11-25T12:00:00Z"), 14);
    }

    @Test
    void theSignInHostsCertificateIsShownSetAndRemoved() {
        vm.refresh();
        assertThat(vm.serverCertificateProperty().get()).isNull();
        assertThat(vm.serverCertificateStateProperty().get()).contains("server's own CA");

        api.uploaded = signIn();
        CertificateForm pem = CertificateForm.pem();
        pem.pemProperty().set("-----BEGIN CERTIFICATE-----");
        vm.setServerCertificate(pem, closed::incrementAndGet);
        assertThat(closed.get()).isEqualTo(1);
        assertThat(api.body("certificates.setServerCertificate")).isEqualTo(new CertificateUpload("-----BEGIN CERTIFICATE-----", null, null));
        assertThat(vm.serverCertificateProperty().get().id()).isEqualTo("c-1");
        assertThat(vm.serverCertificateStateProperty().get()).contains("CN=*.apps.example.com", "CN=Public CA", "14 days left");

        vm.removeServerCertificate();
        assertThat(api.calls()).contains("certificates.removeServerCertificate");
        assertThat(vm.serverCertificateProperty().get()).isNull();

        api.serverCertificate = signIn();
        vm.refresh();
        assertThat(vm.serverCertificateProperty().get()).isNotNull();
    }

    @Test
    void aRefusedSetIsReportedAndChangesNothing() {
        api.fail("certificates.setServerCertificate", 403, "https://drawbridge.dev/problems/forbidden", "this call needs the SERVER_CERTIFICATES_WRITE permission");
        CertificateForm pem = CertificateForm.pem();
        pem.pemProperty().set("-----BEGIN CERTIFICATE-----");
        vm.setServerCertificate(pem, closed::incrementAndGet);
        assertThat(closed.get()).isZero();
        assertThat(tasks.notices).anySatisfy(n -> assertThat(n).contains("set the sign-in host's certificate"));
        assertThat(pem.errors().other().get()).contains("SERVER_CERTIFICATES_WRITE");
        assertThat(vm.serverCertificateProperty().get()).isNull();
        api.fail("certificates.serverCertificate", 403, "https://drawbridge.dev/problems/forbidden", "needs CERTIFICATES_READ");
        vm.refresh();
        assertThat(vm.serverCertificateStateProperty().get()).startsWith("Cannot read");
    }

    @Test
    void anUploadFormShowsNoErrorUntilTriedAndTheServersSentenceLandsOnItsField() {
        CertificateForm f = CertificateForm.pem();
        assertThat(f.errors().error(CertificateForm.PEM).get()).isEmpty();
        assertThat(f.errors().attempt()).isFalse();
        assertThat(f.errors().error(CertificateForm.PEM).get()).startsWith("Paste the certificate chain");
        f.pemProperty().set("not pem at all");
        assertThat(f.errors().error(CertificateForm.PEM).get()).startsWith("This is not PEM");
        f.pemProperty().set("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----");
        api.fail("certificates.upload", 400, "about:blank", "invalid",
                new Problem.FieldError("pem", "pem holds no PRIVATE KEY block"));
        vm.upload(f, closed::incrementAndGet);
        assertThat(closed.get()).isZero();
        assertThat(f.errors().error(CertificateForm.PEM).get()).isEqualTo("pem holds no PRIVATE KEY block");

        CertificateForm p12 = CertificateForm.pkcs12(new byte[]{1, 2, 3});
        assertThat(p12.errors().valid().get()).isTrue();
        p12.passwordProperty().set("wrong");
        api.fail("certificates.upload", 400, "about:blank", "invalid", new Problem.FieldError("password",
                "the PKCS#12 file cannot be opened: wrong password or damaged file"));
        vm.upload(p12, closed::incrementAndGet);
        assertThat(p12.errors().error(CertificateForm.PASSWORD).get()).startsWith("the PKCS#12 file cannot be opened");
        assertThat(api.body("certificates.upload")).isEqualTo(new CertificateUpload(null, "AQID", "wrong"));

        // Accepted: the dialog closes and the list shows the new certificate.
        api.recover("certificates.upload");
        api.uploaded = signIn();
        vm.upload(p12, closed::incrementAndGet);
        assertThat(closed.get()).isEqualTo(1);
        assertThat(vm.certificates().items()).containsExactly(signIn());
        vm.delete(signIn());
        assertThat(api.certificates).isEmpty();
        assertThat(vm.certificates().items()).isEmpty();
    }
}
