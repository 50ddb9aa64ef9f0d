package dev.drawbridge.proxy.identity;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.SearchResultEntry;
import dev.drawbridge.model.api.LdapSyncSettings;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * How directory sync reads a user entry ({@link LdapSync}): the attribute names of the settings (blank: the defaults),
 * and the on-premises identity. An on-premises UPN or SAM account name is synced only when it is one value that
 * {@link OnPremNames} accepts and no other user of the same sync holds it too (compared case-insensitively, as Active
 * Directory does): two users named alike would each be delegated, or announced to apps, as the other, so an ambiguous
 * name is left empty for all its holders and reported. The user is synced either way; only the name is left out.
 */
final class LdapUserReader {
    private final String upn, displayName, mail, department;
    private final Optional<String> onPremUpn, samAccountName;

    LdapUserReader(LdapSyncSettings s) {
        upn = or(s.upnAttribute(), "userPrincipalName");
        displayName = or(s.displayNameAttribute(), "displayName");
        mail = or(s.mailAttribute(), "mail");
        department = or(s.departmentAttribute(), "department");
        onPremUpn = s.syncedOnPremUpnAttribute();
        samAccountName = s.syncedSamAccountNameAttribute();
    }

    /** The attribute holding the sign-in name. */
    String upnAttribute() {
        return upn;
    }

    /** The attributes to request, with {@code more}. */
    String[] requested(String... more) {
        return Stream.of(Stream.of(upn, displayName, mail, department, "cn"), onPremUpn.stream(), samAccountName.stream(), Stream.of(more))
                .flatMap(Function.identity()).distinct().toArray(String[]::new);
    }

    /** The user of {@code e}; empty (with the problem added) when it has no sign-in name. */
    Optional<SyncedUser> read(SearchResultEntry e, List<String> problems) {
        String name = e.getAttributeValue(upn);
        if (name == null || name.isBlank()) {
            problems.add(e.getDN() + ": no " + upn + ", skipped");
            return Optional.empty();
        }
        String display = Optional.ofNullable(e.getAttributeValue(displayName)).or(() -> Optional.ofNullable(e.getAttributeValue("cn")))
                .orElse(name);
        return Optional.of(new SyncedUser(e.getDN(), name.strip(), display, Optional.ofNullable(e.getAttributeValue(mail)),
                Optional.ofNullable(e.getAttributeValue(department)),
                onPrem(e, onPremUpn, "on-premises UPN", OnPremNames::upnProblem, problems),
                onPrem(e, samAccountName, "SAM account name", OnPremNames::samProblem, problems)));
    }

    private static Optional<String> onPrem(SearchResultEntry e, Optional<String> attribute, String what,
                                           Function<String, Optional<String>> check, List<String> problems) {
        if (attribute.isEmpty()) {
            return Optional.empty();
        }
        Attribute a = e.getAttribute(attribute.get());
        if (a == null || !a.hasValue()) {
            return Optional.empty();
        }
        String[] values = a.getValues();
        if (values.length > 1) {
            problems.add(e.getDN() + ": " + attribute.get() + " has " + values.length + " values; the " + what + " must be one, not synced");
            return Optional.empty();
        }
        Optional<String> problem = check.apply(values[0]);
        if (problem.isPresent()) {
            // The value itself is not repeated: it may be what makes it unfit for a log line.
            problems.add(e.getDN() + ": " + attribute.get() + " " + problem.get() + ", so it is not synced as the " + what);
            return Optional.empty();
        }
        return Optional.of(values[0]);
    }

    /** {@code users} with every on-premises name that more than one of them holds left out, and a problem for each holder. */
    static List<SyncedUser> unambiguous(List<SyncedUser> users, List<String> problems) {
        List<SyncedUser> out = drop(users, SyncedUser::onPremUpn, SyncedUser::withoutOnPremUpn, "on-premises UPN", problems);
        return drop(out, SyncedUser::samAccountName, SyncedUser::withoutSamAccountName, "SAM account name", problems);
    }

    private static List<SyncedUser> drop(List<SyncedUser> users, Function<SyncedUser, Optional<String>> name,
                                         UnaryOperator<SyncedUser> without, String what, List<String> problems) {
        Map<String, Integer> holders = new HashMap<>();
        users.forEach(u -> name.apply(u).ifPresent(n -> holders.merge(n.toLowerCase(Locale.ROOT), 1, Integer::sum)));
        List<SyncedUser> out = new ArrayList<>(users.size());
        for (SyncedUser u : users) {
            Optional<String> n = name.apply(u);
            int count = n.map(v -> holders.get(v.toLowerCase(Locale.ROOT))).orElse(0);
            if (count > 1) {
                problems.add(u.dn() + ": the " + what + " '" + n.get() + "' belongs to " + count
                        + " users of the directory, so none of them is named by it");
                out.add(without.apply(u));
            } else {
                out.add(u);
            }
        }
        return out;
    }

    private static String or(String v, String dflt) {
        return v == null || v.isBlank() ? dflt : v;
    }
}
