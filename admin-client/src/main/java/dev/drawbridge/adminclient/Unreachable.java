package dev.drawbridge.adminclient;

import dev.drawbridge.adminclient.ServerUnreachableException.Reason;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import javax.net.ssl.SSLException;

/** Says why a call got no answer: the transport failure of the JDK's client as a {@link ServerUnreachableException}. */
final class Unreachable {
    private Unreachable() {
    }

    static ServerUnreachableException interrupted(URI server, InterruptedException e) {
        return new ServerUnreachableException(Reason.INTERRUPTED, hostPort(server), "interrupted while waiting for its answer", e);
    }

    /** The deadline of a whole exchange expired: before the answer's headers, or while its body was arriving. */
    static ServerUnreachableException timedOut(URI server, Duration timeout, int status, long received, Exception e) {
        String why = status < 0 ? "no answer within " + seconds(timeout)
                : "its answer (HTTP " + status + ") did not finish within " + seconds(timeout) + ": " + received + " bytes of the body arrived";
        return new ServerUnreachableException(Reason.TIMEOUT, hostPort(server), why, e);
    }

    static ServerUnreachableException of(URI server, Duration timeout, IOException e) {
        String at = hostPort(server);
        if (e instanceof HttpConnectTimeoutException) {
            return new ServerUnreachableException(Reason.TIMEOUT, at, "no connection within " + seconds(timeout), e);
        }
        if (e instanceof HttpTimeoutException) {
            return new ServerUnreachableException(Reason.TIMEOUT, at, "no answer within " + seconds(timeout), e);
        }
        SSLException tls = null;
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof CertPathBuilderException || c instanceof CertPathValidatorException) {
                return new ServerUnreachableException(Reason.UNTRUSTED_CERTIFICATE, at,
                        "its certificate is not signed by a CA this client trusts", e);
            }
            if (c instanceof CertificateException && String.valueOf(c.getMessage()).contains("No ")
                    && String.valueOf(c.getMessage()).contains("match")) {
                return new ServerUnreachableException(Reason.WRONG_HOST_NAME, at,
                        "its certificate does not name " + server.getHost(), e);
            }
            if (c instanceof SSLException s && tls == null) {
                tls = s;
            }
            if (c instanceof ConnectException) {
                return new ServerUnreachableException(Reason.CONNECTION_REFUSED, at, "nothing answers on " + at, e);
            }
            if (c instanceof UnknownHostException || c instanceof UnresolvedAddressException) {
                return new ServerUnreachableException(Reason.UNKNOWN_HOST, at, "unknown host " + server.getHost(), e);
            }
        }
        if (tls != null) {
            String m = String.valueOf(tls.getMessage());
            if (m.contains("PKIX") || m.contains("certification path")) {
                return new ServerUnreachableException(Reason.UNTRUSTED_CERTIFICATE, at,
                        "its certificate is not signed by a CA this client trusts", e);
            }
            return new ServerUnreachableException(Reason.TLS_FAILED, at, "the TLS handshake failed (" + m + ")", e);
        }
        return new ServerUnreachableException(Reason.OTHER, at,
                e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }

    static String hostPort(URI server) {
        int port = server.getPort() > 0 ? server.getPort() : "http".equalsIgnoreCase(server.getScheme()) ? 80 : 443;
        return server.getHost() + ":" + port;
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
