package dev.drawbridge.proxy.saml;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * An AuthnRequest as the HTTP-Redirect binding carries it (SAML bindings 3.4): {@code SAMLRequest} (DEFLATE, then
 * base64, then URL-encoded), {@code RelayState}, and when the service provider signs, {@code SigAlg} and
 * {@code Signature} over the raw query octets {@code SAMLRequest=…&RelayState=…&SigAlg=…} exactly as received. Sizes are
 * capped before anything is decoded (the encoded request, and the inflated XML, so a DEFLATE bomb stops at the cap);
 * a repeated parameter is refused; SHA-1 signatures are refused.
 */
final class RedirectBinding {
    /** The longest SAMLRequest parameter, encoded. */
    static final int MAX_ENCODED = 16 * 1024;
    /** The longest AuthnRequest, inflated. */
    static final int MAX_XML = 64 * 1024;
    /** The longest RelayState echoed back. */
    static final int MAX_RELAY_STATE = 1024;
    private static final int MAX_SIGNATURE = 2048;
    /** Signature algorithms accepted, by their XML Signature URI, as JCA names (ECDSA as r||s, as XML Signature encodes it). */
    static final Map<String, String> ALGORITHMS = Map.of(
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", "SHA256withRSA",
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384", "SHA384withRSA",
            "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512", "SHA512withRSA",
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", "SHA256withECDSAinP1363Format",
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384", "SHA384withECDSAinP1363Format",
            "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512", "SHA512withECDSAinP1363Format");

    /** The signature of a redirect: its algorithm URI, the signature bytes and the octets it covers. */
    record Signed(String sigAlg, byte[] signature, byte[] signedOctets) {
    }

    /** What the query carried: the inflated AuthnRequest XML, the RelayState as sent (may be absent), the signature if any. */
    record Received(byte[] xml, Optional<String> relayState, Optional<Signed> signature) {
    }

    private RedirectBinding() {
    }

    /** Reads the binding's parameters from a raw (still percent-encoded) query string. */
    static Received read(String rawQuery) throws SamlRefusal {
        if (rawQuery == null || rawQuery.length() > 4 * MAX_ENCODED) {
            throw new SamlRefusal("the sign-in request is missing or too large");
        }
        Map<String, String> raw = new HashMap<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (raw.put(name, eq < 0 ? "" : pair.substring(eq + 1)) != null && isBindingParameter(name)) {
                throw new SamlRefusal("the sign-in request repeats the parameter " + name);
            }
        }
        String request = raw.get("SAMLRequest");
        if (request == null || request.isEmpty()) {
            throw new SamlRefusal("the sign-in request has no SAMLRequest");
        }
        if (request.length() > MAX_ENCODED) {
            throw new SamlRefusal("the sign-in request is too large");
        }
        byte[] deflated;
        try {
            deflated = Base64.getMimeDecoder().decode(decode(request));
        } catch (IllegalArgumentException e) {
            throw new SamlRefusal("the SAMLRequest is not base64");
        }
        Optional<String> relayState = Optional.ofNullable(raw.get("RelayState")).map(RedirectBinding::decode);
        if (relayState.isPresent() && (relayState.get().length() > MAX_RELAY_STATE
                || relayState.get().chars().anyMatch(c -> c < 0x20 || c == 0x7f))) {
            throw new SamlRefusal("the RelayState is longer than " + MAX_RELAY_STATE + " characters or has control characters");
        }
        return new Received(inflate(deflated), relayState, signature(raw));
    }

    private static boolean isBindingParameter(String name) {
        return name.equals("SAMLRequest") || name.equals("RelayState") || name.equals("SigAlg") || name.equals("Signature");
    }

    private static Optional<Signed> signature(Map<String, String> raw) throws SamlRefusal {
        String sigAlg = raw.get("SigAlg");
        String signature = raw.get("Signature");
        if (sigAlg == null && signature == null) {
            return Optional.empty();
        }
        if (sigAlg == null || signature == null || signature.length() > MAX_SIGNATURE) {
            throw new SamlRefusal("the sign-in request's signature is incomplete (it needs SigAlg and Signature)");
        }
        String alg = decode(sigAlg);
        if (!ALGORITHMS.containsKey(alg)) {
            throw new SamlRefusal("the sign-in request is signed with " + (alg.contains("sha1") ? "SHA-1, which is refused" : "an unknown algorithm")
                    + ": sign with RSA-SHA256 (mod_auth_mellon: MellonSignatureMethod rsa-sha256)");
        }
        String octets = "SAMLRequest=" + raw.get("SAMLRequest")
                + (raw.containsKey("RelayState") ? "&RelayState=" + raw.get("RelayState") : "") + "&SigAlg=" + sigAlg;
        try {
            return Optional.of(new Signed(alg, Base64.getMimeDecoder().decode(decode(signature)), octets.getBytes(StandardCharsets.US_ASCII)));
        } catch (IllegalArgumentException e) {
            throw new SamlRefusal("the sign-in request's Signature is not base64");
        }
    }

    /** Checks {@code s} with the service provider's certificate; refused unless it verifies. */
    static void verify(Signed s, X509Certificate cert) throws SamlRefusal {
        try {
            Signature v = Signature.getInstance(ALGORITHMS.get(s.sigAlg()));
            v.initVerify(cert.getPublicKey());
            v.update(s.signedOctets());
            if (v.verify(s.signature())) {
                return;
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // a key of another kind than the algorithm, or a malformed signature: not valid either
        }
        throw new SamlRefusal("the sign-in request's signature is not valid for the service provider's certificate");
    }

    /** Raw DEFLATE (no zlib header), stopping at {@value #MAX_XML} bytes of output. */
    static byte[] inflate(byte[] deflated) throws SamlRefusal {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setInput(deflated);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            while (!inflater.finished()) {
                int n = inflater.inflate(buf);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new SamlRefusal("the SAMLRequest is not complete DEFLATE data");
                }
                out.write(buf, 0, n);
                if (out.size() > MAX_XML) {
                    throw new SamlRefusal("the SAMLRequest inflates to more than " + MAX_XML / 1024 + " KiB");
                }
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new SamlRefusal("the SAMLRequest is not DEFLATE data");
        } finally {
            inflater.end();
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
