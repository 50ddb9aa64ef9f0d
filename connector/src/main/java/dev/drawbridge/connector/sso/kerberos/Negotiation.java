package dev.drawbridge.connector.sso.kerberos;

import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One request's Kerberos authentication to a backend (one GSS context: a token is good for one request only, the
 * backend's replay cache refuses a second use): the {@code Authorization} value to send, and the check of the
 * backend's answer, whose {@code WWW-Authenticate: Negotiate <token>} must prove that it holds the SPN's key (mutual
 * authentication) before the connector trusts what it says. Close it once done (it holds the session key).
 */
public final class Negotiation implements AutoCloseable {
    private static final int MAX_REPLY_TOKEN = 64 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(Negotiation.class);

    private final GSSContext context;
    private final byte[] token;
    private final String user;
    private final String spn;
    private final String service;

    Negotiation(GSSContext context, byte[] token, String user, String spn, String service) {
        this.context = context;
        this.token = token.clone();
        this.user = user;
        this.spn = spn;
        this.service = service;
    }

    /** {@code Negotiate <base64 SPNEGO token>}, the value of the request's {@code Authorization} header. */
    public String authorization() {
        return "Negotiate " + Base64.getEncoder().encodeToString(token);
    }

    /** The user this negotiation speaks for ({@code alice@REALM}). */
    public String user() {
        return user;
    }

    /**
     * Checks the backend's answer: its {@code WWW-Authenticate} values must hold a {@code Negotiate} token that
     * completes the context with mutual authentication.
     *
     * @throws DelegationRefused {@link RefusalReason#MUTUAL_AUTH_FAILED} when there is no such token or it does not verify
     */
    public void verify(List<String> wwwAuthenticate) throws DelegationRefused {
        byte[] reply = replyToken(wwwAuthenticate).orElseThrow(() -> refused(null));
        try {
            context.initSecContext(reply, 0, reply.length);
        } catch (GSSException | RuntimeException e) {
            throw refused(e);
        }
        if (!context.isEstablished() || !context.getMutualAuthState()) {
            throw refused(null);
        }
    }

    private DelegationRefused refused(Throwable failure) {
        DelegationRefused refused = new DelegationRefused(RefusalReason.MUTUAL_AUTH_FAILED, user, spn, service);
        LOG.warn("Kerberos mutual authentication of {} for {} failed: {}",
                spn, user, failure == null ? "no Negotiate token in the answer" : failure.getClass().getSimpleName() + ": " + failure.getMessage());
        return refused;
    }

    /** The token of the first {@code Negotiate <token>} challenge among the header values. */
    static Optional<byte[]> replyToken(List<String> wwwAuthenticate) {
        for (String value : wwwAuthenticate == null ? List.<String>of() : wwwAuthenticate) {
            for (String challenge : value.split(",")) {
                String c = challenge.strip();
                if (c.length() > 10 && c.substring(0, 10).toLowerCase(Locale.ROOT).equals("negotiate ")) {
                    String encoded = c.substring(10).strip();
                    if (encoded.length() > MAX_REPLY_TOKEN) {
                        return Optional.empty();
                    }
                    try {
                        return Optional.of(Base64.getDecoder().decode(encoded));
                    } catch (IllegalArgumentException notBase64) {
                        return Optional.empty();
                    }
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public void close() {
        try {
            context.dispose();
        } catch (GSSException ignored) {
            // nothing held any more
        }
    }
}
