package dev.drawbridge.proxy.saml;

import dev.drawbridge.model.api.SamlSso;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.security.cert.CertificateEncodingException;
import java.util.Base64;
import javax.xml.XMLConstants;

/**
 * An app's identity provider metadata (SAML metadata 2.4.3), what its service provider imports: the entity id, the
 * signing certificate, the NameID format, the single sign-on service (HTTP-Redirect) and whether AuthnRequests must be
 * signed (when the app has the service provider's certificate). Served at {@code https://<sign-in host>/saml/<app
 * id>/metadata} and by the admin API.
 */
final class IdpMetadata {
    /** The media type of SAML metadata, as the SAML metadata specification registers it. */
    static final String MEDIA_TYPE = "application/samlmetadata+xml";

    private IdpMetadata() {
    }

    static String xml(IdpUrls urls, SamlSso settings, IdpKeys.IdpKey key) {
        Document doc = SafeXml.newDocument();
        Element entity = SafeXml.add(doc, SamlNames.METADATA, "md:EntityDescriptor");
        entity.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:md", SamlNames.METADATA);
        entity.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:ds", SamlNames.DSIG);
        entity.setAttributeNS(null, "entityID", urls.entityId());
        Element idp = SafeXml.add(entity, SamlNames.METADATA, "md:IDPSSODescriptor");
        idp.setAttributeNS(null, "protocolSupportEnumeration", SamlNames.PROTOCOL);
        idp.setAttributeNS(null, "WantAuthnRequestsSigned", String.valueOf(settings.spCertificate() != null));
        Element keyDescriptor = SafeXml.add(idp, SamlNames.METADATA, "md:KeyDescriptor");
        keyDescriptor.setAttributeNS(null, "use", "signing");
        Element data = SafeXml.add(SafeXml.add(keyDescriptor, SamlNames.DSIG, "ds:KeyInfo"), SamlNames.DSIG, "ds:X509Data");
        try {
            SafeXml.add(data, SamlNames.DSIG, "ds:X509Certificate", Base64.getEncoder().encodeToString(key.certificate().getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
        SafeXml.add(idp, SamlNames.METADATA, "md:NameIDFormat", settings.nameIdFormat().uri());
        Element sso = SafeXml.add(idp, SamlNames.METADATA, "md:SingleSignOnService");
        sso.setAttributeNS(null, "Binding", SamlNames.HTTP_REDIRECT);
        sso.setAttributeNS(null, "Location", urls.sso());
        return SafeXml.serialize(doc);
    }
}
