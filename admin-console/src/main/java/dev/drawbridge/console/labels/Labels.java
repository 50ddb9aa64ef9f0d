package dev.drawbridge.console.labels;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.ConnectorEventType;
import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.KerberosSso.LoginIdentity;
import dev.drawbridge.model.api.OAuthGrant;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.RolloutState;
import dev.drawbridge.model.api.SamlAttribute;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SignInEvent;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.update.UpdateState;
import javafx.util.StringConverter;

import java.time.DayOfWeek;
import java.time.format.TextStyle;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The words an admin reads for each value the admin API sends as an enum or a code ("Sign-in required" for
 * {@code DIRECTORY}, "Default (85 s)" for {@code DEFAULT}): the one place that names them, used by every table, combo
 * box, editor, filter and the dashboard. CSV exports keep the codes: they are for machines.
 *
 * <p>The switches over shared-model enums have no {@code default}, so a new enum value does not compile until it has
 * its words here. Values the API still sends as strings (sign-in events and results, client and principal types,
 * connector events) are named by a switch whose {@code default} turns an unknown code into words
 * ("HEARTBEAT_MISSED" → "Heartbeat missed"), so a newer server's codes still read well; they become exhaustive
 * switches once shared-model has their enums.
 */
public final class Labels {
    /** Sign-in log results, in the order the result filter offers them. */
    public static final List<String> SIGN_IN_RESULTS = names(SignInResult.values());
    /** Sign-in log events, in the order the event filter offers them. */
    public static final List<String> SIGN_IN_EVENTS = names(SignInEvent.values());
    /** Connector event types, in the order the event filter offers them. */
    public static final List<String> CONNECTOR_EVENTS = names(ConnectorEventType.values());

    private Labels() {
    }

    private static List<String> names(Enum<?>[] values) {
        return Arrays.stream(values).map(Enum::name).toList();
    }

    /** A sign-in log event in words (see {@link #signInEvent(String)}). */
    public static String of(SignInEvent e) {
        return e == null ? "" : signInEvent(e.name());
    }

    /** A sign-in log result in words (see {@link #signInResult(String)}). */
    public static String of(SignInResult r) {
        return r == null ? "" : signInResult(r.name());
    }

    /** A connector event in words: "Registered", "Heartbeat missed", … */
    public static String of(ConnectorEventType t) {
        return t == null ? "" : connectorEvent(t.name());
    }

    public static String of(PreAuthentication p) {
        return switch (p) {
            case PASSTHROUGH -> "Passthrough";
            case DIRECTORY -> "Sign-in required";
        };
    }

    /** An app's single sign-on to its backend: "None", "Headers", "Kerberos (Integrated Windows Authentication)", … */
    public static String of(SsoMethod m) {
        return switch (m) {
            case NONE -> "None";
            case HEADERS -> "Headers";
            case KERBEROS -> "Kerberos (Integrated Windows Authentication)";
            case SAML -> "SAML (Drawbridge as identity provider)";
            case BASIC -> "Stored passwords (HTTP Basic)";
            case FORMS -> "Stored passwords (login form)";
        };
    }

    /** The user attribute a single sign-on header carries: "User principal name (UPN)", "Groups", … */
    public static String of(HeaderSource s) {
        return switch (s) {
            case UPN -> "User principal name (UPN)";
            case OBJECT_ID -> "Object id";
            case DISPLAY_NAME -> "Display name";
            case EMAIL -> "E-mail";
            case ON_PREM_UPN -> "On-premises UPN";
            case SAM_ACCOUNT_NAME -> "SAM account name";
            case GROUPS -> "Groups";
            case CLAIM -> "Claim";
        };
    }

    /**
     * Which name of the user the connector asks the KDC for (Entra's "delegated login identity"): "User principal name
     * (UPN)", "On-premises UPN (directory sync)", …
     */
    public static String of(LoginIdentity l) {
        return switch (l) {
            case UPN -> "User principal name (UPN)";
            case ON_PREM_UPN -> "On-premises UPN (directory sync)";
            case USER_PART -> "User name part of the UPN (before @)";
            case ON_PREM_SAM -> "On-premises SAM account name (directory sync)";
        };
    }

    /** Whose stored user name and password the backend gets (password vaulting): "Each user's own …", "Shared …". */
    public static String of(BasicSso.Credentials c) {
        return switch (c) {
            case USER -> "Each user's own (stored once in My Apps)";
            case SHARED -> "Shared (one for every user, e.g. a service account)";
        };
    }

    /** The format of a SAML NameID: "Unspecified", "E-mail address", "Persistent", "Transient (random per sign-in)". */
    public static String of(SamlSso.NameIdFormat f) {
        return switch (f) {
            case UNSPECIFIED -> "Unspecified";
            case EMAIL_ADDRESS -> "E-mail address";
            case PERSISTENT -> "Persistent";
            case TRANSIENT -> "Transient (random per sign-in)";
        };
    }

    /** What Drawbridge signs of a SAML response: "The assertion", "The response", "Both". */
    public static String of(SamlSso.Signing s) {
        return switch (s) {
            case ASSERTION -> "The assertion";
            case RESPONSE -> "The response";
            case BOTH -> "The assertion and the response";
        };
    }

    /** How a SAML attribute's name is to be read: "Unspecified", "Basic (a plain name)", "URI". */
    public static String of(SamlAttribute.NameFormat f) {
        return switch (f) {
            case UNSPECIFIED -> "Unspecified";
            case BASIC -> "Basic (a plain name)";
            case URI -> "URI (e.g. an OID)";
        };
    }

    /** "Default (85 s)", "Long (180 s)". */
    public static String of(BackendTimeout t) {
        String name = switch (t) {
            case DEFAULT -> "Default";
            case LONG -> "Long";
        };
        return name + " (" + t.duration().toSeconds() + " s)";
    }

    /** "Sign-in (code + PKCE)", "Stay signed in (refresh tokens)". */
    public static String of(OAuthGrant g) {
        return switch (g) {
            case AUTHORIZATION_CODE -> "Sign-in (code + PKCE)";
            case REFRESH_TOKEN -> "Stay signed in (refresh tokens)";
        };
    }

    /** A native client's grants in words, in the order of {@link OAuthGrant}, e.g. "Sign-in (code + PKCE), Stay signed in (refresh tokens)". */
    public static String grants(Collection<OAuthGrant> grants) {
        return Arrays.stream(OAuthGrant.values()).filter(grants::contains).map(Labels::of).collect(Collectors.joining(", "));
    }

    public static String of(ConnectorStatus s) {
        return switch (s) {
            case ACTIVE -> "Active";
            case INACTIVE -> "Inactive";
            case REVOKED -> "Revoked";
        };
    }

    /** What a connector last reported about updating itself. */
    public static String of(UpdateState s) {
        return switch (s) {
            case IDLE -> "Idle";
            case DOWNLOADING -> "Downloading";
            case DRAINING -> "Draining";
            case RESTARTING -> "Restarting";
            case FAILED -> "Failed";
            case ROLLED_BACK -> "Rolled back";
            case DISABLED -> "Auto-update off";
        };
    }

    /** Where a connector group's update rollout stands. */
    public static String of(RolloutState s) {
        return switch (s) {
            case NO_UPDATES -> "No update uploaded";
            case UP_TO_DATE -> "Up to date";
            case ROLLING -> "Rolling out";
            case PAUSED -> "Paused";
            case HALTED -> "Halted";
        };
    }

    public static String of(AdminRole r) {
        return switch (r) {
            case GLOBAL_ADMINISTRATOR -> "Global administrator";
            case APPLICATION_ADMINISTRATOR -> "Application administrator";
            case CLOUD_APPLICATION_ADMINISTRATOR -> "Cloud application administrator";
            case HELPDESK_ADMINISTRATOR -> "Helpdesk administrator";
            case SECURITY_READER -> "Security reader";
        };
    }

    /** "Global administrator, Security reader"; empty for none. */
    public static String roles(Collection<AdminRole> roles) {
        return roles.stream().map(Labels::of).collect(Collectors.joining(", "));
    }

    public static String of(AccessPolicy.State s) {
        return switch (s) {
            case ON -> "On";
            case REPORT_ONLY -> "Report-only";
            case OFF -> "Off";
        };
    }

    public static String of(AccessPolicy.Control c) {
        return switch (c) {
            case BLOCK -> "Block access";
            case REQUIRE_MFA -> "Require MFA";
        };
    }

    public static String of(AccessPolicy.ClientType c) {
        return switch (c) {
            case BROWSER -> "Browser";
            case NATIVE -> "Native app";
        };
    }

    public static String of(DayOfWeek d) {
        return d.getDisplayName(TextStyle.FULL, Locale.ENGLISH);
    }

    /** A sign-in log event: "Sign-in", "App access", "Admin sign-in". */
    public static String signInEvent(String code) {
        return code == null ? "" : switch (code) {
            case "SIGN_IN" -> "Sign-in";
            case "ACCESS" -> "App access";
            case "ADMIN_SIGN_IN" -> "Admin sign-in";
            case "BACKEND_SSO" -> "Single sign-on to app";
            default -> words(code);
        };
    }

    /** A sign-in log result: "Succeeded", "Failed" (bad credentials, locked), "Denied", "Interrupted" (a second factor was asked for). */
    public static String signInResult(String code) {
        return code == null ? "" : switch (code) {
            case "SUCCESS" -> "Succeeded";
            case "FAILURE" -> "Failed";
            case "DENIED" -> "Denied";
            case "INTERRUPTED" -> "Interrupted";
            default -> words(code);
        };
    }

    /** The client type of a sign-in log line, named as policies name it. */
    public static String clientType(String code) {
        if (code == null) {
            return "";
        }
        for (AccessPolicy.ClientType c : AccessPolicy.ClientType.values()) {
            if (c.name().equals(code)) {
                return of(c);
            }
        }
        return words(code);
    }

    /** An assignment's principal: "User", "Group". */
    public static String principalType(String code) {
        return code == null ? "" : switch (code) {
            case "USER" -> "User";
            case "GROUP" -> "Group";
            default -> words(code);
        };
    }

    /** A connector event: "Registered", "Heartbeat missed", … */
    public static String connectorEvent(String code) {
        return code == null ? "" : words(code);
    }

    /** Who a policy applies to: "All users" for {@code ALL}, else the user or group as given. */
    public static String policyUser(String ref) {
        return "ALL".equals(ref) ? "All users" : ref;
    }

    /**
     * A policy's location reference: "Trusted locations" and "Untrusted locations" for the keywords, else
     * {@code name} applied to the reference (a named location's id → its name).
     */
    public static String policyLocation(String ref, Function<String, String> name) {
        return switch (ref) {
            case "TRUSTED" -> "Trusted locations";
            case "UNTRUSTED" -> "Untrusted locations";
            default -> name.apply(ref);
        };
    }

    /** Audit log actions the server records, in words by {@link #auditAction}. */
    public static final List<String> AUDIT_ACTIONS = List.of("app.create", "app.update", "app.delete", "app.assignment.add",
            "app.assignment.remove", "app.icon.update", "app.icon.delete", "app.sso.update", "app.owner.add", "app.owner.remove", "access-request.approve",
            "access-request.deny", "access.denied", "certificate.upload", "certificate.delete", "server-certificate.set",
            "server-certificate.delete", "connector-group.create", "connector-group.delete", "connector-group.kerberos.set",
            "connector-group.kerberos.delete", "connector.move", "connector.revoke",
            "registration-token.create", "directory-sync.update", "directory-sync.run", "identity-provider.create",
            "identity-provider.update", "identity-provider.delete", "user.create", "user.delete", "user.roles", "user.password",
            "user.reset-mfa", "user.revoke-sessions", "group.create", "group.delete", "group.member.add", "group.member.remove",
            "policy.create", "policy.update", "policy.delete", "named-location.create", "named-location.update",
            "named-location.delete", "oauth-client.create", "oauth-client.update", "oauth-client.delete");

    /** An audit log action ("oauth-client.create" → "Native client registered"); an unknown one in words ("User disable"). */
    public static String auditAction(String code) {
        if (code == null) {
            return "";
        }
        return switch (code) {
            case "app.create" -> "App published";
            case "app.update" -> "App changed";
            case "app.delete" -> "App deleted";
            case "app.assignment.add" -> "Assignment added";
            case "app.assignment.remove" -> "Assignment removed";
            case "app.icon.update" -> "App icon set";
            case "app.icon.delete" -> "App icon removed";
            case "app.sso.update" -> "Single sign-on changed";
            case "app.owner.add" -> "App owner added";
            case "app.owner.remove" -> "App owner removed";
            case "access-request.approve" -> "Access request approved";
            case "access-request.deny" -> "Access request denied";
            case "access.denied" -> "Admin API call refused";
            case "certificate.upload" -> "Certificate uploaded";
            case "certificate.delete" -> "Certificate deleted";
            case "server-certificate.set" -> "Sign-in certificate set";
            case "server-certificate.delete" -> "Sign-in certificate removed";
            case "connector-group.create" -> "Connector group created";
            case "connector-group.delete" -> "Connector group deleted";
            case "connector-group.kerberos.set" -> "Connector group Kerberos settings set";
            case "connector-group.kerberos.delete" -> "Connector group Kerberos settings removed";
            case "connector.move" -> "Connector moved";
            case "connector.revoke" -> "Connector revoked";
            case "registration-token.create" -> "Registration token created";
            case "directory-sync.update" -> "Directory sync settings changed";
            case "directory-sync.run" -> "Directory synced";
            case "identity-provider.create" -> "External sign-in configured";
            case "identity-provider.update" -> "External sign-in changed";
            case "identity-provider.delete" -> "External sign-in removed";
            case "user.create" -> "User created";
            case "user.delete" -> "User deleted";
            case "user.roles" -> "Admin roles set";
            case "user.password" -> "Password reset";
            case "user.reset-mfa" -> "MFA reset";
            case "user.revoke-sessions" -> "Sessions revoked";
            case "group.create" -> "Group created";
            case "group.delete" -> "Group deleted";
            case "group.member.add" -> "Group member added";
            case "group.member.remove" -> "Group member removed";
            case "policy.create" -> "Policy created";
            case "policy.update" -> "Policy changed";
            case "policy.delete" -> "Policy deleted";
            case "named-location.create" -> "Named location created";
            case "named-location.update" -> "Named location changed";
            case "named-location.delete" -> "Named location deleted";
            case "oauth-client.create" -> "Native client registered";
            case "oauth-client.update" -> "Native client changed";
            case "oauth-client.delete" -> "Native client deleted";
            default -> words(code.replace('.', ' '));
        };
    }

    /** "HEARTBEAT_MISSED" → "Heartbeat missed": a code the console has no words for yet. */
    public static String words(String code) {
        String s = code.strip().replace('_', ' ').replace('-', ' ').toLowerCase(Locale.ROOT);
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /**
     * A converter for a combo box or choice over {@code values}: shows each as {@code words} names it, and turns the
     * shown words back into the value (null when none matches).
     */
    public static <T> StringConverter<T> converter(Collection<? extends T> values, Function<? super T, String> words) {
        List<T> all = List.copyOf(values);
        return new StringConverter<>() {
            @Override
            public String toString(T value) {
                return value == null ? "" : words.apply(value);
            }

            @Override
            public T fromString(String shown) {
                return all.stream().filter(v -> Objects.equals(words.apply(v), shown)).findFirst().orElse(null);
            }
        };
    }

    /** As {@link #converter(Collection, Function)} over an enum's values. */
    public static <E extends Enum<E>> StringConverter<E> converter(Class<E> type, Function<? super E, String> words) {
        return converter(List.of(type.getEnumConstants()), words);
    }
}
