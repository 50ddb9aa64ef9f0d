package dev.drawbridge.cli;

import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.KerberosSso.LoginIdentity;
import dev.drawbridge.model.api.SsoMethod;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * The flags that spell an app's single sign-on settings, for {@code apps sso set} (what to store) and {@code apps sso
 * preview} (a draft to preview): the method and each method's settings. Read into settings by
 * {@link AppSsoCommands#settings}, with the rules the server runs.
 */
final class SsoOptions {
    @Option(names = "--method", paramLabel = "METHOD", converter = AppSsoCommands.MethodConverter.class,
            description = "NONE, HEADERS, KERBEROS or BASIC (default: HEADERS when --header is given, KERBEROS when --spn is,"
                    + " BASIC when --credentials is)")
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
            description = "BASIC: user (each user stores their own in My Apps) or shared (the app's, set with apps sso"
                    + " shared-credential set)")
    BasicSso.Credentials credentials;

    /** What was given. */
    AppSsoCommands.Flags flags() {
        return new AppSsoCommands.Flags(method, headers, spn, loginIdentity, upFront, credentials);
    }
}
