package dev.drawbridge.proxy.apps;

import dev.drawbridge.model.api.Problem;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * Reads a wildcard app's URL for validation ({@link AppValidator}): a '*' in the host must be the whole first label
 * ({@code https://*.apps.example.com/}), and the only one. The URL is then checked by the rules of a URL of one host, with a
 * placeholder label in place of the '*' ({@link Read#value}), and the '*' is put back ({@link Read#restore}).
 */
final class WildcardUrls {
    private static final String PLACEHOLDER = "x";

    /** A URL to validate; {@code wildcard} when its first label was '*' (then {@code value} has the placeholder). */
    record Read(String value, boolean wildcard) {
        /** The validated URL with its '*' back. */
        URI restore(URI validated) {
            if (!wildcard) {
                return validated;
            }
            String authority = validated.getRawAuthority();
            if (!authority.startsWith(PLACEHOLDER + ".")) {
                throw new IllegalStateException("the placeholder label is gone");
            }
            return URI.create(validated.getScheme() + "://*" + authority.substring(PLACEHOLDER.length()) + validated.getRawPath());
        }
    }

    private WildcardUrls() {
    }

    /** {@code value} to validate, or empty with an error naming {@code field} when its '*' is anywhere but the first label. */
    static Optional<Read> read(String field, String value, List<Problem.FieldError> errors) {
        if (value == null) {
            return Optional.of(new Read(null, false));
        }
        String v = value.strip();
        int scheme = v.indexOf("://");
        if (scheme < 0) {
            return Optional.of(new Read(value, false));
        }
        int start = scheme + 3;
        int end = start;
        while (end < v.length() && "/?#".indexOf(v.charAt(end)) < 0) {
            end++;
        }
        String authority = v.substring(start, end);
        if (authority.indexOf('*') < 0) {
            return Optional.of(new Read(value, false));
        }
        String example = field.equals("externalUrl") ? "https://*.apps.example.com/" : "http://*.corp.local/";
        if (!authority.startsWith("*.") || authority.indexOf('*', 1) >= 0 || authority.length() < 3 || authority.charAt(2) == '.'
                || authority.charAt(2) == ':') {
            errors.add(new Problem.FieldError(field, "'" + value + "': a wildcard must be the whole first label of the host and the only"
                    + " one, like " + example));
            return Optional.empty();
        }
        String host = authority.replaceFirst(":[^:]*$", "").replaceFirst("\\.+$", "");
        String last = host.substring(host.lastIndexOf('.') + 1);
        if (last.isEmpty() || last.chars().allMatch(Character::isDigit) || host.contains("[")) {
            // *.0.0.1 would make the label an address octet (127 -> 127.0.0.1): a wildcard names hosts of a DNS domain.
            errors.add(new Problem.FieldError(field, "'" + value + "': a wildcard stands for the first label of a DNS name, like " + example
                    + "; not of an IP address"));
            return Optional.empty();
        }
        return Optional.of(new Read(v.substring(0, start) + PLACEHOLDER + v.substring(start + 1), true));
    }
}
