package dev.drawbridge.connector.identity;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * This connector's client certificate has expired: the server refuses it for good, and only registering again (a new token)
 * helps. {@code drawbridge-connector run} exits 2 on it, which the service's {@code RestartPreventExitStatus=2} does not restart.
 */
public final class ExpiredCertificateException extends IOException {
    public ExpiredCertificateException(String message) {
        super(message);
    }

    /** Whether the certificate stored in {@code stateDir} has expired by {@code clock} (false when there is none to read). */
    public static boolean expired(Path stateDir, Clock clock) {
        try {
            return !clock.instant().isBefore(ConnectorIdentity.load(stateDir).certificate().getNotAfter().toInstant());
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
