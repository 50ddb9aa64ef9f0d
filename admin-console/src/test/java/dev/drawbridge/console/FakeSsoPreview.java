package dev.drawbridge.console;

import dev.drawbridge.adminclient.AdminApiException;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.AssignmentView;
import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.GroupView;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.KerberosGroupView;
import dev.drawbridge.model.api.KerberosSso;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.SamlAttribute;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SsoPreview;
import dev.drawbridge.model.api.SsoPreviewRequest;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.api.UserView;
import dev.drawbridge.model.api.validation.SsoRules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import static dev.drawbridge.console.FakeAdminApi.found;

/**
 * What {@link FakeAdminApi} answers for {@code POST /apps/{id}/sso/preview}, computed as the server would from the fake's
 * own data: the draft (or the app's stored settings) checked with {@link SsoRules} (400 naming each field), the app
 * pre-authenticated (409), the user found by id or UPN (400 naming {@code user}); then each header's value from the user's
 * attributes and transformations, the Kerberos principal from the login identity and the connector group's realm, whether
 * a password is stored (the app's shared one, or the user's in {@link FakeAdminApi#storedPasswords}), the SAML NameID and
 * attributes, and the problems (not assigned, disabled, no value for the source, no stored password, no Kerberos settings).
 */
final class FakeSsoPreview {
    private final FakeAdminApi f;

    FakeSsoPreview(FakeAdminApi fake) {
        this.f = fake;
    }

    SsoPreview preview(String appId, SsoPreviewRequest request) throws AdminApiException {
        AppView app = found(f.apps.get(appId));
        SsoSettings s = request.settings() == null ? f.sso.getOrDefault(appId, SsoSettings.NONE) : request.settings();
        // A draft is checked as a save would check it; the stored settings passed those checks.
        List<Problem.FieldError> invalid = new ArrayList<>(request.settings() == null ? List.of() : SsoRules.check(s));
        if (invalid.isEmpty() && request.settings() != null) {
            invalid.addAll(FakeSpMetadata.appProblems(app, s));
        }
        if (!invalid.isEmpty()) {
            throw AdminApiException.of(new Problem("about:blank", "Invalid request", 400, "invalid", invalid));
        }
        if (app.preAuthentication() != PreAuthentication.DIRECTORY) {
            throw AdminApiException.of(new Problem("about:blank", "Conflict", 409, "needs pre-authentication",
                    List.of(new Problem.FieldError("method", "single sign-on needs pre-authentication"))));
        }
        UserView u = f.users.values().stream().filter(x -> x.id().equals(request.user()) || x.upn().equalsIgnoreCase(request.user()))
                .findFirst().orElseThrow(() -> AdminApiException.of(new Problem("about:blank", "Invalid request", 400, "invalid",
                        List.of(new Problem.FieldError("user", "no user '" + request.user() + "'")))));
        List<String> problems = new ArrayList<>();
        if (!u.enabled()) {
            problems.add(u.upn() + " is disabled: they cannot sign in");
        }
        if (app.access().assignmentRequired() && !assigned(app, u)) {
            problems.add(u.upn() + " is not assigned to " + app.name() + ", which requires assignment: they cannot open it");
        }
        List<SsoPreview.Header> headers = new ArrayList<>();
        SsoPreview.Kerberos kerberos = null;
        SsoPreview.Password password = null;
        SsoPreview.Saml saml = null;
        switch (s.method()) {
            case NONE -> { }
            case HEADERS -> {
                for (HeaderRule r : s.headers()) {
                    List<String> values = values(u, r.source(), r.claim()).stream()
                            .map(v -> transform(v, r.beforeAt(), r.lowerCase(), r.prefix())).toList();
                    if (values.isEmpty()) {
                        problems.add("header " + r.name() + " is not sent: " + u.upn() + " has no " + r.source().name().toLowerCase(Locale.ROOT));
                    } else {
                        headers.add(new SsoPreview.Header(r.name(), String.join(r.separatorOrDefault(), values)));
                    }
                }
            }
            case KERBEROS -> kerberos = kerberos(app, u, s.kerberos(), problems);
            case BASIC, FORMS -> {
                BasicSso.Credentials c = s.vaultCredentials().orElseThrow();
                boolean stored = c == BasicSso.Credentials.SHARED ? f.sharedCredentials.containsKey(app.id())
                        : f.storedPasswords.getOrDefault(app.id(), Set.of()).contains(u.id());
                if (!stored) {
                    problems.add(c == BasicSso.Credentials.SHARED ? "the app has no shared user name and password: set them first"
                            : u.upn() + " has stored no user name and password for " + app.name() + ": My Apps asks them first");
                }
                password = new SsoPreview.Password(c, stored);
            }
            case SAML -> saml = saml(u, s.saml(), problems);
        }
        return new SsoPreview(s.method(), u.id(), u.upn(), headers, kerberos, password, saml, problems);
    }

    private boolean assigned(AppView app, UserView u) {
        for (AssignmentView a : f.assignments.getOrDefault(app.id(), List.of())) {
            if ("USER".equals(a.principalType()) && (a.principalId().equals(u.id()) || a.principalName().equalsIgnoreCase(u.upn()))) {
                return true;
            }
            if ("GROUP".equals(a.principalType())) {
                GroupView g = f.groups.get(a.principalId());
                String name = g == null ? a.principalName() : g.name();
                if (u.groups().contains(name)) {
                    return true;
                }
            }
        }
        return false;
    }

    private SsoPreview.Kerberos kerberos(AppView app, UserView u, KerberosSso k, List<String> problems) {
        KerberosGroupView group = f.kerberos.get(app.connectorGroupId());
        if (group == null) {
            problems.add("connector group " + app.connectorGroupName() + " has no Kerberos settings: its connectors refuse Kerberos");
        }
        String realm = group == null ? "(the group's realm)" : group.realm();
        String principal = switch (k.loginIdentity()) {
            case UPN -> u.upn();
            case ON_PREM_UPN -> u.onPremUpn();
            case USER_PART -> u.upn().substring(0, u.upn().lastIndexOf('@') < 0 ? u.upn().length() : u.upn().lastIndexOf('@')) + "@" + realm;
            case ON_PREM_SAM -> u.samAccountName() == null ? null : u.samAccountName() + "@" + realm;
        };
        if (principal == null) {
            problems.add(u.upn() + " has no " + (k.loginIdentity() == KerberosSso.LoginIdentity.ON_PREM_UPN ? "on-premises UPN"
                    : "on-premises SAM account name") + " (directory sync): the connector refuses single sign-on for them");
        }
        return new SsoPreview.Kerberos(principal, k.spn(), k.upFront());
    }

    private SsoPreview.Saml saml(UserView u, SamlSso s, List<String> problems) {
        String nameId = null;
        if (s.nameIdFormat() != SamlSso.NameIdFormat.TRANSIENT) {
            nameId = values(u, s.nameIdSource(), s.nameIdClaim()).stream().findFirst().orElse(null);
            if (nameId == null) {
                problems.add(u.upn() + " has no " + s.nameIdSource().name().toLowerCase(Locale.ROOT) + " for the NameID: sign-in is refused");
            }
        }
        List<SsoPreview.Attribute> attributes = new ArrayList<>();
        for (SamlAttribute a : s.attributes()) {
            List<String> values = values(u, a.source(), a.claim());
            if (!values.isEmpty()) {
                attributes.add(new SsoPreview.Attribute(a.name(), values));
            }
        }
        return new SsoPreview.Saml(s.nameIdFormat(), nameId, attributes);
    }

    /** The user's values of {@code source}: none when the user has none; the claim {@code department} is the department. */
    private static List<String> values(UserView u, HeaderSource source, String claim) {
        return switch (source) {
            case UPN -> List.of(u.upn());
            case OBJECT_ID -> List.of(u.id());
            case DISPLAY_NAME -> Optional.ofNullable(u.displayName()).stream().toList();
            case EMAIL -> Optional.ofNullable(u.email()).stream().toList();
            case ON_PREM_UPN -> Optional.ofNullable(u.onPremUpn()).stream().toList();
            case SAM_ACCOUNT_NAME -> Optional.ofNullable(u.samAccountName()).stream().toList();
            case GROUPS -> u.groups();
            case CLAIM -> "department".equals(claim) ? Optional.ofNullable(u.department()).stream().toList() : List.of();
        };
    }

    private static String transform(String v, boolean beforeAt, boolean lowerCase, String prefix) {
        String out = beforeAt && v.lastIndexOf('@') >= 0 ? v.substring(0, v.lastIndexOf('@')) : v;
        out = lowerCase ? out.toLowerCase(Locale.ROOT) : out;
        return prefix == null ? out : prefix + out;
    }
}
