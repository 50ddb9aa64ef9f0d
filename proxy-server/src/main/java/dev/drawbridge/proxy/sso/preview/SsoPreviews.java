package dev.drawbridge.proxy.sso.preview;

import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.KerberosSso;
import dev.drawbridge.model.api.SamlAttribute;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SsoPreview;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.sso.DelegatedLogin;
import dev.drawbridge.model.sso.HeaderValues;
import dev.drawbridge.model.sso.SsoIdentity;
import dev.drawbridge.proxy.apps.AppStore;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.preauth.Assignments;
import dev.drawbridge.proxy.saml.UserValues;
import dev.drawbridge.proxy.sso.IdentityTokens;
import dev.drawbridge.proxy.sso.KerberosGroupStore;
import dev.drawbridge.proxy.sso.PasswordDispatch;
import dev.drawbridge.proxy.tunnel.ConnectorPicker;
import dev.drawbridge.proxy.vault.Vault;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * "Test as user": what an app's backend would receive from single sign-on for one user, and every reason the live path
 * would refuse or degrade it for them, computed by the code the live path runs: the user's {@link SsoIdentity} as
 * dispatch signs it ({@link IdentityTokens#identityOf}, with the groups the edge reads), headers by {@link HeaderValues}
 * (the connector's), the Kerberos principal by {@link DelegatedLogin} (the connector's) in the connector group's realm,
 * the SAML NameID and attributes by {@link UserValues} (the assertion's), the vault's lookup for the request
 * ({@link Vault#forRequest}), the edge's assignment check ({@link Assignments#lets}) and the connector choice
 * ({@link ConnectorPicker#reach}). Sends nothing to the backend, the KDC or a connector; logs nothing (the values are
 * the user's attributes); holds no secret: a vaulted credential is reported as present or absent, never its user name.
 * <p>
 * The connector group's side (its Kerberos realm, whether it has Kerberos settings, whether its connectors are ready, in
 * maintenance or too old) is what {@code CONNECTORS_READ} guards elsewhere: for a caller without it, the preview
 * ({@link #of(PublishedApp, DirectoryUser, boolean)} with {@code connectorDetails} false) consults none of it: the
 * Kerberos principal and SPN are shown as the settings and the user make them, without a realm, and the problems hold
 * {@link #CONNECTOR_DETAILS_WITHHELD} instead of every sentence about the group, always, so that even its absence tells
 * nothing.
 */
public final class SsoPreviews {
    /** The connectors a request of an app's group would find now, and the group's name for sentences. */
    public interface Connectors {
        /** {@link ConnectorPicker#reach}. */
        ConnectorPicker.Reach reach(String groupId, boolean sso);

        String groupName(String groupId);

        /** The connector choice of this server. */
        static Connectors of(ConnectorPicker picker) {
            return new Connectors() {
                @Override
                public ConnectorPicker.Reach reach(String groupId, boolean sso) {
                    return picker.reach(groupId, sso);
                }

                @Override
                public String groupName(String groupId) {
                    return picker.groupName(groupId);
                }
            };
        }
    }

    /** The one sentence a caller without {@code CONNECTORS_READ} gets instead of the connector group's problems. */
    public static final String CONNECTOR_DETAILS_WITHHELD = "connector details need CONNECTORS_READ: the connector group's Kerberos"
            + " realm and settings and its connectors' state are not shown, nor the problems they would cause";

    private final Assignments directory;
    private final KerberosGroupStore kerberos;
    private final Vault vault;
    private final Connectors connectors;

    public SsoPreviews(Assignments directory, KerberosGroupStore kerberos, Vault vault, Connectors connectors) {
        this.directory = directory;
        this.kerberos = kerberos;
        this.vault = vault;
        this.connectors = connectors;
    }

    /**
     * The preview of {@code app}'s single sign-on ({@code app.sso()}, already checked) for {@code user}.
     *
     * @param connectorDetails whether the caller may read the connector group's side (holds {@code CONNECTORS_READ})
     */
    public SsoPreview of(PublishedApp app, DirectoryUser user, boolean connectorDetails) {
        List<String> problems = new ArrayList<>();
        SsoSettings s = app.sso();
        SsoIdentity identity = IdentityTokens.identityOf(user, directory.groupsOf(user.id()).stream().map(DirectoryStore.Group::name).toList());
        if (!AppStore.allowsSso(app.preAuthentication())) {
            problems.add("the app is " + app.preAuthentication() + ": Drawbridge signs no one in to it, so its backend gets no user"
                    + " (single sign-on needs pre-authentication DIRECTORY)");
        } else {
            if (!user.enabled()) {
                problems.add(user.upn() + " is disabled: they cannot sign in, so none of their requests reaches the app");
            }
            if (!directory.lets(app, user.id())) {
                problems.add(user.upn() + " is not assigned to the app, which requires assignment: their requests are refused before"
                        + " single sign-on (assign them, or a group of theirs)");
            }
        }
        List<SsoPreview.Header> headers = List.of();
        SsoPreview.Kerberos delegation = null;
        SsoPreview.Password password = null;
        SsoPreview.Saml saml = null;
        switch (s.method()) {
            case NONE -> {
            }
            case HEADERS -> headers = headers(s.headers(), identity, problems);
            case KERBEROS -> delegation = kerberos(app, s.kerberos(), identity, problems, connectorDetails);
            case BASIC, FORMS -> password = password(app, user, s.vaultCredentials().orElseThrow(), problems);
            case SAML -> saml = saml(s.saml(), identity, problems);
        }
        if (!connectorDetails) {
            problems.add(CONNECTOR_DETAILS_WITHHELD);
            return new SsoPreview(s.method(), user.id(), user.upn(), headers, delegation, password, saml, problems);
        }
        String group = connectors.groupName(app.connectorGroupId());
        switch (connectors.reach(app.connectorGroupId(), app.hasSso())) {
            case READY -> {
            }
            case NONE_CONNECTED -> problems.add("no connector of the group '" + group + "' is connected to this server: requests to the"
                    + " app fail until one is");
            case IN_MAINTENANCE -> problems.add("the connector group '" + group + "' is in maintenance mode: users get the maintenance"
                    + " page until it ends");
            case TOO_OLD_FOR_SSO -> problems.add("the connectors of the group '" + group + "' connected to this server all predate single"
                    + " sign-on: users get \"the app's connectors need an update\" until one of them is updated");
        }
        return new SsoPreview(s.method(), user.id(), user.upn(), headers, delegation, password, saml, problems);
    }

    private static List<SsoPreview.Header> headers(List<HeaderRule> rules, SsoIdentity user, List<String> problems) {
        List<SsoPreview.Header> out = new ArrayList<>();
        for (HeaderRule r : rules) {
            try {
                Optional<String> value = HeaderValues.of(r, user);
                if (value.isPresent()) {
                    out.add(new SsoPreview.Header(r.name(), value.get()));
                } else {
                    problems.add(user.upn() + " has no " + source(r.source(), r.claim()) + ": the backend gets no " + r.name() + " header");
                }
            } catch (HeaderValues.TooLongException e) {
                problems.add(e.getMessage() + ": the connector refuses single sign-on for " + user.upn() + " rather than cut values off");
            }
        }
        return out;
    }

    private SsoPreview.Kerberos kerberos(PublishedApp app, KerberosSso k, SsoIdentity user, List<String> problems, boolean connectorDetails) {
        if (!connectorDetails) {
            // Neither the realm nor whether the group has one: the name as the settings choose it, the SPN as written.
            String principal = switch (DelegatedLogin.of(k.loginIdentity(), user)) {
                case DelegatedLogin.Choice.Name n -> n.name();
                case DelegatedLogin.Choice.Refused r -> {
                    problems.add(r.reason());
                    yield null;
                }
            };
            return new SsoPreview.Kerberos(principal, k.spn(), k.upFront());
        }
        Optional<String> realm = kerberos.realm(app.connectorGroupId());
        if (realm.isEmpty()) {
            problems.add("the connector group '" + connectors.groupName(app.connectorGroupId()) + "' has no Kerberos settings (realm, KDCs,"
                    + " keytab): its connectors refuse Kerberos single sign-on until an administrator sets them"
                    + " (drawbridge connector-groups kerberos set)");
        }
        String principal = null;
        switch (DelegatedLogin.of(k.loginIdentity(), user)) {
            case DelegatedLogin.Choice.Name n when realm.isEmpty() -> principal = n.name();
            case DelegatedLogin.Choice.Name n -> {
                principal = DelegatedLogin.principal(n.name(), realm.get()).orElse(null);
                if (principal == null) {
                    problems.add("'" + n.name() + "' cannot stand for a user of the connector group's realm " + realm.get()
                            + ": the connector refuses it (choose a delegated login identity that names a user of that realm)");
                }
            }
            case DelegatedLogin.Choice.Refused r -> problems.add(r.reason());
        }
        String spn = realm.map(r -> DelegatedLogin.service(k.spn(), r)).orElse(k.spn());
        if (realm.isPresent() && !spn.substring(spn.indexOf('@') + 1).equals(realm.get())) {
            problems.add("the SPN " + k.spn() + " names another realm than the connector group's, " + realm.get() + ": the connector refuses it");
        }
        return new SsoPreview.Kerberos(principal, spn, k.upFront());
    }

    private SsoPreview.Password password(PublishedApp app, DirectoryUser user, BasicSso.Credentials whose, List<String> problems) {
        if (vault.forRequest(app, user.id()) instanceof Vault.Lookup.Missing m) {
            problems.add(whose == BasicSso.Credentials.SHARED
                    ? "single sign-on fails for every user: " + PasswordDispatch.sharedMissing(m.why()) + PasswordDispatch.SHARED_FIX
                    : switch (m.why()) {
                        case NOT_STORED -> user.upn() + " has stored no user name and password for the app: their first request takes"
                                + " them to My Apps to store them";
                        case REFUSED -> "the app refused the user name and password " + user.upn() + " stored: their next request takes"
                                + " them to My Apps to store them again";
                        case MOVED -> "the user name and password " + user.upn() + " stored were for the app's former internal address,"
                                + " connector group or sign-in settings: their next request takes them to My Apps to store them again";
                    });
            return new SsoPreview.Password(whose, false);
        }
        return new SsoPreview.Password(whose, true);
    }

    private static SsoPreview.Saml saml(SamlSso s, SsoIdentity user, List<String> problems) {
        String nameId = null;
        if (s.nameIdFormat() != SamlSso.NameIdFormat.TRANSIENT) {
            nameId = UserValues.sourcedNameId(s, user).orElse(null);
            if (nameId == null) {
                problems.add(user.upn() + " has no " + source(s.nameIdSource(), s.nameIdClaim()) + " for the SAML NameID: the app's"
                        + " sign-in is refused for them");
            }
        }
        List<SsoPreview.Attribute> attributes = new ArrayList<>();
        for (SamlAttribute a : s.attributes()) {
            List<String> values = UserValues.attributeValues(a, user);
            if (values.isEmpty()) {
                problems.add(user.upn() + " has no " + source(a.source(), a.claim()) + ": the assertion leaves out the attribute " + a.name());
            } else {
                attributes.add(new SsoPreview.Attribute(a.name(), values));
            }
        }
        return new SsoPreview.Saml(s.nameIdFormat(), nameId, attributes);
    }

    /** A source in words: {@code e-mail address}, {@code group}, {@code claim 'department'}. */
    private static String source(HeaderSource source, String claim) {
        return switch (source) {
            case UPN -> "UPN";
            case OBJECT_ID -> "directory id";
            case DISPLAY_NAME -> "display name";
            case EMAIL -> "e-mail address";
            case ON_PREM_UPN -> "on-premises UPN (from directory sync)";
            case SAM_ACCOUNT_NAME -> "on-premises SAM account name (from directory sync)";
            case GROUPS -> "group";
            case CLAIM -> "claim '" + claim + "'";
        };
    }
}
