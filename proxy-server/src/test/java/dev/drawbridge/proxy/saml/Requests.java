package dev.drawbridge.proxy.saml;

import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.Deflater;

/** Test fixture: AuthnRequests as a service provider (mod_auth_mellon) sends them by the HTTP-Redirect binding. */
final class Requests {
    static final String SP = "https://hr.localhost:8443/mellon/metadata";
    static final String ACS = "https://hr.localhost:8443/mellon/postResponse";
    static final String RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";

    private Requests() {
    }

    /** An AuthnRequest like mellon's: ID, Destination, ACS URL, Issuer, transient NameIDPolicy. */
    static String xml(String id, String destination, Instant issued) {
        return "<samlp:AuthnRequest xmlns:samlp=\"urn:oasis:names:tc:SAML:2.0:protocol\" xmlns:saml=\"urn:oasis:names:tc:SAML:2.0:assertion\""
                + " ID=\"" + id + "\" Version=\"2.0\" IssueInstant=\"" + issued + "\" Destination=\"" + destination + "\""
                + " Consent=\"urn:oasis:names:tc:SAML:2.0:consent:current-implicit\" ForceAuthn=\"false\" IsPassive=\"false\""
                + " AssertionConsumerServiceURL=\"" + ACS + "\"><saml:Issuer>" + SP + "</saml:Issuer>"
                + "<samlp:NameIDPolicy Format=\"urn:oasis:names:tc:SAML:2.0:nameid-format:transient\" AllowCreate=\"true\"/>"
                + "</samlp:AuthnRequest>";
    }

    static byte[] deflate(byte[] in) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(in);
        d.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        while (!d.finished()) {
            out.write(buf, 0, d.deflate(buf));
        }
        d.end();
        return out.toByteArray();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The raw query of the redirect: SAMLRequest, RelayState, and when {@code key} is given SigAlg and Signature. */
    static String query(String xml, Optional<String> relayState, Optional<PrivateKey> key, String sigAlg, String jcaAlg) {
        String q = "SAMLRequest=" + enc(Base64.getEncoder().encodeToString(deflate(xml.getBytes(StandardCharsets.UTF_8))))
                + relayState.map(r -> "&RelayState=" + enc(r)).orElse("");
        if (key.isEmpty()) {
            return q;
        }
        q += "&SigAlg=" + enc(sigAlg);
        try {
            Signature s = Signature.getInstance(jcaAlg);
            s.initSign(key.get());
            s.update(q.getBytes(StandardCharsets.US_ASCII));
            return q + "&Signature=" + enc(Base64.getEncoder().encodeToString(s.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String signed(String xml, Optional<String> relayState, PrivateKey key) {
        return query(xml, relayState, Optional.of(key), RSA_SHA256, "SHA256withRSA");
    }
}
