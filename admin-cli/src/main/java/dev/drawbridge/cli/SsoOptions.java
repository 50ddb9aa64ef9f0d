package dev.drawbridge.cli;

import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.KerberosSso.LoginIdentity;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * The flags that spell an app's single sign-on settings, for {@code apps sso set} (what to store) and {@code apps sso
 * preview} (a draft to preview): the method and each method's settings. Read into settings by
 * {@link AppSsoCommands#settings}, with the rules the server runs.
 */
final class SsoOptions {
    @Option(names = "--method", paramLabel = "METHOD", converter = AppSsoCommands.MethodConverter.class,
            description = "NONE, HEADERS, KERBEROS, BASIC, FORMS or SAML (default: HEADERS when --header is given, KERBEROS when"
                    + " --spn is, FORMS when --login-path is, SAML when --sp-metadata is, BASIC when only --credentials is)")
    SsoMethod method;
    @Option(names = "--header", paramLabel = "SPEC", description = AppSsoCommands.HEADER_HELP)
    List<String> headers;
    @Option(names = "--spn", paramLabel = "SPN", description = "KERBEROS: the backend's service principal name, service/host[@REALM],"
            + " e.g. HTTP/intranet.corp.example (never derived from the internal URL)")
    String spn;
    @Option(names = "--login-identity", paramLabel = "NAME", converter = AppSsoCommands.LoginIdentityConverter.class,
            description = "KERBEROS: which name of the user the connector asks the KDC for: upn (default), on-prem-upn,"
                    + " user-part (the UPN before @, in the connector group's realm) or on-prem-sam (the SAM account name)")
    LoginIdentity loginIdentity;
    @Option(names = "--up-front", description = "KERBEROS: send the ticket with the first request instead of after the backend's"
            + " 401 Negotiate (saves a round trip; needed for large request bodies)")
    boolean upFront;
    @Option(names = "--credentials", paramLabel = "WHOSE", converter = AppSsoCommands.CredentialsConverter.class,
            description = "BASIC, FORMS: user (default: each user stores their own in My Apps) or shared (the app's, set with"
                    + " apps sso shared-credential set)")
    BasicSso.Credentials credentials;
    @Option(names = "--login-path", paramLabel = "PATH", description = "FORMS: the login form's path on the backend, as it names it in"
            + " its redirects, e.g. /login (no query)")
    String loginPath;
    @Option(names = "--username-field", paramLabel = "NAME", description = "FORMS: the form's user-name field (default: detected,"
            + " the last text or e-mail field before the password field)")
    String usernameField;
    @Option(names = "--password-field", paramLabel = "NAME", description = "FORMS: the form's password field (default: detected,"
            + " the form's one password field)")
    String passwordField;
    @Mixin
    SamlFlags saml;

    /** The app a command names, resolved (by the API) when first needed. */
    @FunctionalInterface
    interface AppId {
        String get() throws Exception;
    }

    /** What was given. */
    AppSsoCommands.Flags flags() {
        return new AppSsoCommands.Flags(method, headers, spn, loginIdentity, upFront, credentials, loginPath, usernameField, passwordField,
                saml.given(), saml.attributeSpecs());
    }

    /** Whether any settings flag was given. */
    boolean given() {
        AppSsoCommands.Flags f = flags();
        return method != null || !f.headers().isEmpty() || f.kerberos() || f.forms() || credentials != null || !f.samlFlags().isEmpty();
    }

    /**
     * The settings the flags give, checked with the rules the server runs. Everything that can be checked here is checked
     * before any call; SAML's then asks the server (to read the metadata, and for the app's stored SAML settings).
     */
    SsoSettings settings(ApiCommand c, AppId app) throws Exception {
        AppSsoCommands.Flags f = flags();
        if (AppSsoCommands.method(f) == SsoMethod.SAML) {
            var attributes = saml.parsedAttributes();
            var metadata = saml.metadata(c.cli().stdin());
            return AppSsoCommands.settings(f, saml.compose(c.api(), app.get(), metadata, attributes));
        }
        return AppSsoCommands.settings(f);
    }
}
