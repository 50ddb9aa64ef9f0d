package dev.drawbridge.console.certificates;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.drawbridge.console.api.Api;
import dev.drawbridge.console.api.ApiException;
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
import java.util.List;

/**
 * App certificates for custom domains (list with expiry, upload PEM or PKCS#12, delete), and the sign-in host's
 * certificate (show, set, remove: global administrators only). App certificates never cover the admin or sign-in host.
 */
public final class CertificatesViewModel {
    private static final TypeReference<List<CertificateView>> LIST = new TypeReference<>() { };
    /** Certificates expiring within this are shown as expiring. */
    public static final Duration SOON = Duration.ofDays(30);

    private final Api api;
    private final Tasks tasks;
    private final Notices notices;
    private final Clock clock;
    private final Listing<CertificateView> certificates = new Listing<>(CertificateView::id);
    private final ObjectProperty<CertificateView> serverCertificate = new SimpleObjectProperty<>();
    private final StringProperty serverCertificateState = new SimpleStringProperty("");

    public CertificatesViewModel(Session session, Tasks tasks, Notices notices, Clock clock) {
        this(session.api(), tasks, notices, clock);
    }

    public CertificatesViewModel(Api api, Tasks tasks, Notices notices, Clock clock) {
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
        certificates.load(tasks, notices, "certificates", () -> list(api));
        refreshServerCertificate();
    }

    private void refreshServerCertificate() {
        tasks.runQuietly("load the sign-in host's certificate", () -> api.get("server-certificate", CertificateView.class),
                this::showServerCertificate, e -> {
                    if (e instanceof ApiException a && a.notFound()) {
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
                () -> api.put("server-certificate", form.body(), CertificateView.class), c -> {
                    set.run();
                    notices.info("Sign-in certificate set", String.join(", ", c.hosts()) + " until " + Tables.time(c.notAfter()));
                    showServerCertificate(c);
                });
    }

    /** Removes the sign-in host's certificate: the server CA's is served again. */
    public void removeServerCertificate() {
        tasks.run("remove the sign-in host's certificate", () -> {
            api.delete("server-certificate");
            return Boolean.TRUE;
        }, done -> showServerCertificate(null));
    }

    /** The list, whether the server answers a plain array or a page. */
    static List<CertificateView> list(Api api) throws Exception {
        com.fasterxml.jackson.databind.JsonNode raw = api.get("certificates?limit=1000", com.fasterxml.jackson.databind.JsonNode.class);
        var json = dev.drawbridge.console.api.Json.mapper();
        return raw.isArray() ? json.convertValue(raw, LIST) : json.convertValue(raw.path("items"), LIST);
    }

    /** Uploads an app certificate; {@code uploaded} runs (the dialog closes) once the server took it. */
    public void upload(CertificateForm form, Runnable uploaded) {
        form.save(tasks, notices, "upload the certificate", "Could not upload the certificate",
                () -> api.post("certificates", form.body(), CertificateView.class), c -> {
                    uploaded.run();
                    notices.info("Certificate uploaded", String.join(", ", c.hosts()) + " until " + Tables.time(c.notAfter()));
                    refresh();
                });
    }

    public void delete(CertificateView c) {
        tasks.run("delete the certificate of " + String.join(", ", c.hosts()), () -> {
            api.delete("certificates/" + c.id());
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
