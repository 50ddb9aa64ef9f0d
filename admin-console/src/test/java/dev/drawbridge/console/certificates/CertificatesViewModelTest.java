package dev.drawbridge.console.certificates;

import dev.drawbridge.console.FakeApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.model.api.CertificateView;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CertificatesViewModelTest {
    final FakeApi api = new FakeApi();
    final SyncTasks tasks = new SyncTasks();
    final Clock clock = Clock.fixed(Instant.parse("2026-11-25T12:00:00Z"), ZoneOffset.UTC);
    final CertificatesViewModel vm = new CertificatesViewModel(api, tasks, tasks, clock);

    static CertificateView signIn() {
        return new CertificateView("c-1", List.of("*.apps.example.com", "login.apps.example.com"), "CN=*.apps.example.com",
                "CN=Public CA", Instant.parse("2026-11-01T00:00:00Z"), Instant.parse("2026-12-10T00:00:00Z"), "ab",
                Instant.parse("2026-11-25T12:00:00Z"), 14);
    }

    @Test
    void theSignInHostsCertificateIsShownSetAndRemoved() {
        api.answer("GET certificates?limit=1000", List.of());
        vm.refresh();
        assertThat(vm.serverCertificateProperty().get()).isNull();
        assertThat(vm.serverCertificateStateProperty().get()).contains("server's own CA");

        api.answer("PUT server-certificate", signIn());
        vm.setServerCertificatePem("-----BEGIN CERTIFICATE-----");
        assertThat(api.calls).contains("PUT server-certificate");
        assertThat(api.bodies.getLast()).isEqualTo(Map.of("pem", "-----BEGIN CERTIFICATE-----"));
        assertThat(vm.serverCertificateProperty().get().id()).isEqualTo("c-1");
        assertThat(vm.serverCertificateStateProperty().get()).contains("CN=*.apps.example.com", "CN=Public CA", "14 days left");

        api.answer("DELETE server-certificate", null);
        vm.removeServerCertificate();
        assertThat(vm.serverCertificateProperty().get()).isNull();

        api.answer("GET server-certificate", signIn());
        vm.refresh();
        assertThat(vm.serverCertificateProperty().get()).isNotNull();
    }

    @Test
    void aRefusedSetIsReportedAndChangesNothing() {
        api.fail("PUT server-certificate", 403, "https://drawbridge.dev/problems/forbidden", "this call needs the SERVER_CERTIFICATES_WRITE permission");
        vm.setServerCertificatePem("pem");
        assertThat(tasks.notices).anySatisfy(n -> assertThat(n).contains("set the sign-in host's certificate"));
        assertThat(vm.serverCertificateProperty().get()).isNull();
        api.fail("GET server-certificate", 403, "https://drawbridge.dev/problems/forbidden", "needs CERTIFICATES_READ");
        vm.refresh();
        assertThat(vm.serverCertificateStateProperty().get()).startsWith("Cannot read");
    }
}
