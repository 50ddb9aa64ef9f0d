package dev.drawbridge.model.sso;

import dev.drawbridge.model.api.KerberosSso;
import dev.drawbridge.model.api.validation.KerberosRules;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Kerberos constrained delegation's "delegated login identity": which name of a verified user the connector asks the KDC
 * a ticket for (S4U2Self), and that name as a principal of the connector group's realm. The same on the connector (which
 * asks) and on the proxy (which shows it in "test as user"), so that what an administrator previews is what is asked.
 */
public final class DelegatedLogin {
    /** A user name of a realm: letters and digits of any script, {@code ._$'+-} and inner spaces, at most 256 characters. */
    private static final Pattern USER = Pattern.compile("[\\p{L}\\p{N}._$'+-][\\p{L}\\p{N}._$'+ -]{0,255}");

    private DelegatedLogin() {
    }

    /** The name chosen for a user, or why there is none to act for. */
    public sealed interface Choice {
        /** Ask for {@code name} (as the user has it: {@code alice}, {@code alice@corp.example}). */
        record Name(String name) implements Choice {
            public Name {
                Objects.requireNonNull(name, "name");
            }
        }

        /** No name to act for; {@code reason} is a sentence for the user, the sign-in log and the administrator. */
        record Refused(String reason) implements Choice {
            public Refused {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }

    /**
     * The name of {@code user} that {@code identity} selects: the UPN, the on-premises UPN, the UPN's user part or the
     * on-premises SAM account name. Refused when the user has no on-premises name from directory sync that the identity
     * needs, or when the name is a computer account's ({@code dc01$}): never a user to act for.
     */
    public static Choice of(KerberosSso.LoginIdentity identity, SsoIdentity user) {
        Optional<String> name = switch (identity) {
            case UPN -> Optional.of(user.upn());
            case ON_PREM_UPN -> user.onPremUpn();
            case USER_PART -> Optional.of(user.userPart());
            case ON_PREM_SAM -> user.samAccountName();
        };
        if (name.isEmpty()) {
            return new Choice.Refused(user.upn() + " has no " + (identity == KerberosSso.LoginIdentity.ON_PREM_UPN
                    ? "on-premises UPN" : "on-premises SAM account name") + " from directory sync, which this app's delegated login "
                    + "identity needs");
        }
        String local = name.get().contains("@") ? name.get().substring(0, name.get().lastIndexOf('@')) : name.get();
        if (local.endsWith("$")) {
            // Names ending in $ are computer accounts (dc01$): never a user to act for (found by the hostile review).
            return new Choice.Refused("'" + name.get() + "' names a computer account, not a user");
        }
        return new Choice.Name(name.get());
    }

    /**
     * {@code user@REALM} for a user name of the realm {@code realm}, or empty when {@code user} cannot be one: empty,
     * another realm (the realm part is compared case-insensitively), control characters, or a '/' or '\' (which would
     * make it a service principal or an escape).
     */
    public static Optional<String> principal(String user, String realm) {
        if (user == null) {
            return Optional.empty();
        }
        int at = user.lastIndexOf('@');
        String name = at < 0 ? user : user.substring(0, at);
        if (at >= 0 && !user.substring(at + 1).toUpperCase(Locale.ROOT).equals(realm)) {
            return Optional.empty();
        }
        if (!USER.matcher(name).matches() || name.endsWith(" ")) {
            return Optional.empty();
        }
        return Optional.of(name + "@" + realm);
    }

    /** The app's SPN as the service principal asked for (S4U2Proxy): with {@code @realm} added when it names none. */
    public static String service(String spn, String realm) {
        return KerberosRules.withRealm(spn, realm);
    }
}
