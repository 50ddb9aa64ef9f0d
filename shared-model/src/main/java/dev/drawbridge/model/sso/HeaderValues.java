package dev.drawbridge.model.sso;

import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The value of a {@link HeaderRule} for a verified user: the same on the connector (which sets it) and on the proxy
 * (which shows it in "test as user"). Each value of the source goes through the rule's transformations in their fixed
 * order (before {@code @}, lower case, prefix), control characters are dropped (a claim cannot start a second header
 * line), then several values are joined; a group name holding the separator (or the separator without its spaces)
 * is left out, so that no backend splitting the list reads a group the user is not in. No value (an absent attribute,
 * no groups, only control characters): no header.
 */
public final class HeaderValues {
    /** The longest value a header may get; a longer one refuses single sign-on instead of cutting groups off. */
    public static final int MAX_VALUE = 16 * 1024;

    private HeaderValues() {
    }

    /** Thrown when a value would be longer than {@link #MAX_VALUE}. */
    public static final class TooLongException extends Exception {
        public TooLongException(String header, int length) {
            super("header " + header + " would be " + length + " characters, over " + MAX_VALUE);
        }
    }

    /** The header's value for {@code user}; empty when the user has no value for the rule's source. */
    public static Optional<String> of(HeaderRule rule, SsoIdentity user) throws TooLongException {
        List<String> out = new ArrayList<>();
        String separator = withoutControls(rule.separatorOrDefault());
        String bareSeparator = separator.strip();
        List<String> values = raw(rule, user);
        for (String raw : values) {
            String v = raw;
            if (rule.beforeAt()) {
                int at = v.lastIndexOf('@');
                v = at < 0 ? v : v.substring(0, at);
            }
            if (rule.lowerCase()) {
                v = v.toLowerCase(Locale.ROOT);
            }
            v = withoutControls(v);
            if (values.size() > 1 || rule.source() == HeaderSource.GROUPS) {
                // A value holding the separator would read as several at the backend ("x, Domain Admins" as a group
                // "Domain Admins"): such a value is left out, never split (found by the hostile review).
                if (v.contains(separator) || (!bareSeparator.isEmpty() && v.contains(bareSeparator))) {
                    continue;
                }
            }
            if (!v.isEmpty()) {
                out.add(rule.prefix() == null ? v : withoutControls(rule.prefix()) + v);
            }
        }
        if (out.isEmpty()) {
            return Optional.empty();
        }
        String joined = String.join(separator, out);
        if (joined.length() > MAX_VALUE) {
            throw new TooLongException(rule.name(), joined.length());
        }
        return Optional.of(joined);
    }

    private static List<String> raw(HeaderRule rule, SsoIdentity u) {
        return switch (rule.source()) {
            case UPN -> List.of(u.upn());
            case OBJECT_ID -> List.of(u.subject());
            case DISPLAY_NAME -> List.of(u.name());
            case EMAIL -> u.email().stream().toList();
            case ON_PREM_UPN -> u.onPremUpn().stream().toList();
            case SAM_ACCOUNT_NAME -> u.samAccountName().stream().toList();
            case GROUPS -> u.groups();
            case CLAIM -> rule.claim() == null || !u.claims().containsKey(rule.claim()) ? List.of()
                    : List.of(u.claims().get(rule.claim()));
        };
    }

    /** {@code s} without control characters (C0, DEL, C1): nothing of a value may end a header line. */
    static String withoutControls(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch >= 0x20 && ch != 0x7f && !(ch >= 0x80 && ch < 0xa0) && ch != '\u2028' && ch != '\u2029') {
                b.append(ch);
            }
        }
        return b.toString();
    }
}
