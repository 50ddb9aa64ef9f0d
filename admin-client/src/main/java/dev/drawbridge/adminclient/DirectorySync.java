package dev.drawbridge.adminclient;

import dev.drawbridge.model.api.DirectorySyncResult;
import dev.drawbridge.model.api.LdapSyncSettings;

/** {@code /directory-sync}: LDAP / Active Directory sync settings, last result, and a run now. */
public interface DirectorySync {
    /** The settings (bind password masked) and the last result. */
    @Operation(method = "GET", path = "directory-sync")
    LdapSyncSettings settings() throws AdminClientException;

    @Operation(method = "PUT", path = "directory-sync")
    LdapSyncSettings configure(LdapSyncSettings settings) throws AdminClientException;

    /** Runs a sync now (a 409 {@link AdminApiException} when none is configured, 502 when LDAP fails). */
    @Operation(method = "POST", path = "directory-sync/run")
    DirectorySyncResult run() throws AdminClientException;
}
