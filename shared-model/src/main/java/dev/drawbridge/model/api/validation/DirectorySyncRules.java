package dev.drawbridge.model.api.validation;

import dev.drawbridge.model.api.LdapSyncSettings;
import dev.drawbridge.model.api.Problem.FieldError;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * LDAP / Active Directory sync settings, as far as they can be checked without the server: an ldap:// or ldaps:// URL,
 * a user base, a schedule of 0 (on demand) to 10080 minutes (a week), attribute names that are LDAP attribute names (RFC
 * 4512: a letter then letters, digits and hyphens, or a numeric OID of three arcs or more, so not the "no attributes" 1.1;
 * no options, no {@code *} or {@code +}, no white space around; blank takes the
 * default, and for the on-premises identity attributes means "not synced"). The server also checks the connector group
 * and where the stored bind password may go.
 */
public final class DirectorySyncRules {
    /** The longest schedule: a week. */
    public static final int MAX_INTERVAL_MINUTES = 10_080;

    /** The longest attribute name accepted. */
    public static final int MAX_ATTRIBUTE_LENGTH = 100;
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z][A-Za-z0-9-]*|(0|[1-9][0-9]*)(\\.(0|[1-9][0-9]*)){2,}");

    private DirectorySyncRules() {
    }

    /** Whether {@code name} is an LDAP attribute name (RFC 4512 descr or numericoid, at most {@value #MAX_ATTRIBUTE_LENGTH} characters). */
    public static boolean isAttributeName(String name) {
        return name != null && name.length() <= MAX_ATTRIBUTE_LENGTH && ATTRIBUTE.matcher(name).matches();
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
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("upnAttribute", in.upnAttribute());
        attributes.put("displayNameAttribute", in.displayNameAttribute());
        attributes.put("mailAttribute", in.mailAttribute());
        attributes.put("departmentAttribute", in.departmentAttribute());
        attributes.put("memberAttribute", in.memberAttribute());
        attributes.put("onPremUpnAttribute", in.onPremUpnAttribute());
        attributes.put("samAccountNameAttribute", in.samAccountNameAttribute());
        attributes.forEach((field, name) -> {
            if (name != null && !name.isBlank() && !isAttributeName(name)) {
                errors.add(new FieldError(field, field + " is not an LDAP attribute name: a letter, then letters, digits "
                        + "or hyphens (e.g. sAMAccountName), or a numeric OID, at most " + MAX_ATTRIBUTE_LENGTH + " characters"));
            }
        });
        return errors;
    }
}
