package dev.drawbridge.model.api.validation;

import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.Problem.FieldError;
import dev.drawbridge.model.api.SamlAttribute;
import dev.drawbridge.model.api.SamlSso;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The SAML part of an app's single sign-on settings ({@link SamlSso}), as far as it can be checked without the server
 * (which also requires the ACS URL under the app's external URL and the external Host kept). Each error names its field
 * under {@code saml.}: {@code saml.spEntityId}, {@code saml.acsUrl}, {@code saml.spCertificate}, {@code saml.nameIdSource},
 * {@code saml.nameIdClaim}, {@code saml.attributes[i].name}, ...
 */
public final class SamlRules {
    /** The most attributes one assertion may carry. */
    public static final int MAX_ATTRIBUTES = 50;
    /** The longest entity id, ACS URL and attribute name. */
    public static final int MAX_URI = 1024;
    /** The longest certificate, PEM or base64. */
    public static final int MAX_CERTIFICATE = 16 * 1024;
    /** The longest RelayState a service provider must accept (SAML bindings 3.4.3: 80 bytes). */
    public static final int MAX_RELAY_STATE = 80;
    /** The smallest RSA key a service provider may sign its requests with. */
    public static final int MIN_RSA_BITS = 2048;

    private SamlRules() {
    }

    /** Adds every problem of {@code saml} (the settings of method SAML; null when missing) to {@code errors}. */
    static void check(SamlSso saml, List<FieldError> errors) {
        if (saml == null) {
            errors.add(new FieldError("saml", "method SAML needs saml settings: the service provider's spEntityId and acsUrl"
                    + " (import them from its metadata: POST /api/v1/apps/{id}/saml/sp-metadata)"));
            return;
        }
        if (!isEntityId(saml.spEntityId())) {
            errors.add(new FieldError("saml.spEntityId", "spEntityId is the service provider's entity id, an absolute URI of at most "
                    + MAX_URI + " characters without spaces, e.g. https://hr.example.com/mellon/metadata"));
        }
        acsUrlProblem(saml.acsUrl()).ifPresent(p -> errors.add(new FieldError("saml.acsUrl", p)));
        if (saml.spCertificate() != null) {
            certificateProblem(saml.spCertificate()).ifPresent(p -> errors.add(new FieldError("saml.spCertificate", p)));
        }
        if (saml.nameIdFormat() == SamlSso.NameIdFormat.TRANSIENT) {
            if (saml.nameIdSource() != null || saml.nameIdClaim() != null) {
                errors.add(new FieldError("saml.nameIdSource", "a TRANSIENT NameID is a random id, new at each sign-in: leave "
                        + "nameIdSource and nameIdClaim out"));
            }
        } else if (saml.nameIdSource() == HeaderSource.GROUPS) {
            errors.add(new FieldError("saml.nameIdSource", "the NameID is one value: GROUPS cannot be it (send groups as an attribute)"));
        } else {
            claimProblem(saml.nameIdSource(), saml.nameIdClaim(), "nameIdSource")
                    .ifPresent(p -> errors.add(new FieldError("saml.nameIdClaim", p)));
        }
        checkAttributes(saml.attributes(), errors);
        if (saml.relayState() != null && (saml.relayState().isEmpty()
                || saml.relayState().getBytes(StandardCharsets.UTF_8).length > MAX_RELAY_STATE || SsoRules.hasControl(saml.relayState()))) {
            errors.add(new FieldError("saml.relayState", "relayState is 1 to " + MAX_RELAY_STATE + " bytes without control characters"
                    + " (usually the app's page to open after an IdP-initiated sign-in, e.g. https://hr.example.com/)"));
        }
    }

    private static void checkAttributes(List<SamlAttribute> attributes, List<FieldError> errors) {
        if (attributes.size() > MAX_ATTRIBUTES) {
            errors.add(new FieldError("saml.attributes", "at most " + MAX_ATTRIBUTES + " attributes"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < attributes.size(); i++) {
            String field = "saml.attributes[" + i + "]";
            SamlAttribute a = attributes.get(i);
            if (a == null) {
                errors.add(new FieldError(field, field + " is missing"));
                continue;
            }
            if (a.name() == null || a.name().isBlank() || a.name().length() > MAX_URI || SsoRules.hasControl(a.name())) {
                errors.add(new FieldError(field + ".name", "an attribute's name is 1 to " + MAX_URI
                        + " characters without control characters, e.g. email"));
            } else if (!seen.add(a.name())) {
                errors.add(new FieldError(field + ".name", "attribute '" + a.name() + "' is listed twice"));
            }
            if (a.source() == null) {
                errors.add(new FieldError(field + ".source", "source is required: one of " + List.of(HeaderSource.values())));
            }
            claimProblem(a.source(), a.claim(), "source").ifPresent(p -> errors.add(new FieldError(field + ".claim", p)));
        }
    }

    /** Source CLAIM needs a claim's name, and only it may have one. */
    private static Optional<String> claimProblem(HeaderSource source, String claim, String sourceField) {
        if (source == HeaderSource.CLAIM) {
            if (claim == null || claim.isBlank() || claim.length() > SsoRules.MAX_NAME || SsoRules.hasControl(claim)) {
                return Optional.of(sourceField + " CLAIM needs the claim's name (1 to " + SsoRules.MAX_NAME + " characters), e.g. department");
            }
        } else if (claim != null) {
            return Optional.of("a claim is given only with " + sourceField + " CLAIM");
        }
        return Optional.empty();
    }

    /** Whether {@code id} can be an entity id: an absolute URI (a URL or a URN), no whitespace, at most {@value #MAX_URI}. */
    public static boolean isEntityId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_URI || id.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            return false;
        }
        try {
            return new URI(id).isAbsolute();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** Why {@code url} cannot be an ACS URL (absolute https with a host, no fragment or user info); empty when it can. */
    public static Optional<String> acsUrlProblem(String url) {
        String hint = "acsUrl is the service provider's assertion consumer service as the browser reaches it through Drawbridge,"
                + " an https URL under the app's external URL, e.g. https://hr.example.com/mellon/postResponse";
        if (url == null || url.isEmpty() || url.length() > MAX_URI || url.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            return Optional.of(hint);
        }
        try {
            URI u = new URI(url);
            if (!"https".equals(u.getScheme()) || u.getHost() == null || u.getRawFragment() != null || u.getRawUserInfo() != null
                    || u.getRawPath() == null || !u.getRawPath().startsWith("/")) {
                return Optional.of(hint);
            }
            return Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.of(hint);
        }
    }

    /** Why {@code text} cannot be a service provider's signing certificate; empty when it can. */
    public static Optional<String> certificateProblem(String text) {
        if (text.length() > MAX_CERTIFICATE) {
            return Optional.of("spCertificate is at most " + MAX_CERTIFICATE + " characters");
        }
        Optional<X509Certificate> cert = certificate(text);
        if (cert.isEmpty()) {
            return Optional.of("spCertificate is not an X.509 certificate (PEM, or the base64 of its DER as in metadata)");
        }
        return switch (cert.get().getPublicKey()) {
            case RSAPublicKey rsa when rsa.getModulus().bitLength() >= MIN_RSA_BITS -> Optional.empty();
            case ECPublicKey ec when ec.getParams().getCurve().getField().getFieldSize() >= 256 -> Optional.empty();
            default -> Optional.of("spCertificate's key is too weak or of an unknown kind: RSA of " + MIN_RSA_BITS
                    + " bits or more, or EC of 256 bits or more");
        };
    }

    /** The certificate in {@code text}: PEM, or the bare base64 of its DER (as metadata carries it); empty when neither. */
    public static Optional<X509Certificate> certificate(String text) {
        if (text == null || text.length() > MAX_CERTIFICATE) {
            return Optional.empty();
        }
        String b64 = text.replace("-----BEGIN CERTIFICATE-----", "").replace("-----END CERTIFICATE-----", "").replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(b64);
            List<Certificate> all = new ArrayList<>(CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(der)));
            return all.size() == 1 && all.getFirst() instanceof X509Certificate x ? Optional.of(x) : Optional.empty();
        } catch (IllegalArgumentException | CertificateException e) {
            return Optional.empty();
        }
    }
}
