package dev.drawbridge.model.api.validation;

import dev.drawbridge.model.api.LdapSyncSettings;
import dev.drawbridge.model.api.Problem.FieldError;

import java.util.ArrayList;
import java.util.List;

/**
 * LDAP / Active Directory sync settings, as far as they can be checked without the server: an ldap:// or ldaps:// URL,
 * a user base, a schedule of 0 (on demand) to 10080 minutes (a week). The server also checks the connector group and
 * where the stored bind password may go.
 */
public final class DirectorySyncRules {
    /** The longest schedule: a week. */
    public static final int MAX_INTERVAL_MINUTES = 10_080;

    private DirectorySyncRules() {
    }

    /** Every problem, each naming its field; empty when these rules hold. */
    public static List<FieldError> check(LdapSyncSettings in) {
        List<FieldError> errors = new ArrayList<>();
        if (in.url() == null || !(in.url().startsWith("ldap://") || in.url().startsWith("ldaps://"))) {
            errors.add(new FieldError("url", "url must start with ldap:// or ldaps://"));
        }
        if (in.userBase() == null || in.userBase().isBlank()) {
            errors.add(new FieldError("userBase", "userBase is required, e.g. ou=people,dc=corp,dc=example"));
        }
        if (in.intervalMinutes() != null && (in.intervalMinutes() < 0 || in.intervalMinutes() > MAX_INTERVAL_MINUTES)) {
            errors.add(new FieldError("intervalMinutes", "intervalMinutes must be 0 (on demand) to " + MAX_INTERVAL_MINUTES));
        }
        return errors;
    }
}
