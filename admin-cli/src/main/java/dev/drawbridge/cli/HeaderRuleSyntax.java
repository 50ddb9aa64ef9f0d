package dev.drawbridge.cli;

import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One header of header-based single sign-on as {@code drawbridge apps sso set --header} spells it:
 * {@code NAME=SOURCE[;before-at][;lower][;prefix=TEXT][;join=TEXT][;claim=NAME]}, e.g. {@code X-Remote-User=upn},
 * {@code X-User=upn;before-at;lower}, {@code X-Groups=groups;join=\;;prefix=CORP\}, {@code X-Dept=claim;claim=department}.
 *
 * <ul>
 *   <li>SOURCE is a {@link HeaderSource} in any case, {@code -} or {@code _} between words: {@code upn}, {@code object-id},
 *       {@code display-name}, {@code email}, {@code on-prem-upn}, {@code sam-account-name}, {@code groups}, {@code claim}.</li>
 *   <li>Options follow, separated by {@code ;}, in any order, each at most once: {@code before-at} (the part before the
 *       last {@code @}), {@code lower} (lower case), {@code prefix=TEXT}, {@code join=TEXT} (what joins several values;
 *       default {@code ", "}), {@code claim=NAME} (with source {@code claim}).</li>
 *   <li>Names, sources and option names are trimmed; values are taken as written (spaces too). In a value {@code \;} is a
 *       {@code ;} and {@code \\} a {@code \}; any other {@code \} is itself, so {@code prefix=CORP\} needs no escape.</li>
 * </ul>
 * Whether the result is acceptable (reserved names, lengths) is {@link dev.drawbridge.model.api.validation.SsoRules}' to say.
 */
final class HeaderRuleSyntax {
    static final String SYNTAX = "NAME=SOURCE[;before-at][;lower][;prefix=TEXT][;join=TEXT][;claim=NAME]";
    /** Every {@link HeaderSource} as spelt here (a constant, for the help text; a test holds it to the enum). */
    static final String SOURCES = "upn, object-id, display-name, email, on-prem-upn, sam-account-name, groups, claim";

    private HeaderRuleSyntax() {
    }

    /** Why a spec is not in the syntax: one sentence, without the syntax itself. */
    static final class SyntaxException extends Exception {
        SyntaxException(String message) {
            super(message);
        }
    }

    /** How the syntax spells a source: {@code sam-account-name}. */
    static String spell(HeaderSource s) {
        return s.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static HeaderRule parse(String spec) throws SyntaxException {
        List<String> parts = split(spec);
        String head = parts.getFirst();
        int eq = head.indexOf('=');
        if (eq < 0) {
            throw new SyntaxException("a header is NAME=SOURCE, e.g. X-Remote-User=upn");
        }
        String name = head.substring(0, eq).strip();
        if (name.isEmpty()) {
            throw new SyntaxException("no header name before '='");
        }
        HeaderSource source = source(head.substring(eq + 1).strip());
        boolean beforeAt = false, lower = false;
        String prefix = null, join = null, claim = null;
        Set<String> seen = new HashSet<>();
        for (String part : parts.subList(1, parts.size())) {
            int at = part.indexOf('=');
            String key = (at < 0 ? part : part.substring(0, at)).strip().toLowerCase(Locale.ROOT).replace("_", "-");
            String value = at < 0 ? null : unescape(part.substring(at + 1));
            if (key.isEmpty()) {
                throw new SyntaxException("an empty option (two ';' in a row?); write a ';' in a value as \\;");
            }
            if (!seen.add(key)) {
                throw new SyntaxException("option '" + key + "' is given twice");
            }
            switch (key) {
                case "before-at", "beforeat" -> beforeAt = flag(key, value);
                case "lower", "lower-case", "lowercase" -> lower = flag(key, value);
                case "prefix" -> prefix = value(key, value);
                case "join" -> join = value(key, value);
                case "claim" -> claim = value(key, value);
                default -> throw new SyntaxException("unknown option '" + key + "'; the options are before-at, lower, prefix=TEXT,"
                        + " join=TEXT, claim=NAME");
            }
        }
        return new HeaderRule(name, source, claim, beforeAt, lower, prefix == null || prefix.isEmpty() ? null : prefix, join);
    }

    /** The spec that {@link #parse} reads back as {@code rule}. */
    static String format(HeaderRule rule) {
        StringBuilder b = new StringBuilder(rule.name()).append('=').append(rule.source() == null ? "?" : spell(rule.source()));
        if (rule.beforeAt()) {
            b.append(";before-at");
        }
        if (rule.lowerCase()) {
            b.append(";lower");
        }
        if (rule.prefix() != null) {
            b.append(";prefix=").append(escape(rule.prefix()));
        }
        if (rule.separator() != null) {
            b.append(";join=").append(escape(rule.separator()));
        }
        if (rule.claim() != null) {
            b.append(";claim=").append(escape(rule.claim()));
        }
        return b.toString();
    }

    static HeaderSource source(String s) throws SyntaxException {
        String name = s.toUpperCase(Locale.ROOT).replace('-', '_');
        for (HeaderSource h : HeaderSource.values()) {
            if (h.name().equals(name)) {
                return h;
            }
        }
        throw new SyntaxException((s.isEmpty() ? "no source after '='" : "unknown source '" + s + "'") + "; the sources are " + SOURCES);
    }

    private static boolean flag(String key, String value) throws SyntaxException {
        if (value != null) {
            throw new SyntaxException("option '" + key + "' takes no value");
        }
        return true;
    }

    private static String value(String key, String value) throws SyntaxException {
        if (value == null) {
            throw new SyntaxException("option '" + key + "' needs a value: " + key + "=" + (key.equals("claim") ? "NAME" : "TEXT"));
        }
        return value;
    }

    /** The spec cut at each {@code ;} that no backslash escapes (escapes kept for {@link #unescape}). */
    static List<String> split(String spec) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (c == '\\' && i + 1 < spec.length()) {
                cur.append(c).append(spec.charAt(++i));
            } else if (c == ';') {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        return parts;
    }

    static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && (s.charAt(i + 1) == ';' || s.charAt(i + 1) == '\\')) {
                b.append(s.charAt(++i));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    static String escape(String s) {
        return s.replace("\\", "\\\\").replace(";", "\\;");
    }
}
