package dev.drawbridge.proxy.saml;

import dev.drawbridge.model.api.AuthMethod;
import dev.drawbridge.model.api.SamlAttribute;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.sso.SsoIdentity;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.xml.XMLConstants;

/**
 * The {@code <samlp:Response>} Drawbridge posts to an app's service provider (SAML core 3.2.2 and the web browser SSO
 * profile, 4.1.4.2): {@code Destination} and the bearer confirmation's {@code Recipient} = the app's ACS URL,
 * {@code InResponseTo} = the AuthnRequest's ID (none for an IdP-initiated sign-in), {@code Audience} = the service
 * provider's entity id, valid for {@value #TTL_MINUTES} minutes, the {@code NameID} and attributes of the app's
 * settings, the session's sign-in time and end, and the assertion and/or the response signed ({@link XmlSignatures}).
 * IDs are fresh random xs:IDs.
 */
final class SamlResponses {
    static final int TTL_MINUTES = 5;
    /** How long a response is valid: one trip through the browser. */
    static final Duration TTL = Duration.ofMinutes(TTL_MINUTES);
    /** How far back {@code NotBefore} lies, for a service provider whose clock is a little behind. */
    static final Duration NOT_BEFORE_SKEW = Duration.ofMinutes(1);
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * What a successful response says.
     *
     * @param idpEntityId  the issuer: this app's identity provider
     * @param inResponseTo the AuthnRequest's ID, or empty for an IdP-initiated sign-in
     * @param nameId       the NameID's value (already chosen by {@link UserValues#nameId})
     * @param amr          how the user signed in (for the authentication context)
     * @param authTime     when the user signed in
     * @param sessionEnd   when the user's Drawbridge session ends (the service provider's session should not outlive it)
     */
    record Success(SamlSso settings, String idpEntityId, Optional<String> inResponseTo, SsoIdentity user, String nameId, List<String> amr,
                   Instant authTime, Instant sessionEnd) {
    }

    private SamlResponses() {
    }

    /** The signed response, as XML text. */
    static String success(Success s, IdpKeys.IdpKey key, Instant now) {
        Instant at = now.truncatedTo(ChronoUnit.SECONDS);
        String until = time(at.plus(TTL));
        Document doc = SafeXml.newDocument();
        Element response = response(doc, s.settings().acsUrl(), s.idpEntityId(), s.inResponseTo(), at);
        Element responseIssuer = (Element) response.getFirstChild();
        status(response, SamlNames.SUCCESS, null);
        Element assertion = SafeXml.add(response, SamlNames.ASSERTION, "saml:Assertion");
        String assertionId = newId();
        assertion.setAttributeNS(null, "ID", assertionId);
        assertion.setAttributeNS(null, "Version", "2.0");
        assertion.setAttributeNS(null, "IssueInstant", time(at));
        Element issuer = SafeXml.add(assertion, SamlNames.ASSERTION, "saml:Issuer", s.idpEntityId());
        Element subject = SafeXml.add(assertion, SamlNames.ASSERTION, "saml:Subject");
        SafeXml.add(subject, SamlNames.ASSERTION, "saml:NameID", s.nameId()).setAttributeNS(null, "Format", s.settings().nameIdFormat().uri());
        Element confirmation = SafeXml.add(subject, SamlNames.ASSERTION, "saml:SubjectConfirmation");
        confirmation.setAttributeNS(null, "Method", SamlNames.BEARER);
        Element data = SafeXml.add(confirmation, SamlNames.ASSERTION, "saml:SubjectConfirmationData");
        data.setAttributeNS(null, "NotOnOrAfter", until);
        data.setAttributeNS(null, "Recipient", s.settings().acsUrl());
        s.inResponseTo().ifPresent(id -> data.setAttributeNS(null, "InResponseTo", id));
        Element conditions = SafeXml.add(assertion, SamlNames.ASSERTION, "saml:Conditions");
        conditions.setAttributeNS(null, "NotBefore", time(at.minus(NOT_BEFORE_SKEW)));
        conditions.setAttributeNS(null, "NotOnOrAfter", until);
        SafeXml.add(SafeXml.add(conditions, SamlNames.ASSERTION, "saml:AudienceRestriction"), SamlNames.ASSERTION, "saml:Audience",
                s.settings().spEntityId());
        Element authn = SafeXml.add(assertion, SamlNames.ASSERTION, "saml:AuthnStatement");
        authn.setAttributeNS(null, "AuthnInstant", time(s.authTime().truncatedTo(ChronoUnit.SECONDS)));
        authn.setAttributeNS(null, "SessionIndex", assertionId);
        authn.setAttributeNS(null, "SessionNotOnOrAfter", time(s.sessionEnd().truncatedTo(ChronoUnit.SECONDS)));
        SafeXml.add(SafeXml.add(authn, SamlNames.ASSERTION, "saml:AuthnContext"), SamlNames.ASSERTION, "saml:AuthnContextClassRef",
                s.amr().contains(AuthMethod.ONE_TIME_CODE.amr()) ? SamlNames.MFA : SamlNames.PASSWORD_PROTECTED_TRANSPORT);
        attributes(assertion, s.settings().attributes(), s.user());
        if (s.settings().signing().signsAssertion()) {
            XmlSignatures.sign(assertion, issuer.getNextSibling(), key);
        }
        if (s.settings().signing().signsResponse()) {
            XmlSignatures.sign(response, responseIssuer.getNextSibling(), key);
        }
        return SafeXml.serialize(doc);
    }

    /**
     * A signed response without an assertion that says Drawbridge could not answer as asked: {@code NoPassive} when the
     * service provider asked that the user not be prompted and nobody is signed in (SAML core 3.4.1).
     */
    static String noPassive(SamlSso settings, String idpEntityId, String inResponseTo, IdpKeys.IdpKey key, Instant now) {
        Document doc = SafeXml.newDocument();
        Element response = response(doc, settings.acsUrl(), idpEntityId, Optional.of(inResponseTo), now.truncatedTo(ChronoUnit.SECONDS));
        Element issuer = (Element) response.getFirstChild();
        status(response, SamlNames.RESPONDER, SamlNames.NO_PASSIVE);
        XmlSignatures.sign(response, issuer.getNextSibling(), key);
        return SafeXml.serialize(doc);
    }

    private static Element response(Document doc, String destination, String idpEntityId, Optional<String> inResponseTo, Instant at) {
        Element response = SafeXml.add(doc, SamlNames.PROTOCOL, "samlp:Response");
        // Declared as attributes: canonicalization (what is signed) reads declarations, not the elements' namespace URIs.
        response.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:samlp", SamlNames.PROTOCOL);
        response.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:saml", SamlNames.ASSERTION);
        response.setAttributeNS(null, "ID", newId());
        response.setAttributeNS(null, "Version", "2.0");
        response.setAttributeNS(null, "IssueInstant", time(at));
        response.setAttributeNS(null, "Destination", destination);
        inResponseTo.ifPresent(id -> response.setAttributeNS(null, "InResponseTo", id));
        SafeXml.add(response, SamlNames.ASSERTION, "saml:Issuer", idpEntityId);
        return response;
    }

    private static void status(Element response, String code, String subCode) {
        Element statusCode = SafeXml.add(SafeXml.add(response, SamlNames.PROTOCOL, "samlp:Status"), SamlNames.PROTOCOL, "samlp:StatusCode");
        statusCode.setAttributeNS(null, "Value", code);
        if (subCode != null) {
            SafeXml.add(statusCode, SamlNames.PROTOCOL, "samlp:StatusCode").setAttributeNS(null, "Value", subCode);
        }
    }

    /** The attribute statement: one attribute per mapping the user has a value for; none at all when none has. */
    private static void attributes(Element assertion, List<SamlAttribute> mappings, SsoIdentity user) {
        Element statement = null;
        for (SamlAttribute m : mappings) {
            List<String> values = UserValues.attributeValues(m, user);
            if (values.isEmpty()) {
                continue;
            }
            if (statement == null) {
                statement = SafeXml.add(assertion, SamlNames.ASSERTION, "saml:AttributeStatement");
            }
            Element attribute = SafeXml.add(statement, SamlNames.ASSERTION, "saml:Attribute");
            attribute.setAttributeNS(null, "Name", m.name());
            if (!m.nameFormat().uri().isEmpty()) {
                attribute.setAttributeNS(null, "NameFormat", m.nameFormat().uri());
            }
            for (String v : values) {
                SafeXml.add(attribute, SamlNames.ASSERTION, "saml:AttributeValue", v);
            }
        }
    }

    /** A fresh xs:ID: "_" and 160 random bits in hex. */
    static String newId() {
        byte[] b = new byte[20];
        RANDOM.nextBytes(b);
        return "_" + HexFormat.of().formatHex(b);
    }

    /** xs:dateTime in UTC with a Z, to the second, as SAML wants (SAML core 1.3.3). */
    static String time(Instant t) {
        return t.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
