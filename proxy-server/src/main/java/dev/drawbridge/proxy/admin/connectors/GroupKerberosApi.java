package dev.drawbridge.proxy.admin.connectors;

import dev.drawbridge.model.api.KerberosGroupSettings;
import dev.drawbridge.model.api.KerberosGroupView;
import dev.drawbridge.model.api.Problem.FieldError;
import dev.drawbridge.model.api.validation.KerberosRules;
import dev.drawbridge.model.sso.KerberosConfig;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.sso.KerberosGroupStore;
import dev.drawbridge.proxy.sso.Keytabs;
import dev.drawbridge.proxy.tunnel.ConnectorRegistry;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import dev.drawbridge.proxy.web.ValidationException;

import java.io.IOException;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * {@code /connector-groups/{id}/kerberos}: a group's Kerberos settings for constrained delegation. The keytab is
 * write-only (the view lists the principals it holds keys for), must hold a key for the connectors' principal, and is
 * sent at once to the group's connected connectors; audit entries show the settings without the keytab.
 */
public final class GroupKerberosApi {
    private final ConnectorStore connectors;
    private final KerberosGroupStore store;
    private final ConnectorRegistry registry;
    private final Clock clock;
    private final AuditLog audit;

    public GroupKerberosApi(ConnectorStore connectors, KerberosGroupStore store, ConnectorRegistry registry, Clock clock, AuditLog audit) {
        this.connectors = connectors;
        this.store = store;
        this.registry = registry;
        this.clock = clock;
        this.audit = audit;
    }

    public Answer get(Caller caller, AdminRequest request) throws ApiException {
        String groupId = groupId(request);
        return Answer.ok(store.find(groupId).map(GroupKerberosApi::view).orElseThrow(() -> new ApiException(404, "Not found",
                "connector group has no Kerberos settings")));
    }

    public Answer put(Caller caller, AdminRequest request) throws ApiException, ValidationException, IOException {
        String groupId = groupId(request);
        KerberosGroupSettings in = request.body(KerberosGroupSettings.class);
        List<FieldError> errors = KerberosRules.check(in);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        String principal = KerberosRules.withRealm(in.servicePrincipal(), in.realm());
        byte[] keytab = Base64.getMimeDecoder().decode(in.keytab());
        try {
            List<String> held;
            try {
                held = Keytabs.principals(keytab);
            } catch (Keytabs.NotAKeytabException e) {
                throw new ValidationException(List.of(new FieldError("keytab", "keytab: " + e.getMessage())));
            }
            if (!held.contains(principal)) {
                throw new ValidationException(List.of(new FieldError("keytab", "the keytab has no key for " + principal
                        + " (it holds " + (held.isEmpty() ? "none" : String.join(", ", held)) + ")")));
            }
            KerberosGroupView before = store.find(groupId).map(GroupKerberosApi::view).orElse(null);
            KerberosGroupStore.Stored stored = store.put(groupId, new KerberosConfig(in.realm(), in.kdcs(), principal, keytab),
                    clock.instant());
            KerberosGroupView after = view(stored);
            audit.record(caller.subject(), "connector-group.kerberos.set", "connector-group", groupId, before, after);
            registry.refreshConfigs();
            return Answer.ok(after);
        } finally {
            Arrays.fill(keytab, (byte) 0);
        }
    }

    public Answer delete(Caller caller, AdminRequest request) throws ApiException {
        String groupId = groupId(request);
        KerberosGroupView before = store.find(groupId).map(GroupKerberosApi::view).orElseThrow(ApiException::notFound);
        store.delete(groupId);
        audit.record(caller.subject(), "connector-group.kerberos.delete", "connector-group", groupId, before, null);
        registry.refreshConfigs();
        return Answer.noContent();
    }

    private String groupId(AdminRequest request) throws ApiException {
        return connectors.findGroup(request.path("id")).orElseThrow(ApiException::notFound).id();
    }

    private static KerberosGroupView view(KerberosGroupStore.Stored s) {
        List<String> principals;
        try {
            principals = Keytabs.principals(s.config().keytab());
        } catch (Keytabs.NotAKeytabException e) {
            principals = List.of();
        }
        return new KerberosGroupView(s.config().realm(), s.config().kdcs(), s.config().servicePrincipal(), principals, s.updatedAt());
    }
}
