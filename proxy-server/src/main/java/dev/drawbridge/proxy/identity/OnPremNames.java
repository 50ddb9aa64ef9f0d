package dev.drawbridge.proxy.identity;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * What an on-premises identity read from the directory must look like before a user is named by it (Kerberos
 * delegation asks the KDC for a ticket of that name; header single sign-on hands it to the app as who the user is).
 * Anything else is not synced, with the reason: a value that different readers could split differently must not
 * reach them.
 *
 * <ul>
 *   <li>both: 1 to {@value #MAX_UPN} ({@value #MAX_SAM} for the SAM account name) characters, no leading or trailing
 *       space (non-breaking ones included), no control, format (zero-width, bidirectional overrides, tags), line or paragraph separator, private-use
 *       or unassigned characters, no lone surrogates;</li>
 *   <li>on-premises UPN: exactly one {@code @}, with something on each side (a second {@code @} would make "user" and
 *       "realm" depend on who splits it);</li>
 *   <li>SAM account name: none of the characters Active Directory forbids in it, {@code " / \ [ ] : ; | = , + * ? < > @},
 *       whatever the directory (a {@code \} or {@code @} would let it pose as {@code DOMAIN\name} or
 *       {@code name@REALM}), and not only dots and spaces.</li>
 * </ul>
 */
final class OnPremNames {
    /** The longest on-premises UPN (AD's upper bound of userPrincipalName; the column's size). */
    static final int MAX_UPN = 1024;
    /** The longest SAM account name (AD's upper bound of sAMAccountName; the column's size). */
    static final int MAX_SAM = 256;
    private static final String SAM_FORBIDDEN = "\"/\\[]:;|=,+*?<>@";

    private OnPremNames() {
    }

    /** Why {@code value} cannot be an on-premises UPN; empty when it can. */
    static Optional<String> upnProblem(String value) {
        Optional<String> common = common(value, MAX_UPN);
        if (common.isPresent()) {
            return common;
        }
        int at = value.indexOf('@');
        if (at <= 0 || at == value.length() - 1 || value.indexOf('@', at + 1) >= 0) {
            return Optional.of("is not of the form name@suffix with exactly one @");
        }
        return Optional.empty();
    }

    /** Why {@code value} cannot be a SAM account name; empty when it can. */
    static Optional<String> samProblem(String value) {
        Optional<String> common = common(value, MAX_SAM);
        if (common.isPresent()) {
            return common;
        }
        for (int i = 0; i < value.length(); i++) {
            if (SAM_FORBIDDEN.indexOf(value.charAt(i)) >= 0) {
                return Optional.of("contains '" + value.charAt(i) + "', which a SAM account name may not");
            }
        }
        if (value.chars().allMatch(c -> c == '.' || c == ' ')) {
            return Optional.of("is only dots and spaces");
        }
        return Optional.empty();
    }

    /** White space, non-breaking spaces included. */
    private static boolean space(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
    }

    private static Optional<String> common(String value, int max) {
        if (value.isEmpty()) {
            return Optional.of("is empty");
        }
        if (value.length() > max) {
            return Optional.of("is longer than " + max + " characters");
        }
        if (space(value.codePointAt(0)) || space(value.codePointBefore(value.length()))) {
            return Optional.of("starts or ends with white space");
        }
        // By code point: a lone surrogate is one of type SURROGATE; tag characters (U+E0000 block) are FORMAT.
        OptionalInt bad = value.codePoints().filter(cp -> switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE -> true;
            default -> false;
        }).findFirst();
        return bad.isEmpty() ? Optional.empty()
                : Optional.of(String.format("contains the character U+%04X, which no name may", bad.getAsInt()));
    }
}
