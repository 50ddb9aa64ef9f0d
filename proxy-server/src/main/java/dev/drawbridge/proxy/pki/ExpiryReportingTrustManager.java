package dev.drawbridge.proxy.pki;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The tunnel listener's client-certificate check: the JDK's (the connector CA, validity by the system clock), unchanged,
 * which also tells {@code expired} about a client certificate it refused that the connector CA signed and that has expired,
 * before the refusal goes on as it was. A certificate the CA did not sign is never reported, so nobody can write events in a
 * connector's name.
 */
public final class ExpiryReportingTrustManager extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager delegate;
    private final X509Certificate connectorCa;
    private final Clock clock;
    private final Consumer<X509Certificate> expired;

    public ExpiryReportingTrustManager(X509ExtendedTrustManager delegate, X509Certificate connectorCa, Clock clock,
                                       Consumer<X509Certificate> expired) {
        this.delegate = delegate;
        this.connectorCa = connectorCa;
        this.clock = clock;
        this.expired = expired;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        try {
            delegate.checkClientTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            report(chain);
            throw e;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        try {
            delegate.checkClientTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            report(chain);
            throw e;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            delegate.checkClientTrusted(chain, authType);
        } catch (CertificateException e) {
            report(chain);
            throw e;
        }
    }

    private void report(X509Certificate[] chain) {
        if (chain == null || chain.length == 0 || !clock.instant().isAfter(chain[0].getNotAfter().toInstant())) {
            return;
        }
        try {
            chain[0].verify(connectorCa.getPublicKey());
        } catch (Exception notOurs) {
            return;
        }
        try {
            expired.accept(chain[0]);
        } catch (RuntimeException ignored) {
            // reporting must never change the handshake's outcome
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        delegate.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        delegate.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}
