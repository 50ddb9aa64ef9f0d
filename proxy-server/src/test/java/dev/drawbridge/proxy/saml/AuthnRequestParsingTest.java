package dev.drawbridge.proxy.saml;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.Optional;

import static dev.drawbridge.proxy.saml.Requests.enc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * AuthnRequests by the HTTP-Redirect binding are attacker-controlled input: a request as mellon sends it is read; every
 * malformed, oversized, DTD-carrying (external entities, entity expansion) or wrongly signed one is a {@link SamlRefusal}
 * with a readable reason (never another exception, never a file read), and size caps hold before decoding.
 */
class AuthnRequestParsingTest {
    static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    static final String SSO = "https://login.localhost:8443/saml/app1/sso";
    static IdpKeys.IdpKey sp;
    static IdpKeys.IdpKey other;

    @BeforeAll
    static void keys() {
        sp = IdpKeys.generate("sp", NOW);
        other = IdpKeys.generate("other", NOW);
    }

    static AuthnRequest read(String query) throws SamlRefusal {
        return AuthnRequest.parse(RedirectBinding.read(query).xml());
    }

    static String unsigned(String xml) {
        return Requests.query(xml, Optional.empty(), Optional.empty(), null, null);
    }

    static void refused(String query, String reason) {
        assertThatThrownBy(() -> read(query)).isInstanceOf(SamlRefusal.class).hasMessageContaining(reason);
    }

    @Test
    void aRequestAsMellonSendsItIsRead() throws SamlRefusal {
        RedirectBinding.Received r = RedirectBinding.read(Requests.signed(Requests.xml("_abc123", SSO, NOW), Optional.of("https://hr.localhost:8443/x?a=b c"),
                sp.key()));
        assertThat(r.relayState()).contains("https://hr.localhost:8443/x?a=b c");
        assertThat(r.signature()).isPresent();
        AuthnRequest a = AuthnRequest.parse(r.xml());
        assertThat(a.id()).isEqualTo("_abc123");
        assertThat(a.issuer()).isEqualTo(Requests.SP);
        assertThat(a.destination()).contains(SSO);
        assertThat(a.acsUrl()).contains(Requests.ACS);
        assertThat(a.issueInstant()).isEqualTo(NOW);
        assertThat(a.passive()).isFalse();
        assertThat(a.forceAuthn()).isFalse();
        assertThat(a.protocolBinding()).isEmpty();
    }

    @Test
    void theBindingRefusesWhatIsNotADeflatedBase64Request() {
        refused("", "no SAMLRequest");
        refused("RelayState=x", "no SAMLRequest");
        refused("SAMLRequest=", "no SAMLRequest");
        refused("SAMLRequest=%%%", "DEFLATE");
        refused("SAMLRequest=" + enc(Base64.getEncoder().encodeToString("<plain/>".getBytes(StandardCharsets.UTF_8))), "DEFLATE");
        byte[] deflated = Requests.deflate(Requests.xml("_a", SSO, NOW).getBytes(StandardCharsets.UTF_8));
        refused("SAMLRequest=" + enc(Base64.getEncoder().encodeToString(Arrays.copyOf(deflated, deflated.length / 2))), "not complete");
        String q = unsigned(Requests.xml("_a", SSO, NOW));
        refused(q + "&" + q, "repeats the parameter SAMLRequest");
        refused(q + "&RelayState=a&RelayState=b", "repeats the parameter RelayState");
        refused(q + "&RelayState=" + enc("a\nb"), "control characters");
        refused(q + "&RelayState=" + "x".repeat(RedirectBinding.MAX_RELAY_STATE + 1), "RelayState is longer");
    }

    @Test
    void sizesAreCappedBeforeAndWhileDecoding() {
        refused("SAMLRequest=" + "A".repeat(RedirectBinding.MAX_ENCODED + 4), "too large");
        refused("x=" + "A".repeat(5 * RedirectBinding.MAX_ENCODED), "too large");
        // A DEFLATE bomb: 8 MB of spaces in a few kilobytes stops at the cap.
        String bomb = enc(Base64.getEncoder().encodeToString(Requests.deflate(" ".repeat(8 << 20).getBytes(StandardCharsets.US_ASCII))));
        assertThat(bomb.length()).isLessThan(RedirectBinding.MAX_ENCODED);
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> refused("SAMLRequest=" + bomb, "inflates to more than 64 KiB"));
        String deep = "<a>".repeat(SafeXml.MAX_DEPTH + 5) + "</a>".repeat(SafeXml.MAX_DEPTH + 5);
        refused(unsigned(deep), "not well-formed XML");
    }

    @Test
    void noDtdIsReadNoEntityExpandedNoFileOpened(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET-CONTENT");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
                + Requests.xml("_a", SSO, NOW).replace(Requests.SP, "&x;");
        assertThatThrownBy(() -> read(unsigned(xxe))).isInstanceOf(SamlRefusal.class).hasMessageContaining("without a DTD")
                .message().doesNotContain("TOP-SECRET");
        String laughs = "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>"
                + Requests.xml("_a", SSO, NOW).replace(Requests.SP, "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;");
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> refused(unsigned(laughs), "without a DTD"));
        String externalDtd = "<?xml version=\"1.0\"?><!DOCTYPE r SYSTEM \"" + secret.toUri() + "\">" + Requests.xml("_a", SSO, NOW);
        refused(unsigned(externalDtd), "without a DTD");
        String xinclude = Requests.xml("_a", SSO, NOW).replace("<saml:Issuer>", "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\""
                + secret.toUri() + "\" parse=\"text\"/><saml:Issuer>");
        assertThat(read(unsigned(xinclude)).issuer()).isEqualTo(Requests.SP);
    }

    @Test
    void eachRequiredPartOfTheRequestIsChecked() {
        String ok = Requests.xml("_a", SSO, NOW);
        refused(unsigned("<samlp:LogoutRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\"/>"), "not an AuthnRequest");
        refused(unsigned(ok.replace("urn:oasis:names:tc:SAML:2.0:protocol", "urn:other")), "not an AuthnRequest");
        refused(unsigned(ok.replace("Version=\"2.0\"", "Version=\"1.1\"")), "version 2.0");
        refused(unsigned(ok.replace("ID=\"_a\"", "")), "ID");
        refused(unsigned(ok.replace("ID=\"_a\"", "ID=\"1abc\"")), "ID");
        refused(unsigned(ok.replace("ID=\"_a\"", "ID=\"_" + "a".repeat(300) + "\"")), "ID");
        refused(unsigned(ok.replace("IssueInstant=\"" + NOW + "\"", "IssueInstant=\"yesterday\"")), "IssueInstant");
        refused(unsigned(ok.replace("<saml:Issuer>" + Requests.SP + "</saml:Issuer>", "")), "names no Issuer");
        refused(unsigned(ok.replace("</saml:Issuer>", "</saml:Issuer><saml:Issuer>x</saml:Issuer>")), "more than once");
        refused(unsigned(ok.replace("<saml:Issuer>", "<saml:Issuer Format=\"urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\">")),
                "not an entity id");
        refused(unsigned(ok.replace("</saml:Issuer>", "</saml:Issuer><saml:Subject><saml:NameID>ceo@corp.example</saml:NameID></saml:Subject>")),
                "naming a Subject");
        refused(unsigned(ok.replace("IsPassive=\"false\"", "IsPassive=\"maybe\"")), "IsPassive");
        refused(unsigned("not xml at all"), "not well-formed");
    }

    @Test
    void aSignatureIsCheckedOverTheOctetsAsReceived() throws Exception {
        String xml = Requests.xml("_a", SSO, NOW);
        RedirectBinding.Signed s = RedirectBinding.read(Requests.signed(xml, Optional.of("/x"), sp.key())).signature().orElseThrow();
        RedirectBinding.verify(s, sp.certificate());
        assertThatThrownBy(() -> RedirectBinding.verify(s, other.certificate())).isInstanceOf(SamlRefusal.class).hasMessageContaining("not valid");
        // The RelayState changed after signing.
        String tampered = Requests.signed(xml, Optional.of("/x"), sp.key()).replace("RelayState=%2Fx", "RelayState=%2Fy");
        RedirectBinding.Signed t = RedirectBinding.read(tampered).signature().orElseThrow();
        assertThatThrownBy(() -> RedirectBinding.verify(t, sp.certificate())).isInstanceOf(SamlRefusal.class);
        // No RelayState at all: the octets are SAMLRequest and SigAlg only.
        RedirectBinding.verify(RedirectBinding.read(Requests.signed(xml, Optional.empty(), sp.key())).signature().orElseThrow(), sp.certificate());
        String unsigned = unsigned(xml);
        refused(unsigned + "&SigAlg=" + enc(Requests.RSA_SHA256), "incomplete");
        refused(unsigned + "&Signature=AAAA", "incomplete");
        refused(Requests.query(xml, Optional.empty(), Optional.of(sp.key()), "http://www.w3.org/2000/09/xmldsig#rsa-sha1", "SHA1withRSA"),
                "SHA-1, which is refused");
        refused(Requests.query(xml, Optional.empty(), Optional.of(sp.key()), "urn:made-up", "SHA256withRSA"), "unknown algorithm");
        refused(unsigned + "&SigAlg=" + enc(Requests.RSA_SHA256) + "&Signature=" + "A".repeat(4000), "incomplete");
    }

    @Test
    void ecdsaSignaturesAreReadAsXmlSignatureEncodesThem() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ec = g.generateKeyPair();
        X500Name name = new X500Name("CN=ec sp");
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                Date.from(NOW.minusSeconds(60)), Date.from(NOW.plusSeconds(3600)), name, ec.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(ec.getPrivate())));
        String q = Requests.query(Requests.xml("_a", SSO, NOW), Optional.empty(), Optional.of(ec.getPrivate()),
                "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", "SHA256withECDSAinP1363Format");
        RedirectBinding.Signed s = RedirectBinding.read(q).signature().orElseThrow();
        RedirectBinding.verify(s, cert);
        // An RSA certificate with an ECDSA algorithm: not valid, no other exception.
        assertThatThrownBy(() -> RedirectBinding.verify(s, sp.certificate())).isInstanceOf(SamlRefusal.class);
    }
}
