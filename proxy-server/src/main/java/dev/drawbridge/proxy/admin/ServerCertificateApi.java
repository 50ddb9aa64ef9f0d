package dev.drawbridge.proxy.admin;

import dev.drawbridge.model.api.CertificateUpload;
import dev.drawbridge.model.api.CertificateView;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.apps.ValidationException;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.pki.ServerCertificateStore;
import dev.drawbridge.proxy.web.JsonBody;
import dev.drawbridge.proxy.web.Responses;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;

/**
 * {@code /server-certificate}: the sign-in host's certificate (GET with {@code CERTIFICATES_READ}; PUT and DELETE with
 * {@code SERVER_CERTIFICATES_WRITE}, global administrators only). Apart from {@code /certificates} (app certificates,
 * which never cover the server's own hosts). Changes go to the audit log without the key.
 */
final class ServerCertificateApi {
    private final ServerCertificateStore store;
    private final AuditLog audit;

    ServerCertificateApi(ServerCertificateStore store, AuditLog audit) {
        this.store = store;
        this.audit = audit;
    }

    void route(String method, Request request, Response response, Callback callback) throws ApiException, ValidationException, IOException {
        switch (method) {
            case "GET" -> Responses.json(response, callback, 200, store.get().orElseThrow(() -> new ApiException(404, "Not found",
                    "no server certificate is set; the sign-in host presents the server CA's certificate")));
            case "PUT" -> {
                CertificateView before = store.get().orElse(null);
                CertificateView after = store.put(JsonBody.read(request, CertificateUpload.class));
                audit.record(AdminApiHandler.actor(), "server-certificate.set", "server-certificate", after.id(), before, after);
                Responses.json(response, callback, 200, after);
            }
            case "DELETE" -> {
                CertificateView before = store.get().orElseThrow(ApiException::notFound);
                store.delete();
                audit.record(AdminApiHandler.actor(), "server-certificate.delete", "server-certificate", before.id(), before, null);
                response.setStatus(204);
                response.getHeaders().put(Responses.GENERATED_HEADER, "true");
                callback.succeeded();
            }
            default -> throw ApiException.notAllowed();
        }
    }
}
