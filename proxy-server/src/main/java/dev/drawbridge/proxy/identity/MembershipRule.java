package dev.drawbridge.proxy.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rule of a dynamic group: conditions over user attributes joined by {@code and}, e.g.
 * {@code department eq "Finance" and upn endsWith "@corp.example"}. Attributes: upn, displayName,
 * email, department. Operators: eq, ne, startsWith, endsWith, contains (case-insensitive).
 */
public record MembershipRule(List<Condition> conditions) {
    private static final Pattern CONDITION = Pattern.compile(
            "\\s*(upn|displayName|email|department)\\s+(eq|ne|startsWith|endsWith|contains)\\s+\"([^\"]*)\"\\s*");

    /** One attribute test. */
    public record Condition(String attribute, String operator, String value) {
    }

    public MembershipRule {
        conditions = List.copyOf(conditions);
    }

    /** Parses a rule, or throws IllegalArgumentException with a message saying what is wrong. */
    public static MembershipRule parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the rule is empty");
        }
        List<Condition> out = new ArrayList<>();
        for (String part : text.split("(?i)\\s+and\\s+")) {
            Matcher m = CONDITION.matcher(part);
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + part.strip() + "' is not a condition like department eq \"Finance\" "
                        + "(attributes: upn, displayName, email, department; operators: eq, ne, startsWith, endsWith, contains)");
            }
            out.add(new Condition(m.group(1), m.group(2), m.group(3)));
        }
        return new MembershipRule(out);
    }

    public boolean matches(DirectoryUser u) {
        for (Condition c : conditions) {
            String v = switch (c.attribute()) {
                case "upn" -> u.upn();
                case "displayName" -> u.displayName();
                case "email" -> u.email().orElse("");
                default -> u.department().orElse("");
            };
            String a = v.toLowerCase(Locale.ROOT), b = c.value().toLowerCase(Locale.ROOT);
            boolean ok = switch (c.operator()) {
                case "eq" -> a.equals(b);
                case "ne" -> !a.equals(b);
                case "startsWith" -> a.startsWith(b);
                case "endsWith" -> a.endsWith(b);
                default -> a.contains(b);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
