package dev.drawbridge.console.certificates;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.console.session.Failures;
import dev.drawbridge.console.session.Listing;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.console.shell.Tables;
import dev.drawbridge.model.api.CertificateView;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.time.Clock;
import java.time.Duration;

/**
 * App certificates for custom domains (list with expiry, upload PEM or PKCS#12, delete), and the sign-in host's
 * certificate (show, set, remove: global administrators only). App certificates never cover the admin or sign-in host.
 */
public final class CertificatesViewModel {
    /** Certificates expiring within this are shown as expiring. */
    public static final Duration SOON = Duration.ofDays(30);

    private final AdminApi api;
    private final Tasks tasks;
    private final Notices notices;
    private final Clock clock;
    private final Listing<CertificateView> certificates = new Listing<>(CertificateView::id);
    private final ObjectProperty<CertificateView> serverCertificate = new SimpleObjectProperty<>();
    private final StringProperty serverCertificateState = new SimpleStringProperty("");

    public CertificatesViewModel(Session session, Tasks tasks, Notices notices, Clock clock) {
        this(session.api(), tasks, notices, clock);
    }

    public CertificatesViewModel(AdminApi api, Tasks tasks, Notices notices, Clock clock) {
        this.api = api;
        this.tasks = tasks;
        this.notices = notices;
        this.clock = clock;
    }

    /** The sign-in host's certificate; null while the server CA's is served. */
    public ReadOnlyObjectProperty<CertificateView> serverCertificateProperty() {
        return serverCertificate;
    }

    /** One sentence on what the sign-in host presents. */
    public ReadOnlyStringProperty serverCertificateStateProperty() {
        return serverCertificateState;
    }

    public Listing<CertificateView> certificates() {
        return certificates;
    }

    public Clock clock() {
        return clock;
    }

    public void refresh() {
        certificates.load(tasks, notices, "certificates", () -> api.certificates().list());
        refreshServerCertificate();
    }

    private void refreshServerCertificate() {
        tasks.runQuietly("load the sign-in host's certificate", () -> api.certificates().serverCertificate(),
                this::showServerCertificate, e -> {
                    if (Failures.notFound(e)) {
                        showServerCertificate(null);
                    } else {
                        serverCertificate.set(null);
                        serverCertificateState.set("Cannot read the sign-in host's certificate: " + e.getMessage());
                    }
                });
    }

    private void showServerCertificate(CertificateView c) {
        serverCertificate.set(c);
        if (c == null) {
            serverCertificateState.set("The sign-in host presents a certificate from the server's own CA.");
        } else {
            String e = expiry(c);
            serverCertificateState.set("The sign-in host presents " + c.subject() + " (" + String.join(", ", c.hosts()) + "), issued by "
                    + c.issuer() + ", valid until " + Tables.time(c.notAfter()) + (e.isEmpty() ? "" : " (" + e + ")") + ".");
        }
    }

    /** Sets the sign-in host's certificate (global administrators); {@code set} runs (the dialog closes) once the server took it. */
    public void setServerCertificate(CertificateForm form, Runnable set) {
        form.save(tasks, notices, "set the sign-in host's certificate", "Could not set the sign-in host's certificate",
                () -> api.certificates().setServerCertificate(form.body()), c -> {
                    set.run();
                    notices.info("Sign-in certificate set", String.join(", ", c.hosts()) + " until " + Tables.time(c.notAfter()));
                    showServerCertificate(c);
                });
    }

    /** Removes the sign-in host's certificate: the server CA's is served again. */
    public void removeServerCertificate() {
        tasks.run("remove the sign-in host's certificate", () -> {
            api.certificates().removeServerCertificate();
            return Boolean.TRUE;
        }, done -> showServerCertificate(null));
    }

    /** Uploads an app certificate; {@code uploaded} runs (the dialog closes) once the server took it. */
    public void upload(CertificateForm form, Runnable uploaded) {
        form.save(tasks, notices, "upload the certificate", "Could not upload the certificate",
                () -> api.certificates().upload(form.body()), c -> {
                    uploaded.run();
                    notices.info("Certificate uploaded", String.join(", ", c.hosts()) + " until " + Tables.time(c.notAfter()));
                    refresh();
                });
    }

    public void delete(CertificateView c) {
        tasks.run("delete the certificate of " + String.join(", ", c.hosts()), () -> {
            api.certificates().delete(c.id());
            return c;
        }, gone -> certificates.items().remove(gone));
    }

    /** "expired", "12 days left", or "" when far from expiry. */
    public String expiry(CertificateView c) {
        if (c.notAfter() == null) {
            return "";
        }
        Duration left = Duration.between(clock.instant(), c.notAfter());
        if (left.isNegative()) {
            return "expired";
        }
        return left.compareTo(SOON) < 0 ? left.toDays() + " days left" : "";
    }
}
