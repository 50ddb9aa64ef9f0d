package dev.drawbridge.connector.identity;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.drawbridge.connector.http.Clients;
import dev.drawbridge.connector.http.OutboundProxy;
import dev.drawbridge.model.api.RegistrationRequest;
import dev.drawbridge.model.api.RegistrationResponse;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import javax.security.auth.x500.X500Principal;

/**
 * {@code register}: makes a key pair and a CSR, sends them with the one-time token to the
 * server (trusted through the CA pin), and stores the signed certificate. Failures say whether
 * trying again can help.
 */
public final class Registration {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** Why registration failed; {@code retryable} says whether the same command may succeed later. */
    public static final class RegistrationException extends Exception {
        private final boolean retryable;

        public RegistrationException(String message, boolean retryable, Throwable cause) {
            super(message, cause);
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private Registration() {
    }

    public static ConnectorIdentity register(URI server, String token, String caSha256, String version)
            throws RegistrationException {
        return register(server, token, caSha256, version, Optional.empty());
    }

    /** Registers with the server at {@code server}, reached through {@code proxy} when given. */
    public static ConnectorIdentity register(URI server, String token, String caSha256, String version, Optional<OutboundProxy> proxy)
            throws RegistrationException {
        KeyPair kp;
        String csrPem;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            kp = g.generateKeyPair();
            PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(
                    new X500Principal("CN=drawbridge-connector"), kp.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
            csrPem = ConnectorIdentity.pem("CERTIFICATE REQUEST", csr.getEncoded());
        } catch (Exception e) {
            throw new RegistrationException("cannot create a key pair and CSR: " + e.getMessage(), false, e);
        }
        PinnedTrust trust = new PinnedTrust(caSha256);
        SslContextFactory.Client tls = Clients.serverTls();
        try {
            tls.setSslContext(trust.sslContext());
        } catch (Exception e) {
            throw new RegistrationException("cannot set up TLS: " + e.getMessage(), false, e);
        }
        HttpClient http = Clients.serverClient(tls, proxy);
        try {
            http.start();
            String body = JSON.writeValueAsString(new RegistrationRequest(token, csrPem, hostName(), version));
            ContentResponse resp = http.POST(server.resolve("/connector/v1/register"))
                    .body(new StringRequestContent("application/json", body))
                    .timeout(30, TimeUnit.SECONDS).send();
            if (resp.getStatus() == 401) {
                throw new RegistrationException("the server refused the registration token (invalid, expired or already used): "
                        + "ask an administrator for a new one ('drawbridge tokens create')", false, null);
            }
            if (resp.getStatus() != 201) {
                String detail = resp.getContentAsString();
                boolean retry = resp.getStatus() >= 500;
                String why = detail.startsWith("{") ? JSON.readTree(detail).path("detail").asText(detail) : "not a Drawbridge admin URL?";
                throw new RegistrationException("the server at " + server + " refused registration (HTTP " + resp.getStatus() + ": "
                        + why.strip().replaceAll("\\s+", " ") + ")" + (retry ? ": try again later" : ": check --server, the admin URL printed with the token"),
                        retry, null);
            }
            RegistrationResponse r = JSON.readValue(resp.getContent(), RegistrationResponse.class);
            X509Certificate cert = ConnectorIdentity.certificate(r.certificatePem());
            if (!cert.getPublicKey().equals(kp.getPublic())) {
                throw new RegistrationException("the server returned a certificate for another key", false, null);
            }
            X509Certificate ca = trust.pinnedCa().orElseThrow();
            return new ConnectorIdentity(r.connectorId(), origin(server), r.tunnelUrl(), kp.getPrivate(), cert, ca, r.updateKeyJwk());
        } catch (RegistrationException e) {
            throw e;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            boolean tlsProblem = c instanceof SSLException;
            throw new RegistrationException(tlsProblem
                    ? "the server at " + server + " does not present the CA whose SHA-256 is the --ca-sha256 given (TLS refused): copy the pin "
                      + "printed with the token, and check that --server is the admin URL printed with it"
                    : "cannot reach the server at " + server + " (" + EndpointLookup.root(c) + "): check --server (the admin URL "
                      + "printed with the token) and that the server runs, then try again", !tlsProblem, c);
        } catch (TimeoutException e) {
            throw new RegistrationException("no answer from the server at " + server + " within 30 s: check --server and that "
                    + "the server runs, then try again", true, e);
        } catch (Exception e) {
            throw new RegistrationException("registration failed (" + EndpointLookup.root(e) + "): try again, and check --server", true, e);
        } finally {
            try {
                http.stop();
            } catch (Exception ignored) {
                // nothing left to do
            }
        }
    }

    /** {@code https://host[:port]} of a server URL given by a user: its path, query and fragment dropped. */
    public static String origin(URI server) {
        return server.getScheme() + "://" + server.getRawAuthority();
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
