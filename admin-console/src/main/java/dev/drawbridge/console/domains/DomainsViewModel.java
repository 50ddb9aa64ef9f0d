package dev.drawbridge.console.domains;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.console.certificates.CertificateForm;
import dev.drawbridge.console.session.Listing;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.model.api.DnsRecord;
import dev.drawbridge.model.api.DomainView;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;

import java.util.stream.Collectors;

/**
 * Custom domains: the list with each domain's status, the DNS records to create and the published hosts no certificate
 * covers; adding one, having the server create a key and CSR (shown to copy), uploading the issued certificate (or a
 * chain with its key), deleting one. Changes need DOMAINS_WRITE (global administrators); the view guards them.
 */
public final class DomainsViewModel {
    private final AdminApi api;
    private final Tasks tasks;
    private final Notices notices;
    private final Listing<DomainView> domains = new Listing<>(DomainView::id);
    private final StringBinding records;
    private final StringBinding csr;
    private final StringBinding warning;

    public DomainsViewModel(Session session, Tasks tasks, Notices notices) {
        this(session.api(), tasks, notices);
    }

    public DomainsViewModel(AdminApi api, Tasks tasks, Notices notices) {
        this.api = api;
        this.tasks = tasks;
        this.notices = notices;
        records = Bindings.createStringBinding(() -> domains.selected() == null ? "" : records(domains.selected()),
                domains.selectedProperty());
        csr = Bindings.createStringBinding(() -> domains.selected() == null ? "" : domains.selected().csrPem(), domains.selectedProperty());
        warning = Bindings.createStringBinding(() -> domains.selected() == null || domains.selected().hostsWithoutCertificate().isEmpty() ? ""
                : "No certificate covers " + String.join(", ", domains.selected().hostsWithoutCertificate())
                        + ": browsers will refuse these hosts until one is uploaded.", domains.selectedProperty());
    }

    /** The DNS records to create, one per line ({@code *.apps.contoso.com CNAME login.example.com}). */
    public static String records(DomainView d) {
        return d.dnsRecords().stream().map(DomainsViewModel::record).collect(Collectors.joining("\n"));
    }

    static String record(DnsRecord r) {
        return r.name() + ". " + r.type() + " " + r.value() + ".";
    }

    public Listing<DomainView> domains() {
        return domains;
    }

    /** The selected domain's DNS records to create. */
    public StringBinding recordsText() {
        return records;
    }

    /** The selected domain's pending CSR (PEM), "" for none. */
    public StringBinding csrText() {
        return csr;
    }

    /** A warning when published hosts of the selected domain have no certificate, else "". */
    public StringBinding warningText() {
        return warning;
    }

    public void refresh() {
        domains.load(tasks, notices, "domains", () -> api.domains().list());
    }

    /** Adds a domain; {@code added} runs (the dialog closes) once the server took it. */
    public void add(DomainForm form, Runnable added) {
        form.save(tasks, notices, "add the domain", "Could not add the domain", () -> api.domains().add(form.body()), d -> {
            added.run();
            notices.info("Domain added", "Create the DNS record " + records(d).replace('\n', ' '));
            replace(d);
        });
    }

    /** Has the server create a key and CSR for the selected domain. */
    public void createCsr(DomainView d) {
        tasks.run("create a CSR for " + d.name(), () -> api.domains().createCsr(d.id()), this::replace);
    }

    /** Uploads the selected domain's certificate; {@code uploaded} runs (the dialog closes) once the server took it. */
    public void uploadCertificate(DomainView d, CertificateForm form, Runnable uploaded) {
        form.save(tasks, notices, "upload the certificate of " + d.name(), "Could not store the certificate",
                () -> api.domains().uploadCertificate(d.id(), form.body()), done -> {
                    uploaded.run();
                    notices.info("Certificate stored", done.name() + ": " + done.status());
                    replace(done);
                });
    }

    public void delete(DomainView d) {
        tasks.run("delete the domain " + d.name(), () -> {
            api.domains().delete(d.id());
            return d;
        }, gone -> domains.items().remove(gone));
    }

    private void replace(DomainView d) {
        int at = -1;
        for (int i = 0; i < domains.items().size(); i++) {
            if (domains.items().get(i).id().equals(d.id())) {
                at = i;
            }
        }
        if (at < 0) {
            domains.items().add(d);
        } else {
            domains.items().set(at, d);
        }
        domains.selectedProperty().set(d);
    }
}
