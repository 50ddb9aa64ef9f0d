package dev.drawbridge.proxy.saml;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A service provider's {@code <samlp:AuthnRequest>} as Drawbridge reads it: only what it acts on, each field checked for
 * form (SAML core 3.4.1). What the request asks is then checked against the app's settings by {@link RequestChecks}.
 *
 * @param id              the request's {@code ID} (an xs:ID), which the response's {@code InResponseTo} names
 * @param issueInstant    when the service provider made it
 * @param issuer          its {@code <saml:Issuer>}: the service provider's entity id
 * @param destination     the {@code Destination} it was sent to, when given
 * @param acsUrl          the {@code AssertionConsumerServiceURL} it wants the response at, when given
 * @param protocolBinding the binding it wants the response in, when given
 * @param passive         {@code IsPassive}: the user must not be asked anything
 * @param forceAuthn      {@code ForceAuthn}: the service provider asks for a fresh sign-in
 */
record AuthnRequest(String id, Instant issueInstant, String issuer, Optional<String> destination, Optional<String> acsUrl,
                    Optional<String> protocolBinding, boolean passive, boolean forceAuthn) {
    /** An xs:ID as service providers make them (an NCName), at most 256 characters. */
    private static final Pattern ID = Pattern.compile("[A-Za-z_][A-Za-z0-9._-]{0,255}");

    /** Reads the request in {@code xml} (the inflated SAMLRequest). */
    static AuthnRequest parse(byte[] xml) throws SamlRefusal {
        Document doc = SafeXml.parse(xml, RedirectBinding.MAX_XML, "the SAMLRequest");
        Element root = doc.getDocumentElement();
        if (!SamlNames.PROTOCOL.equals(root.getNamespaceURI()) || !"AuthnRequest".equals(root.getLocalName())) {
            throw new SamlRefusal("the SAMLRequest is not an AuthnRequest");
        }
        if (!"2.0".equals(root.getAttributeNS(null, "Version"))) {
            throw new SamlRefusal("the AuthnRequest is not SAML version 2.0");
        }
        String id = root.getAttributeNS(null, "ID");
        if (!ID.matcher(id).matches()) {
            throw new SamlRefusal("the AuthnRequest's ID is missing or not an xs:ID of at most 256 characters");
        }
        Instant issued = instant(root.getAttributeNS(null, "IssueInstant"));
        Element issuer = SafeXml.child(root, SamlNames.ASSERTION, "Issuer")
                .orElseThrow(() -> new SamlRefusal("the AuthnRequest names no Issuer (the service provider's entity id)"));
        if (issuer.hasAttributeNS(null, "Format") && !SamlNames.ENTITY.equals(issuer.getAttributeNS(null, "Format"))) {
            throw new SamlRefusal("the AuthnRequest's Issuer is not an entity id");
        }
        if (!SafeXml.children(root, SamlNames.ASSERTION, "Subject").isEmpty()) {
            // Drawbridge answers for whoever is signed in; a request naming someone else's subject is not for it.
            throw new SamlRefusal("AuthnRequests naming a Subject are not supported");
        }
        return new AuthnRequest(id, issued, issuer.getTextContent().strip(), SafeXml.attribute(root, "Destination"),
                SafeXml.attribute(root, "AssertionConsumerServiceURL"), SafeXml.attribute(root, "ProtocolBinding"),
                bool(root, "IsPassive"), bool(root, "ForceAuthn"));
    }

    private static Instant instant(String s) throws SamlRefusal {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new SamlRefusal("the AuthnRequest's IssueInstant is missing or not a UTC date and time");
        }
    }

    /** An xs:boolean attribute, false when absent. */
    private static boolean bool(Element e, String name) throws SamlRefusal {
        String v = e.getAttributeNS(null, name).strip();
        return switch (v) {
            case "", "false", "0" -> false;
            case "true", "1" -> true;
            default -> throw new SamlRefusal("the AuthnRequest's " + name + " is not a boolean");
        };
    }
}
