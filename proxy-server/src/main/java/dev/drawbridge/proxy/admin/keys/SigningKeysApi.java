package dev.drawbridge.proxy.admin.keys;

import dev.drawbridge.model.api.SigningKeysView;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.keys.KeyRetireException;
import dev.drawbridge.proxy.keys.KeySetFullException;
import dev.drawbridge.proxy.keys.SigningKeys;
import dev.drawbridge.proxy.logs.AuditLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * {@code /keys}: the signing key sets ({@code GET}, with {@code CERTIFICATES_READ}) and their rotation ({@code POST
 * /keys/rotate}, {@code SIGNING_KEYS_ROTATE}: global administrators only, since a rotation touches every session's key).
 * {@code POST /keys/{kid}/retire} (the same permission) retires one key at once after a leak. Both go to the audit log
 * with the key ids and times before and after, never a key.
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

    /**
     * {@code POST /keys/{kid}/retire}: the key stops verifying now (a leak), on every node within the propagation time;
     * what it signed is refused from then on. 404 for an unknown id, 409 for a retired key or the signing key without a
     * newer one (rotate first).
     */
    public Answer retire(Caller caller, AdminRequest request) throws ApiException {
        String kid = request.path("kid");
        SigningKeysView before = keys.view();
        SigningKeysView after;
        try {
            after = keys.retire(kid);
        } catch (KeyRetireException e) {
            if (e.reason() == KeyRetireException.Reason.UNKNOWN) {
                throw new ApiException(404, "Not Found", "no signing key has this id (GET /keys lists them)");
            }
            throw new ApiException(409, "Conflict", e.getMessage());
        } catch (IOException | RuntimeException e) {
            LOG.warn("signing key retirement failed: {}", e.toString());
            throw new ApiException(503, "Service Unavailable", "the signing key could not be retired (the server's log says why);"
                    + " the keys in use are unchanged: try again");
        }
        audit.record(caller.subject(), "signing-keys.retire", "signing-keys", kid, before, after);
        return Answer.ok(after);
    }
}
