package dev.drawbridge.cli;

import dev.drawbridge.adminclient.HttpAdminApi;
import dev.drawbridge.adminclient.ServerUnreachableException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;

/** The typed admin client the CLI's {@link Settings} describe: server, credential, and the CA file as trust anchor. */
final class Connect {
    /** How long a call may take: a directory sync or an app test can take a while. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Connect() {
    }

    static HttpAdminApi client(Settings settings) throws CliException {
        HttpAdminApi.Builder b;
        try {
            b = HttpAdminApi.to(settings.server());
        } catch (IllegalArgumentException e) {
            throw CliException.usage(e.getMessage());
        }
        if (settings.caFile().isPresent()) {
            b.trust(trustStore(settings.caFile().get()));
        }
        return b.token(settings.token().orElse(null)).timeout(TIMEOUT).userAgent("drawbridge-cli/0.1.0").build();
    }

    /** Why the server could not be reached, with what to do where the CLI knows. */
    static String reason(ServerUnreachableException e) {
        return switch (e.reason()) {
            case CONNECTION_REFUSED -> "connection refused (is the server running, and is the port right?)";
            case UNTRUSTED_CERTIFICATE -> "its certificate is not signed by a CA you trust; pass the server's own CA with "
                    + "--ca-file <data dir>/pki/server-ca.pem";
            case TLS_FAILED -> e.why() + "; if the server uses its own CA, pass --ca-file <data dir>/pki/server-ca.pem";
            default -> e.why();
        };
    }

    private static KeyStore trustStore(Path caFile) throws CliException {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw CliException.usage("CA file " + caFile + " holds no certificate");
            }
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw CliException.usage("CA file " + caFile + " is not a PEM certificate: " + e.getMessage());
        }
    }
}
