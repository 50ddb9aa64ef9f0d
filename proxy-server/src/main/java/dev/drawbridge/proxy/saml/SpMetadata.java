package dev.drawbridge.proxy.saml;

import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.validation.SamlRules;
import dev.drawbridge.proxy.pki.Pem;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Reads a service provider's metadata (SAML metadata 2.4.4) into the settings it implies: the entity id, the HTTP-POST
 * assertion consumer service (the one marked default, else the lowest index, else the first), the signing certificate
 * when it says it signs its AuthnRequests ({@code AuthnRequestsSigned="true"}; otherwise a signature is not required),
 * and the first NameID format Drawbridge knows. The XML is attacker-controlled input: parsed by {@link SafeXml}, at most
 * {@value #MAX_BYTES} bytes; one service provider only (an {@code EntitiesDescriptor} holding exactly one is accepted).
 * Nothing is stored: the administrator reviews the result and puts it with the app's single sign-on settings.
 */
final class SpMetadata {
    /** The largest metadata accepted: one service provider's, with a few certificates. */
    static final int MAX_BYTES = 256 * 1024;

    private SpMetadata() {
    }

    static SamlSso read(byte[] xml) throws SamlRefusal {
        Document doc = SafeXml.parse(xml, MAX_BYTES, "the metadata");
        Element entity = entity(doc.getDocumentElement());
        String entityId = entity.getAttributeNS(null, "entityID");
        if (!SamlRules.isEntityId(entityId)) {
            throw new SamlRefusal("the metadata's entityID is missing or not an absolute URI");
        }
        Element sp = SafeXml.child(entity, SamlNames.METADATA, "SPSSODescriptor")
                .orElseThrow(() -> new SamlRefusal("the metadata describes no service provider (no SPSSODescriptor)"));
        if (!sp.getAttributeNS(null, "protocolSupportEnumeration").contains(SamlNames.PROTOCOL)) {
            throw new SamlRefusal("the service provider does not speak SAML 2.0 (protocolSupportEnumeration)");
        }
        String acs = SafeXml.children(sp, SamlNames.METADATA, "AssertionConsumerService").stream()
                .filter(e -> SamlNames.HTTP_POST.equals(e.getAttributeNS(null, "Binding")))
                .min(Comparator.comparing((Element e) -> !"true".equals(e.getAttributeNS(null, "isDefault"))).thenComparing(SpMetadata::index))
                .map(e -> e.getAttributeNS(null, "Location").strip())
                .orElseThrow(() -> new SamlRefusal("the service provider has no AssertionConsumerService with the HTTP-POST binding"));
        Optional<String> problem = SamlRules.acsUrlProblem(acs);
        if (problem.isPresent()) {
            throw new SamlRefusal("the AssertionConsumerService's Location '" + RequestChecks.cut(acs) + "' is not an https URL: "
                    + "configure the service provider with its external URL (what the browser opens through Drawbridge)");
        }
        boolean signsRequests = "true".equals(sp.getAttributeNS(null, "AuthnRequestsSigned"));
        String certificate = null;
        if (signsRequests) {
            certificate = signingCertificate(sp).orElseThrow(() -> new SamlRefusal(
                    "the service provider signs its AuthnRequests but its metadata has no signing certificate"));
            Optional<String> weak = SamlRules.certificateProblem(certificate);
            if (weak.isPresent()) {
                throw new SamlRefusal(weak.get().replace("spCertificate", "the signing certificate"));
            }
            certificate = Pem.encode(SamlRules.certificate(certificate).orElseThrow());
        }
        SamlSso.NameIdFormat format = SafeXml.children(sp, SamlNames.METADATA, "NameIDFormat").stream()
                .map(e -> e.getTextContent().strip())
                .flatMap(uri -> Arrays.stream(SamlSso.NameIdFormat.values()).filter(f -> f.uri().equals(uri))).findFirst()
                .orElse(SamlSso.NameIdFormat.UNSPECIFIED);
        return new SamlSso(entityId, acs, certificate, format, null, null, null, null, null);
    }

    /** The one EntityDescriptor: the document element, or the only one in an EntitiesDescriptor. */
    private static Element entity(Element root) throws SamlRefusal {
        if (SamlNames.METADATA.equals(root.getNamespaceURI()) && "EntityDescriptor".equals(root.getLocalName())) {
            return root;
        }
        if (SamlNames.METADATA.equals(root.getNamespaceURI()) && "EntitiesDescriptor".equals(root.getLocalName())) {
            List<Element> all = SafeXml.children(root, SamlNames.METADATA, "EntityDescriptor");
            if (all.size() == 1) {
                return all.getFirst();
            }
            throw new SamlRefusal("the metadata describes " + all.size() + " entities; import the one service provider's metadata");
        }
        throw new SamlRefusal("this is not SAML metadata (no md:EntityDescriptor)");
    }

    /** The first certificate of a KeyDescriptor for signing (use="signing", or no use: both). */
    private static Optional<String> signingCertificate(Element sp) {
        for (Element kd : SafeXml.children(sp, SamlNames.METADATA, "KeyDescriptor")) {
            String use = kd.getAttributeNS(null, "use");
            if (!use.isEmpty() && !use.equals("signing")) {
                continue;
            }
            for (Element info : SafeXml.children(kd, SamlNames.DSIG, "KeyInfo")) {
                for (Element data : SafeXml.children(info, SamlNames.DSIG, "X509Data")) {
                    for (Element cert : SafeXml.children(data, SamlNames.DSIG, "X509Certificate")) {
                        String b64 = cert.getTextContent().replaceAll("\\s", "");
                        if (!b64.isEmpty()) {
                            return Optional.of(b64);
                        }
                    }
                }
            }
        }
        return Optional.empty();
    }

    private static int index(Element acs) {
        try {
            return Integer.parseInt(acs.getAttributeNS(null, "index").strip());
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }
}
