package dev.drawbridge.proxy.saml;

import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.SamlAttribute;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.sso.SsoIdentity;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMValidateContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The responses Drawbridge signs, checked as a service provider checks them, with the JDK's own XML signature
 * validation (secure validation on): the assertion's (or response's) signature verifies with the app's certificate and
 * covers exactly that element; a changed NameID no longer verifies; every field the profile requires carries what it
 * must (Destination, Recipient, InResponseTo, Audience, 5-minute validity, NameID and its format, the session's times,
 * the authentication context, the mapped attributes, fresh IDs).
 */
class SamlResponsesTest {
    static final Instant NOW = Instant.parse("2026-12-06T12:00:00.250Z");
    static final Instant AUTH = Instant.parse("2026-12-06T11:30:00Z");
    static final Instant SESSION_END = Instant.parse("2026-12-06T19:30:00Z");
    static final String IDP = "https://login.localhost:8443/saml/app1";
    static final SsoIdentity ALICE = new SsoIdentity("u-1", "alice@corp.example", "Alice\u0001 Martin", Optional.of("alice.martin@corp.example"),
            Optional.empty(), Optional.empty(), List.of("HR staff", "Everyone"), Map.of("department", "Finance"));
    static IdpKeys.IdpKey key;
    static IdpKeys.IdpKey other;

    @BeforeAll
    static void keys() {
        key = IdpKeys.generate("app1", NOW);
        other = IdpKeys.generate("app2", NOW);
    }

    static SamlSso settings(SamlSso.Signing signing) {
        return new SamlSso(Requests.SP, Requests.ACS, null, null, null, null, List.of(SamlAttribute.of("email", HeaderSource.EMAIL),
                SamlAttribute.of("groups", HeaderSource.GROUPS), new SamlAttribute("department", HeaderSource.CLAIM, "department",
                        SamlAttribute.NameFormat.BASIC), SamlAttribute.of("name", HeaderSource.DISPLAY_NAME),
                SamlAttribute.of("onPremUpn", HeaderSource.ON_PREM_UPN)), signing, null);
    }

    static Document build(SamlSso s, Optional<String> inResponseTo, List<String> amr) throws SamlRefusal {
        String xml = SamlResponses.success(new SamlResponses.Success(s, IDP, inResponseTo, ALICE, "alice@corp.example", amr, AUTH, SESSION_END),
                key, NOW);
        return parse(xml);
    }

    static Document parse(String xml) throws SamlRefusal {
        Document doc = SafeXml.parse(xml.getBytes(StandardCharsets.UTF_8), 1 << 20, "the response");
        for (String local : List.of("Response", "Assertion")) {
            NodeList all = doc.getElementsByTagNameNS("*", local);
            for (int i = 0; i < all.getLength(); i++) {
                ((Element) all.item(i)).setIdAttributeNS(null, "ID", true);
            }
        }
        return doc;
    }

    static Element one(Document doc, String ns, String local) {
        NodeList l = doc.getElementsByTagNameNS(ns, local);
        assertThat(l.getLength()).as(local).isEqualTo(1);
        return (Element) l.item(0);
    }

    /** Validates the signature that is a child of {@code signed}; true when it verifies and covers exactly {@code signed}. */
    static boolean verifies(Element signed, PublicKey with) throws Exception {
        Element signature = SafeXml.children(signed, SamlNames.DSIG, "Signature").getFirst();
        DOMValidateContext ctx = new DOMValidateContext(with, signature);
        ctx.setProperty("org.jcp.xml.dsig.secureValidation", Boolean.TRUE);
        XMLSignature sig = XMLSignatureFactory.getInstance("DOM").unmarshalXMLSignature(ctx);
        List<?> refs = sig.getSignedInfo().getReferences();
        return sig.validate(ctx) && refs.size() == 1 && ((Reference) refs.getFirst()).getURI().equals("#" + signed.getAttribute("ID"));
    }

    @Test
    void theAssertionIsSignedAndVerifiesWithTheAppsCertificateOnly() throws Exception {
        Document doc = build(settings(SamlSso.Signing.ASSERTION), Optional.of("_req1"), List.of("pwd"));
        Element assertion = one(doc, SamlNames.ASSERTION, "Assertion");
        assertThat(verifies(assertion, key.certificate().getPublicKey())).isTrue();
        assertThat(verifies(assertion, other.certificate().getPublicKey())).isFalse();
        assertThat(SafeXml.children(doc.getDocumentElement(), SamlNames.DSIG, "Signature")).as("the response itself is not signed").isEmpty();
        // Schema order: the signature right after the assertion's Issuer.
        assertThat(SafeXml.children(assertion, SamlNames.ASSERTION, "Issuer").getFirst().getNextSibling().getLocalName()).isEqualTo("Signature");
        Element sig = SafeXml.children(assertion, SamlNames.DSIG, "Signature").getFirst();
        assertThat(sig.getElementsByTagNameNS(SamlNames.DSIG, "SignatureMethod").item(0).getAttributes().getNamedItem("Algorithm")
                .getNodeValue()).isEqualTo("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256");
        assertThat(sig.getElementsByTagNameNS(SamlNames.DSIG, "CanonicalizationMethod").item(0).getAttributes().getNamedItem("Algorithm")
                .getNodeValue()).isEqualTo("http://www.w3.org/2001/10/xml-exc-c14n#");
    }

    @Test
    void aChangedNameIdOrAudienceNoLongerVerifies() throws Exception {
        for (String[] change : List.of(new String[]{">alice@corp.example</saml:NameID>", ">mallory@corp.example</saml:NameID>"},
                new String[]{"<saml:Audience>" + Requests.SP, "<saml:Audience>urn:other"},
                new String[]{"<saml:AttributeValue>HR staff", "<saml:AttributeValue>Admins"})) {
            String xml = SamlResponses.success(new SamlResponses.Success(settings(SamlSso.Signing.ASSERTION), IDP, Optional.empty(), ALICE,
                    "alice@corp.example", List.of("pwd"), AUTH, SESSION_END), key, NOW);
            assertThat(xml).contains(change[0]);
            Document doc = parse(xml.replace(change[0], change[1]));
            assertThat(verifies(one(doc, SamlNames.ASSERTION, "Assertion"), key.certificate().getPublicKey())).as(change[1]).isFalse();
        }
    }

    @Test
    void theResponseOrBothCanBeSigned() throws Exception {
        Document response = build(settings(SamlSso.Signing.RESPONSE), Optional.empty(), List.of("pwd"));
        assertThat(verifies(response.getDocumentElement(), key.certificate().getPublicKey())).isTrue();
        assertThat(SafeXml.children(one(response, SamlNames.ASSERTION, "Assertion"), SamlNames.DSIG, "Signature")).isEmpty();
        Document both = build(settings(SamlSso.Signing.BOTH), Optional.empty(), List.of("pwd"));
        assertThat(verifies(one(both, SamlNames.ASSERTION, "Assertion"), key.certificate().getPublicKey())).isTrue();
        assertThat(verifies(both.getDocumentElement(), key.certificate().getPublicKey())).isTrue();
    }

    @Test
    void everyFieldOfTheProfileIsThere() throws Exception {
        Document doc = build(settings(SamlSso.Signing.ASSERTION), Optional.of("_req1"), List.of("pwd", "otp"));
        Element response = doc.getDocumentElement();
        assertThat(response.getAttribute("Destination")).isEqualTo(Requests.ACS);
        assertThat(response.getAttribute("InResponseTo")).isEqualTo("_req1");
        assertThat(response.getAttribute("Version")).isEqualTo("2.0");
        assertThat(response.getAttribute("IssueInstant")).isEqualTo("2026-12-06T12:00:00Z");
        assertThat(one(doc, SamlNames.PROTOCOL, "StatusCode").getAttribute("Value")).isEqualTo(SamlNames.SUCCESS);
        Element data = one(doc, SamlNames.ASSERTION, "SubjectConfirmationData");
        assertThat(data.getAttribute("Recipient")).isEqualTo(Requests.ACS);
        assertThat(data.getAttribute("InResponseTo")).isEqualTo("_req1");
        assertThat(data.getAttribute("NotOnOrAfter")).isEqualTo("2026-12-06T12:05:00Z");
        assertThat(one(doc, SamlNames.ASSERTION, "SubjectConfirmation").getAttribute("Method")).isEqualTo(SamlNames.BEARER);
        Element conditions = one(doc, SamlNames.ASSERTION, "Conditions");
        assertThat(conditions.getAttribute("NotBefore")).isEqualTo("2026-12-06T11:59:00Z");
        assertThat(conditions.getAttribute("NotOnOrAfter")).isEqualTo("2026-12-06T12:05:00Z");
        assertThat(one(doc, SamlNames.ASSERTION, "Audience").getTextContent()).isEqualTo(Requests.SP);
        Element nameId = one(doc, SamlNames.ASSERTION, "NameID");
        assertThat(nameId.getTextContent()).isEqualTo("alice@corp.example");
        assertThat(nameId.getAttribute("Format")).isEqualTo(SamlSso.NameIdFormat.UNSPECIFIED.uri());
        Element authn = one(doc, SamlNames.ASSERTION, "AuthnStatement");
        assertThat(authn.getAttribute("AuthnInstant")).isEqualTo("2026-12-06T11:30:00Z");
        assertThat(authn.getAttribute("SessionNotOnOrAfter")).isEqualTo("2026-12-06T19:30:00Z");
        assertThat(authn.getAttribute("SessionIndex")).isEqualTo(one(doc, SamlNames.ASSERTION, "Assertion").getAttribute("ID"));
        assertThat(one(doc, SamlNames.ASSERTION, "AuthnContextClassRef").getTextContent()).isEqualTo(SamlNames.MFA);
        for (Element issuer : List.of((Element) doc.getElementsByTagNameNS(SamlNames.ASSERTION, "Issuer").item(0),
                (Element) doc.getElementsByTagNameNS(SamlNames.ASSERTION, "Issuer").item(1))) {
            assertThat(issuer.getTextContent()).isEqualTo(IDP);
        }
        Document password = build(settings(SamlSso.Signing.ASSERTION), Optional.empty(), List.of("pwd"));
        assertThat(one(password, SamlNames.ASSERTION, "AuthnContextClassRef").getTextContent()).isEqualTo(SamlNames.PASSWORD_PROTECTED_TRANSPORT);
    }

    @Test
    void attributesCarryEveryValueAndOnlyWhatTheUserHas() throws Exception {
        Document doc = build(settings(SamlSso.Signing.ASSERTION), Optional.empty(), List.of("pwd"));
        NodeList attributes = doc.getElementsByTagNameNS(SamlNames.ASSERTION, "Attribute");
        assertThat(attributes.getLength()).as("no on-premises UPN: no attribute").isEqualTo(4);
        Element groups = (Element) attributes.item(1);
        assertThat(groups.getAttribute("Name")).isEqualTo("groups");
        assertThat(groups.hasAttribute("NameFormat")).isFalse();
        NodeList values = groups.getElementsByTagNameNS(SamlNames.ASSERTION, "AttributeValue");
        assertThat(List.of(values.item(0).getTextContent(), values.item(1).getTextContent())).containsExactly("HR staff", "Everyone");
        Element department = (Element) attributes.item(2);
        assertThat(department.getAttribute("NameFormat")).isEqualTo("urn:oasis:names:tc:SAML:2.0:attrname-format:basic");
        assertThat(department.getTextContent()).isEqualTo("Finance");
        assertThat(attributes.item(3).getTextContent()).as("a control character never reaches the XML").isEqualTo("Alice Martin");
        SamlSso none = new SamlSso(Requests.SP, Requests.ACS);
        Document bare = build(none, Optional.empty(), List.of("pwd"));
        assertThat(bare.getElementsByTagNameNS(SamlNames.ASSERTION, "AttributeStatement").getLength()).isZero();
        assertThat(bare.getDocumentElement().hasAttribute("InResponseTo")).isFalse();
        assertThat(one(bare, SamlNames.ASSERTION, "SubjectConfirmationData").hasAttribute("InResponseTo")).isFalse();
    }

    @Test
    void idsAreFreshAndTheNameIdFollowsTheSettings() throws Exception {
        Document a = build(settings(SamlSso.Signing.ASSERTION), Optional.empty(), List.of("pwd"));
        Document b = build(settings(SamlSso.Signing.ASSERTION), Optional.empty(), List.of("pwd"));
        assertThat(a.getDocumentElement().getAttribute("ID")).matches("_[0-9a-f]{40}").isNotEqualTo(b.getDocumentElement().getAttribute("ID"));
        assertThat(one(a, SamlNames.ASSERTION, "Assertion").getAttribute("ID")).isNotEqualTo(one(b, SamlNames.ASSERTION, "Assertion").getAttribute("ID"));
        SamlSso transientId = new SamlSso(Requests.SP, Requests.ACS, null, SamlSso.NameIdFormat.TRANSIENT, null, null, null, null, null);
        String first = UserValues.nameId(transientId, ALICE).orElseThrow();
        assertThat(first).matches("_[0-9a-f]{32}").isNotEqualTo(UserValues.nameId(transientId, ALICE).orElseThrow());
        assertThat(UserValues.nameId(new SamlSso(Requests.SP, Requests.ACS, null, SamlSso.NameIdFormat.PERSISTENT, null, null, null, null, null),
                ALICE)).contains("u-1");
        assertThat(UserValues.nameId(new SamlSso(Requests.SP, Requests.ACS, null, null, HeaderSource.ON_PREM_UPN, null, null, null, null),
                ALICE)).as("no value: no NameID, the user gets a page").isEmpty();
    }

    @Test
    void noPassiveIsASignedResponseWithoutAnAssertion() throws Exception {
        Document doc = parse(SamlResponses.noPassive(new SamlSso(Requests.SP, Requests.ACS), IDP, "_req9", key, NOW));
        assertThat(verifies(doc.getDocumentElement(), key.certificate().getPublicKey())).isTrue();
        assertThat(doc.getDocumentElement().getAttribute("InResponseTo")).isEqualTo("_req9");
        assertThat(doc.getElementsByTagNameNS(SamlNames.ASSERTION, "Assertion").getLength()).isZero();
        NodeList codes = doc.getElementsByTagNameNS(SamlNames.PROTOCOL, "StatusCode");
        assertThat(((Element) codes.item(0)).getAttribute("Value")).isEqualTo(SamlNames.RESPONDER);
        assertThat(((Element) codes.item(1)).getAttribute("Value")).isEqualTo(SamlNames.NO_PASSIVE);
    }
}
