package dev.drawbridge.proxy.identity;

import java.util.Objects;
import java.util.Optional;

/**
 * A user as directory sync read it from LDAP, ready to be mirrored into the directory ({@link DirectoryStore#upsertSyncedUser}).
 *
 * @param dn             the entry's DN, which ties the directory user to it
 * @param upn            the sign-in name (stored lower-case)
 * @param onPremUpn      the on-premises user principal name, checked ({@link OnPremNames}) and unambiguous in the sync
 * @param samAccountName the on-premises SAM account name, likewise
 */
public record SyncedUser(String dn, String upn, String displayName, Optional<String> email, Optional<String> department,
                         Optional<String> onPremUpn, Optional<String> samAccountName) {
    public SyncedUser {
        Objects.requireNonNull(dn, "dn");
        Objects.requireNonNull(upn, "upn");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(department, "department");
        Objects.requireNonNull(onPremUpn, "onPremUpn");
        Objects.requireNonNull(samAccountName, "samAccountName");
    }

    /** The same user without an on-premises UPN. */
    SyncedUser withoutOnPremUpn() {
        return new SyncedUser(dn, upn, displayName, email, department, Optional.empty(), samAccountName);
    }

    /** The same user without a SAM account name. */
    SyncedUser withoutSamAccountName() {
        return new SyncedUser(dn, upn, displayName, email, department, onPremUpn, Optional.empty());
    }
}
