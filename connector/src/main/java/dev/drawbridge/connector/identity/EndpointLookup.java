package dev.drawbridge.connector.identity;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.drawbridge.connector.http.Clients;
import dev.drawbridge.connector.http.OutboundProxy;
import dev.drawbridge.model.api.ConnectorEndpoints;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.net.URI;
import java.net.UnknownHostException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * Asks the server where its tunnel listener is now ({@code GET /connector/v1/endpoints} on its admin URL),
 * trusting only the server CA the connector stored at registration (host name checked): so a connector follows
 * a server whose tunnel port moved, and nobody but that server can send it elsewhere.
 */
public final class EndpointLookup {
    public static final String PATH = "/connector/v1/endpoints";
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** Why the lookup failed. */
    public enum Failure {
        /** Nothing answered (refused, timed out, name unknown): the server may be down or elsewhere. */
        UNREACHABLE,
        /** Something answered with a certificate that does not chain to the stored server CA (or not for this host). */
        UNTRUSTED,
        /** The server answered but not with endpoints (an older server, or not a Drawbridge admin URL). */
        NO_ANSWER
    }

    /** A failed lookup, with a sentence saying what happened. */
    public static final class LookupException extends Exception {
        private final Failure failure;

        LookupException(Failure failure, String message, Throwable cause) {
            super(message, cause);
            this.failure = failure;
        }

        public Failure failure() {
            return failure;
        }
    }

    private EndpointLookup() {
    }

    /** The server's current tunnel URL. */
    public static String tunnelUrl(URI serverUrl, X509Certificate serverCa, Duration timeout) throws LookupException {
        return tunnelUrl(serverUrl, serverCa, timeout, Optional.empty());
    }

    /** The server's current tunnel URL, asked through {@code proxy} when given. */
    public static String tunnelUrl(URI serverUrl, X509Certificate serverCa, Duration timeout, Optional<OutboundProxy> proxy)
            throws LookupException {
        return endpoints(serverUrl, serverCa, timeout, proxy).tunnelUrl();
    }

    /** The server's whole answer: its tunnel URL and, from a server that has them, the live nodes' (docs/scale-out.md). */
    public static ConnectorEndpoints endpoints(URI serverUrl, X509Certificate serverCa, Duration timeout, Optional<OutboundProxy> proxy)
            throws LookupException {
        HttpClient http;
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("server-ca", serverCa);
            // The server-facing TLS profile (as registration and the tunnels), host name checked against the stored CA.
            SslContextFactory.Client tls = Clients.serverTls();
            tls.setTrustStore(trust);
            tls.setEndpointIdentificationAlgorithm("HTTPS");
            http = Clients.serverClient(tls, proxy);
            http.setConnectTimeout(timeout.toMillis());
            http.start();
        } catch (Exception e) {
            throw new LookupException(Failure.NO_ANSWER, "cannot set up a client for " + serverUrl + ": " + e.getMessage(), e);
        }
        try {
            ContentResponse r = http.newRequest(serverUrl.resolve(PATH)).timeout(timeout.toMillis(), TimeUnit.MILLISECONDS).send();
            if (r.getStatus() != 200) {
                throw new LookupException(Failure.NO_ANSWER, serverUrl + " answered " + r.getStatus() + " to " + PATH, null);
            }
            return JSON.readValue(r.getContent(), ConnectorEndpoints.class);
        } catch (LookupException e) {
            throw e;
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (untrusted(c)) {
                throw new LookupException(Failure.UNTRUSTED, "the server at " + serverUrl
                        + " does not present a certificate of the CA this connector registered with", c);
            }
            throw new LookupException(Failure.UNREACHABLE, "cannot reach " + serverUrl + " (" + root(c) + ")", c);
        } catch (TimeoutException e) {
            throw new LookupException(Failure.UNREACHABLE, "no answer from " + serverUrl + " within " + timeout.toSeconds() + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LookupException(Failure.UNREACHABLE, "interrupted while asking " + serverUrl, e);
        } catch (Exception e) {
            // A body that is not the endpoints document (e.g. a wss:// URL missing, or not JSON).
            throw new LookupException(Failure.NO_ANSWER, serverUrl + " did not answer with the tunnel URL (" + root(e) + ")", e);
        } finally {
            try {
                http.stop();
            } catch (Exception ignored) {
                // nothing left to do
            }
        }
    }

    /** Whether a TLS failure says the peer's certificate does not chain to the CA trusted (or names another host). */
    public static boolean untrusted(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof CertificateException) {
                return true;
            }
            if (c instanceof SSLException && c.getMessage() != null
                    && (c.getMessage().contains("PKIX") || c.getMessage().contains("subject alternative") || c.getMessage().contains("certificate"))) {
                return true;
            }
        }
        return false;
    }

    /** The root cause in a few words, for a sentence: its message, or its kind when it has none. */
    public static String root(Throwable t) {
        Optional<String> proxy = OutboundProxy.refusal(t);
        if (proxy.isPresent()) {
            return proxy.get();
        }
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        if (c instanceof UnknownHostException) {
            return "unknown host " + c.getMessage();
        }
        if (c.getMessage() == null || c.getMessage().isBlank()) {
            return c.getClass().getSimpleName().replaceAll("(Exception|Error)$", "").replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT);
        }
        return c.getMessage().replaceAll("\\s+", " ").strip();
    }
}
