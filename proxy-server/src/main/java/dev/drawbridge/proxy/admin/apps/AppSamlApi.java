package dev.drawbridge.proxy.admin.apps;

import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.apps.AppStore;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.saml.SamlSetup;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.web.ValidationException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code /apps/{id}/saml/...}: the app's SAML identity provider for administrators. {@code GET idp-metadata} downloads
 * the metadata its service provider imports (making the app's signing key on first use, audited); {@code POST
 * sp-metadata} reads a service provider's metadata (an XML body, at most 256 KiB, parsed without DTDs or external
 * entities) into the {@link SamlSso} settings it implies, checked against the app, for the console or CLI to review and
 * put with {@code PUT /apps/{id}/sso}. Reading metadata stores nothing.
 */
public final class AppSamlApi {
    /** What an XML body may be sent as. */
    static final Set<String> XML_TYPES = Set.of("application/samlmetadata+xml", "application/xml", "text/xml");
    private static final int MAX_BYTES = 256 * 1024;

    private final AppStore apps;
    private final SamlSetup saml;

    public AppSamlApi(AppStore apps, SamlSetup saml) {
        this.apps = apps;
        this.saml = saml;
    }

    public Answer idpMetadata(Caller caller, AdminRequest request) throws ApiException, ConflictException {
        String xml = saml.idpMetadata(app(request), caller.subject());
        return new Answer.Bytes("application/samlmetadata+xml;charset=utf-8", xml.getBytes(StandardCharsets.UTF_8),
                Map.of("Content-Disposition", "attachment; filename=\"drawbridge-idp-" + request.path("id") + ".xml\"",
                        "X-Content-Type-Options", "nosniff"));
    }

    public Answer importSpMetadata(Caller caller, AdminRequest request) throws ApiException, ValidationException, ConflictException,
            IOException {
        PublishedApp app = app(request);
        String type = request.header("Content-Type").map(t -> t.split(";")[0].strip().toLowerCase(Locale.ROOT)).orElse("");
        if (!XML_TYPES.contains(type)) {
            throw new ValidationException("metadata", "send the service provider's metadata as the body, with Content-Type "
                    + "application/samlmetadata+xml (or application/xml)");
        }
        byte[] body = request.bytes(MAX_BYTES + 1);
        if (body.length > MAX_BYTES) {
            throw new ValidationException("metadata", "the metadata is larger than " + MAX_BYTES / 1024 + " KiB");
        }
        SamlSso settings = saml.spMetadata(app, body);
        return Answer.ok(settings);
    }

    private PublishedApp app(AdminRequest request) throws ApiException {
        return apps.find(request.path("id")).orElseThrow(ApiException::notFound);
    }
}
