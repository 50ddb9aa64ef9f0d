package dev.drawbridge.proxy.admin.keys;

import dev.drawbridge.model.api.SigningKeysView;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.keys.KeySetFullException;
import dev.drawbridge.proxy.keys.SigningKeys;
import dev.drawbridge.proxy.logs.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * {@code /keys}: the signing key sets ({@code GET}, with {@code CERTIFICATES_READ}) and their rotation ({@code POST
 * /keys/rotate}, {@code SIGNING_KEYS_ROTATE}: global administrators only, since a rotation touches every session's key).
 * A rotation goes to the audit log with the key ids and times before and after, never a key.
 */
public final class SigningKeysApi {
    private static final Logger LOG = LoggerFactory.getLogger(SigningKeysApi.class);

    private final SigningKeys keys;
    private final AuditLog audit;

    public SigningKeysApi(SigningKeys keys, AuditLog audit) {
        this.keys = keys;
        this.audit = audit;
    }

    public Answer get(Caller caller, AdminRequest request) {
        return Answer.ok(keys.view());
    }

    public Answer rotate(Caller caller, AdminRequest request) throws ApiException {
        SigningKeysView before = keys.view();
        SigningKeysView after;
        try {
            after = keys.rotate();
        } catch (KeySetFullException e) {
            throw new ApiException(409, "Too many signing keys", e.getMessage() + ": rotate again then (no key is dropped before"
                    + " every token it signed has expired)");
        } catch (IOException | RuntimeException e) {
            LOG.warn("signing key rotation failed: {}", e.toString());
            throw new ApiException(503, "Service Unavailable", "the signing keys could not be rotated (the server's log says why);"
                    + " the keys in use are unchanged: try again");
        }
        audit.record(caller.subject(), "signing-keys.rotate", "signing-keys", Long.toString(after.generation()), before, after);
        return Answer.ok(after);
    }
}
