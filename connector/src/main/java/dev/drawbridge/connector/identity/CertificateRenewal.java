package dev.drawbridge.connector.identity;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.drawbridge.model.api.RenewalRequest;
import dev.drawbridge.model.api.RenewalResponse;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.security.auth.x500.X500Principal;

/**
 * Renewal of the connector's client certificate over its authenticated channel, well before expiry: once the certificate
 * has lived half its validity (Entra's connectors renew at 180 days of 365). A new key pair and CSR are sent to
 * {@code POST /connector/v1/renew} on the tunnel port with the current certificate as the TLS client certificate; the
 * answer is the new certificate, which must be for the new key, this connector and the same issuer (the TLS handshake with
 * the pinned server CA already authenticated the server). The new key is stored as pending ({@link PendingRenewal}) before
 * the CSR leaves and until the renewed identity is stored: a renewal whose answer was lost asks again for the same key, and
 * the server answers the same certificate to the previous certificate during its grace.
 */
public final class CertificateRenewal {
    public static final String PATH = "/connector/v1/renew";
    /** The longest wait between two attempts of a renewal under way. */
    public static final Duration RETRY_CAP = Duration.ofMinutes(5);
    private static final Duration RETRY_FIRST = Duration.ofSeconds(5);
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** A renewal the server refused or that failed; {@code retryable} when trying again later may help. */
    public static final class RenewalException extends Exception {
        private final boolean retryable;

        RenewalException(String message, boolean retryable, Throwable cause) {
            super(message, cause);
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private CertificateRenewal() {
    }

    /** Whether {@code cert} is due for renewal at {@code now}: it has lived at least half its validity. */
    public static boolean due(X509Certificate cert, Instant now) {
        Instant from = cert.getNotBefore().toInstant(), to = cert.getNotAfter().toInstant();
        return !now.isBefore(from.plus(Duration.between(from, to).dividedBy(2)));
    }

    /**
     * Renews {@code id}'s certificate with the renewal's pending key (a new one, stored before the CSR leaves, unless a
     * renewal whose answer was lost left one in {@code stateDir}), then stores the renewed identity, which ends the
     * pending renewal. After a failure the pending key stays: the next attempt asks again for it, with the current
     * certificate, or with the previous one if the server renewed meanwhile (it answers the same certificate then).
     */
    public static ConnectorIdentity renewAndStore(ConnectorIdentity id, Path stateDir, URI tunnelUrl, HttpClient http)
            throws RenewalException, IOException {
        KeyPair pending = PendingRenewal.loadOrCreate(stateDir, id.certificate());
        ConnectorIdentity renewed = renew(id, pending, tunnelUrl, http);
        renewed.saveRenewed(stateDir);
        return renewed;
    }

    /** As {@link #renew(ConnectorIdentity, KeyPair, URI, HttpClient)} for a new key pair, kept nowhere. */
    public static ConnectorIdentity renew(ConnectorIdentity id, URI tunnelUrl, HttpClient http) throws RenewalException {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return renew(id, g.generateKeyPair(), tunnelUrl, http);
        } catch (GeneralSecurityException e) {
            throw new RenewalException("cannot create a key pair: " + e.getMessage(), false, e);
        }
    }

    /**
     * Asks for a certificate for {@code kp} through {@code http} (which presents {@code id}'s certificate to the tunnel
     * port of {@code tunnelUrl}); answers the identity with that key and the new certificate, not yet stored.
     */
    public static ConnectorIdentity renew(ConnectorIdentity id, KeyPair kp, URI tunnelUrl, HttpClient http) throws RenewalException {
        String csrPem;
        try {
            PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=drawbridge-connector"),
                    kp.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
            csrPem = ConnectorIdentity.pem("CERTIFICATE REQUEST", csr.getEncoded());
        } catch (Exception e) {
            throw new RenewalException("cannot create a CSR: " + e.getMessage(), false, e);
        }
        URI endpoint = URI.create("https://" + tunnelUrl.getRawAuthority() + PATH);
        ContentResponse r;
        try {
            // A connection of its own, closed after the answer: a pooled one would stay authenticated with the certificate
            // this renewal replaces (the TLS context switches for new connections only), which may not renew again.
            r = http.POST(endpoint).headers(h -> h.put(HttpHeader.CONNECTION, "close"))
                    .body(new StringRequestContent("application/json", JSON.writeValueAsString(new RenewalRequest(csrPem))))
                    .timeout(30, TimeUnit.SECONDS).send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RenewalException("interrupted", true, e);
        } catch (Exception e) {
            throw new RenewalException("cannot reach " + endpoint + " (" + EndpointLookup.root(e) + ")", true, e);
        }
        if (r.getStatus() != 200) {
            boolean retry = r.getStatus() == 429 || r.getStatus() == 409 || r.getStatus() >= 500;
            throw new RenewalException("the server refused the renewal (HTTP " + r.getStatus() + ": " + detail(r) + ")", retry, null);
        }
        try {
            RenewalResponse answer = JSON.readValue(r.getContent(), RenewalResponse.class);
            X509Certificate cert = ConnectorIdentity.certificate(answer.certificatePem());
            if (!cert.getPublicKey().equals(kp.getPublic())) {
                throw new RenewalException("the server returned a certificate for another key", false, null);
            }
            if (!cert.getSubjectX500Principal().equals(id.certificate().getSubjectX500Principal())) {
                throw new RenewalException("the server returned a certificate for another connector", false, null);
            }
            if (!cert.getIssuerX500Principal().equals(id.certificate().getIssuerX500Principal())) {
                throw new RenewalException("the server returned a certificate of another issuer", false, null);
            }
            return new ConnectorIdentity(id.connectorId(), id.serverUrl(), id.tunnelUrl(), kp.getPrivate(), cert, id.serverCa(),
                    id.updateKeyJwk());
        } catch (RenewalException e) {
            throw e;
        } catch (Exception e) {
            throw new RenewalException("the server's answer is not a usable certificate (" + EndpointLookup.root(e) + ")", false, e);
        }
    }

    /**
     * How long to wait before asking again after {@code failures} failed attempts of a renewal under way (a pending key):
     * from a few seconds, doubling, at most {@link #RETRY_CAP}, jittered down to half; far within the server's one-hour
     * grace for the previous certificate, which is all the time a renewal whose answer was lost has.
     */
    public static Duration retryDelay(int failures) {
        long cap = RETRY_CAP.toMillis();
        long full = Math.min(cap, RETRY_FIRST.toMillis() << Math.min(Math.max(failures - 1, 0), 20));
        return Duration.ofMillis(full / 2 + ThreadLocalRandom.current().nextLong(full / 2 + 1));
    }

    private static String detail(ContentResponse r) {
        String body = r.getContentAsString();
        try {
            return JSON.readTree(body).path("detail").asText(body).strip().replaceAll("\\s+", " ");
        } catch (Exception e) {
            return "no details";
        }
    }
}
