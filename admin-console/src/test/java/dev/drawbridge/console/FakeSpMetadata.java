package dev.drawbridge.console;

import dev.drawbridge.adminclient.AdminApiException;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

/**
 * What {@link FakeAdminApi} answers for {@code POST /apps/{id}/saml/sp-metadata}: the service provider's metadata read as
 * the server reads it (entity id, the HTTP-POST assertion consumer service, the signing certificate when it signs its
 * requests, the first NameID format known), the ACS URL checked to be under the app's external URL; a refusal is a 400
 * naming {@code metadata} or {@code saml.acsUrl}. XML without DTDs, as the server parses it.
 */
final class FakeSpMetadata {
    private static final String MD = "urn:oasis:names:tc:SAML:2.0:metadata", DS = "http://www.w3.org/2000/09/xmldsig#";
    private static final String POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST";

    private FakeSpMetadata() {
    }

    static SamlSso read(AppView app, String xml) throws AdminApiException {
        Element entity = parse(xml);
        if (!MD.equals(entity.getNamespaceURI()) || !"EntityDescriptor".equals(entity.getLocalName())) {
            throw refused("metadata", "this is not SAML metadata (no md:EntityDescriptor)");
        }
        Element sp = first(entity, MD, "SPSSODescriptor");
        if (sp == null) {
            throw refused("metadata", "the metadata describes no service provider (no SPSSODescriptor)");
        }
        NodeList acsList = sp.getElementsByTagNameNS(MD, "AssertionConsumerService");
        String acs = null;
        for (int i = 0; i < acsList.getLength() && acs == null; i++) {
            Element e = (Element) acsList.item(i);
            if (POST.equals(e.getAttribute("Binding"))) {
                acs = e.getAttribute("Location").strip();
            }
        }
        if (acs == null) {
            throw refused("metadata", "the service provider has no AssertionConsumerService with the HTTP-POST binding");
        }
        if (!underExternalUrl(app, acs)) {
            throw refused("saml.acsUrl", "the ACS URL " + acs + " is not under the app's external URL " + app.externalUrl());
        }
        String certificate = null;
        if ("true".equals(sp.getAttribute("AuthnRequestsSigned"))) {
            NodeList keys = sp.getElementsByTagNameNS(MD, "KeyDescriptor");
            for (int i = 0; i < keys.getLength() && certificate == null; i++) {
                Element kd = (Element) keys.item(i);
                Element cert = first(kd, DS, "X509Certificate");
                if ((kd.getAttribute("use").isEmpty() || "signing".equals(kd.getAttribute("use"))) && cert != null) {
                    String b64 = cert.getTextContent().replaceAll("\\s", "");
                    certificate = "-----BEGIN CERTIFICATE-----\n" + String.join("\n", b64.split("(?<=\\G.{64})")) + "\n-----END CERTIFICATE-----\n";
                }
            }
        }
        Element format = first(sp, MD, "NameIDFormat");
        SamlSso.NameIdFormat nameId = format == null ? SamlSso.NameIdFormat.UNSPECIFIED : Arrays.stream(SamlSso.NameIdFormat.values())
                .filter(x -> x.uri().equals(format.getTextContent().strip())).findFirst().orElse(SamlSso.NameIdFormat.UNSPECIFIED);
        return new SamlSso(entity.getAttribute("entityID"), acs, certificate, nameId, null, null, null, null, null);
    }

    /** What the server checks of SAML settings against the app (the ACS URL under its external URL, the external Host kept). */
    static List<Problem.FieldError> appProblems(AppView app, SsoSettings s) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (s.method() != SsoMethod.SAML || s.saml() == null) {
            return errors;
        }
        if (!underExternalUrl(app, s.saml().acsUrl())) {
            errors.add(new Problem.FieldError("saml.acsUrl", "the ACS URL " + s.saml().acsUrl() + " is not under the app's external URL "
                    + app.externalUrl()));
        }
        if (app.translateHostHeader()) {
            errors.add(new Problem.FieldError("translateHostHeader", "a SAML app must keep the external Host: set the app's"
                    + " translateHostHeader to false"));
        }
        return errors;
    }

    private static boolean underExternalUrl(AppView app, String url) {
        URI a = URI.create(url), ext = URI.create(app.externalUrl());
        return (a.getScheme() + "://" + a.getRawAuthority()).equalsIgnoreCase(ext.getScheme() + "://" + ext.getRawAuthority())
                && a.getRawPath() != null && a.getRawPath().startsWith(ext.getRawPath());
    }

    private static Element parse(String xml) throws AdminApiException {
        try {
            DocumentBuilderFactory dbf = DocumentBuilderFactory.newInstance();
            dbf.setNamespaceAware(true);
            dbf.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            dbf.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            Document d = dbf.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
            return d.getDocumentElement();
        } catch (ParserConfigurationException | SAXException | IOException e) {
            throw refused("metadata", "the metadata is not well-formed XML");
        }
    }

    private static Element first(Element in, String ns, String name) {
        NodeList l = in.getElementsByTagNameNS(ns, name);
        return l.getLength() == 0 ? null : (Element) l.item(0);
    }

    private static AdminApiException refused(String field, String message) {
        return AdminApiException.of(new Problem("about:blank", "Invalid request", 400, "invalid",
                List.of(new Problem.FieldError(field, message))));
    }
}
