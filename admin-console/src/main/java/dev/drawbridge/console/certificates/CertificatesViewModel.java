package dev.drawbridge.console.certificates;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.drawbridge.console.api.Api;
import dev.drawbridge.console.api.CertificateInfo;
import dev.drawbridge.console.session.Listing;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;

import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** Certificates for custom domains: list with expiry, upload (PEM or PKCS#12), delete. */
public final class CertificatesViewModel {
    private static final TypeReference<List<CertificateInfo>> LIST = new TypeReference<>() { };
    /** Certificates expiring within this are shown as expiring. */
    public static final Duration SOON = Duration.ofDays(30);

    private final Api api;
    private final Tasks tasks;
    private final Notices notices;
    private final Clock clock;
    private final Listing<CertificateInfo> certificates = new Listing<>(CertificateInfo::id);

    public CertificatesViewModel(Session session, Tasks tasks, Notices notices, Clock clock) {
        this.api = session.api();
        this.tasks = tasks;
        this.notices = notices;
        this.clock = clock;
    }

    public Listing<CertificateInfo> certificates() {
        return certificates;
    }

    public Clock clock() {
        return clock;
    }

    public void refresh() {
        certificates.load(tasks, notices, "certificates", () -> list(api));
    }

    /** The list, whether the server answers a plain array or a page. */
    static List<CertificateInfo> list(Api api) throws Exception {
        com.fasterxml.jackson.databind.JsonNode raw = api.get("certificates?limit=1000", com.fasterxml.jackson.databind.JsonNode.class);
        var json = dev.drawbridge.console.api.Json.mapper();
        return raw.isArray() ? json.convertValue(raw, LIST) : json.convertValue(raw.path("items"), LIST);
    }

    public void uploadPem(String pem) {
        upload(Map.of("pem", pem));
    }

    public void uploadPkcs12(byte[] pkcs12, String password) {
        upload(Map.of("pkcs12", Base64.getEncoder().encodeToString(pkcs12), "password", password));
    }

    private void upload(Map<String, String> body) {
        tasks.run("upload the certificate", () -> api.post("certificates", body, CertificateInfo.class), c -> {
            notices.info("Certificate uploaded", String.join(", ", c.hosts()) + " until " + c.notAfter());
            refresh();
        });
    }

    public void delete(CertificateInfo c) {
        tasks.run("delete the certificate of " + String.join(", ", c.hosts()), () -> {
            api.delete("certificates/" + c.id());
            return c;
        }, gone -> certificates.items().remove(gone));
    }

    /** "expired", "12 days left", or "" when far from expiry. */
    public String expiry(CertificateInfo c) {
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
