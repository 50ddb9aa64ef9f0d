package dev.drawbridge.adminclient;

import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.KerberosGroupSettings;
import dev.drawbridge.model.api.KerberosGroupView;
import dev.drawbridge.model.api.MaintenanceBody;
import dev.drawbridge.model.api.NameBody;
import dev.drawbridge.model.api.Page;
import dev.drawbridge.model.api.RolloutSettings;
import dev.drawbridge.model.api.RolloutView;

/** {@code /connector-groups}: the groups connectors join and apps are served through. */
public interface ConnectorGroups {
    @Operation(method = "GET", path = "connector-groups")
    Page<ConnectorGroupView> list(Paging paging) throws AdminClientException;

    /** Creates a group named {@code group.name()}. */
    @Operation(method = "POST", path = "connector-groups")
    ConnectorGroupView create(NameBody group) throws AdminClientException;

    @Operation(method = "GET", path = "connector-groups/{id}")
    ConnectorGroupView get(String id) throws AdminClientException;

    /**
     * Puts the group in maintenance mode (or changes its message): no new request goes to its connectors, its apps answer a
     * maintenance page. Answers the group.
     */
    @Operation(method = "PUT", path = "connector-groups/{id}/maintenance")
    ConnectorGroupView startMaintenance(String id, MaintenanceBody body) throws AdminClientException;

    /** Ends the group's maintenance mode. Answers the group. */
    @Operation(method = "DELETE", path = "connector-groups/{id}/maintenance")
    ConnectorGroupView endMaintenance(String id) throws AdminClientException;

    /** The group's connector update rollout: state, target version, what an administrator set, its connectors. */
    @Operation(method = "GET", path = "connector-groups/{id}/rollout")
    RolloutView rollout(String id) throws AdminClientException;

    /**
     * Sets the group's rollout (paused, pinned version); any change also clears a halt. A pinned version must be an
     * uploaded one (400 naming it). Rolling back is pinning the highest uploaded version below the target.
     */
    @Operation(method = "PUT", path = "connector-groups/{id}/rollout")
    RolloutView setRollout(String id, RolloutSettings settings) throws AdminClientException;

    /** The group's Kerberos settings (never the keytab). */
    @Operation(method = "GET", path = "connector-groups/{id}/kerberos")
    KerberosGroupView kerberos(String id) throws AdminClientException;

    /** Sets the group's Kerberos settings; the keytab is sent once and never returned. */
    @Operation(method = "PUT", path = "connector-groups/{id}/kerberos")
    KerberosGroupView setKerberos(String id, KerberosGroupSettings settings) throws AdminClientException;

    /** Removes the group's Kerberos settings. */
    @Operation(method = "DELETE", path = "connector-groups/{id}/kerberos")
    void removeKerberos(String id) throws AdminClientException;

    /** Deletes an empty group. */
    @Operation(method = "DELETE", path = "connector-groups/{id}")
    void delete(String id) throws AdminClientException;
}
