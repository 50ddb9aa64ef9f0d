package dev.drawbridge.proxy.admin.connectors;

import dev.drawbridge.model.api.RegistrationTokenRequest;
import dev.drawbridge.model.api.RegistrationTokenView;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.pki.Pem;
import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import dev.drawbridge.proxy.web.ValidationException;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /registration-tokens}: a one-time token (1 to 1440 minutes, default 60) that registers one connector into a
 * group, and the install command with the server CA's pin. The command does not hold the token: it reads it from a prompt
 * or standard input ({@code --token -}), since a command line is visible to every local user of the connector machine
 * ({@code ps}, {@code /proc/PID/cmdline}) and lands in shell history; the token is shown beside it, to paste when asked.
 * Only the token's hash is stored; the audit log keeps its id, group and expiry, never the token.
 */
public final class RegistrationTokensApi {
    private final ConnectorStore connectors;
    private final ServerKeys keys;
    private final String serverUrl;
    private final Clock clock;
    private final AuditLog audit;

    /** @param serverUrl where connectors register: the admin host's URL */
    public RegistrationTokensApi(ConnectorStore connectors, ServerKeys keys, String serverUrl, Clock clock, AuditLog audit) {
        this.connectors = connectors;
        this.keys = keys;
        this.serverUrl = serverUrl;
        this.clock = clock;
        this.audit = audit;
    }

    public Answer create(Caller caller, AdminRequest request) throws ValidationException, IOException {
        RegistrationTokenRequest req = request.body(RegistrationTokenRequest.class);
        String key = req.connectorGroup() == null || req.connectorGroup().isBlank() ? ConnectorStore.DEFAULT_GROUP : req.connectorGroup();
        ConnectorStore.Group g = connectors.findGroup(key).orElseThrow(
                () -> new ValidationException("connectorGroup", "no connector group named or with id '" + key + "'"));
        int ttl = req.ttlMinutes() == null ? 60 : req.ttlMinutes();
        if (ttl < 1 || ttl > 1440) {
            throw new ValidationException("ttlMinutes", "ttlMinutes must be between 1 and 1440");
        }
        String token = "dbreg_" + ServerKeys.randomToken(32);
        Instant now = clock.instant();
        Instant expires = now.plus(Duration.ofMinutes(ttl));
        String id = UUID.randomUUID().toString();
        connectors.insertToken(id, HexFormat.of().formatHex(ServerKeys.sha256(token)), g.id(), now, expires);
        String pin = Pem.sha256(keys.serverCa().certificate());
        String install = installCommand(serverUrl, pin);
        RegistrationTokenView created = new RegistrationTokenView(id, token, g.id(), expires, pin, install);
        // The token itself is a secret: the log keeps its id, group and expiry only.
        audit.record(caller.subject(), "registration-token.create", "registration-token", created.id(), null,
                Map.of("connectorGroupId", created.connectorGroupId(), "expiresAt", created.expiresAt().toString()));
        return Answer.created(created);
    }

    /** The command that registers a connector with this server: it asks for the token ({@code --token -}), never holds it. */
    static String installCommand(String serverUrl, String caSha256) {
        return "drawbridge-connector register --server " + serverUrl + " --ca-sha256 " + caSha256 + " --token -";
    }
}
