package dev.drawbridge.cli;

import dev.drawbridge.adminclient.AdminApiException;
import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.FormsSso;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.KerberosSso;
import dev.drawbridge.model.api.KerberosSso.LoginIdentity;
import dev.drawbridge.model.api.Problem.FieldError;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.api.validation.SsoRules;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code drawbridge apps sso ...}: how the connector signs users in to an app's backend ({@code /apps/{id}/sso}). The
 * settings are checked here with the rules the server runs ({@link SsoRules}), every problem naming the flag that caused
 * it ({@code --header '...'}, {@code --spn}, {@code --login-path}, {@code --attribute '...'}), before anything is stored;
 * the server also refuses them for an app that is not pre-authenticated. Methods: {@code NONE}, {@code HEADERS}
 * ({@code --header}), {@code KERBEROS} ({@code --spn}, {@code --login-identity}, {@code --up-front}), {@code BASIC}
 * ({@code --credentials}), {@code FORMS} ({@code --login-path}, {@code --username-field}, {@code --password-field},
 * {@code --credentials}) and {@code SAML} ({@code --sp-metadata} and the flags of {@link SamlFlags}). {@code preview}
 * shows what a user's backend would get ({@link AppSsoPreviewCommand}).
 */
@Command(name = "sso", description = "An app's single sign-on to its backend: show, set, clear, preview (test as user),"
        + " shared-credential, saml.",
        subcommands = {AppSsoCommands.Show.class, AppSsoCommands.Set.class, AppSsoCommands.Clear.class, AppSsoPreviewCommand.class,
                AppSharedCredentialCommands.class, AppSamlCommands.class})
final class AppSsoCommands {
    static final String HEADER_HELP = "A header the connector sets: " + HeaderRuleSyntax.SYNTAX + ", e.g. 'X-Remote-User=upn' or "
            + "'X-Groups=groups;join=,;lower' (in values \\; is a ';' and \\\\ a '\\'). SOURCE: " + HeaderRuleSyntax.SOURCES
            + ". Repeat for more headers (at most " + SsoRules.MAX_HEADERS + ")";
    /** The methods {@code set} takes: every one. */
    static final List<SsoMethod> SETTABLE = List.of(SsoMethod.values());
    private static final Pattern HEADER_FIELD = Pattern.compile("headers\\[(\\d+)](?:\\.(\\w+))?");
    private static final Pattern ATTRIBUTE_FIELD = Pattern.compile("saml\\.attributes\\[(\\d+)](?:\\.(\\w+))?");

    private AppSsoCommands() {
    }

    /**
     * What {@code set} (or {@code preview}) was given: the method (null: from the other flags), headers, the Kerberos flags,
     * whose credentials, the login form's flags, and the SAML flags given (their names, and the {@code --attribute} specs),
     * for choosing the method and for naming the flag of each problem.
     */
    record Flags(SsoMethod method, List<String> headers, String spn, LoginIdentity loginIdentity, boolean upFront,
                 BasicSso.Credentials credentials, String loginPath, String usernameField, String passwordField,
                 List<String> samlFlags, List<String> attributes) {
        Flags {
            headers = headers == null ? List.of() : List.copyOf(headers);
            samlFlags = samlFlags == null ? List.of() : List.copyOf(samlFlags);
            attributes = attributes == null ? List.of() : List.copyOf(attributes);
        }

        Flags(SsoMethod method, List<String> headers, String spn, LoginIdentity loginIdentity, boolean upFront,
              BasicSso.Credentials credentials) {
            this(method, headers, spn, loginIdentity, upFront, credentials, null, null, null, null, null);
        }

        Flags(SsoMethod method, List<String> headers, String spn, LoginIdentity loginIdentity, boolean upFront) {
            this(method, headers, spn, loginIdentity, upFront, null);
        }

        /** Headers only (no Kerberos flag). */
        static Flags headers(SsoMethod method, List<String> headers) {
            return new Flags(method, headers, null, null, false);
        }

        boolean kerberos() {
            return spn != null || loginIdentity != null || upFront;
        }

        boolean forms() {
            return loginPath != null || usernameField != null || passwordField != null;
        }

        /** The Kerberos flags given, for messages: {@code --spn}, {@code --login-identity}, {@code --up-front}. */
        String kerberosFlags() {
            List<String> given = new ArrayList<>();
            if (spn != null || !kerberos()) {
                given.add("--spn");
            }
            if (loginIdentity != null) {
                given.add("--login-identity");
            }
            if (upFront) {
                given.add("--up-front");
            }
            return String.join(", ", given);
        }

        /** The login form's flags given, for messages; {@code --login-path} when none. */
        String formsFlags() {
            List<String> given = new ArrayList<>();
            if (loginPath != null || !forms()) {
                given.add("--login-path");
            }
            if (usernameField != null) {
                given.add("--username-field");
            }
            if (passwordField != null) {
                given.add("--password-field");
            }
            return String.join(", ", given);
        }
    }

    /** The settings {@code --method} and {@code --header} give; a usage error listing every problem, nothing sent then. */
    static SsoSettings settings(SsoMethod method, List<String> headers) throws CliException {
        return settings(Flags.headers(method, headers));
    }

    /** The settings the flags give, without SAML's (which come from the server: {@link SamlFlags}). */
    static SsoSettings settings(Flags f) throws CliException {
        return settings(f, null);
    }

    /**
     * The method the flags choose: {@code --method}, else HEADERS when a {@code --header} is given, KERBEROS when a Kerberos
     * flag is, FORMS when a login form's flag is, SAML when a SAML flag is, BASIC when only {@code --credentials} is.
     */
    static SsoMethod method(Flags f) throws CliException {
        SsoMethod method = f.method() != null ? f.method() : !f.headers().isEmpty() ? SsoMethod.HEADERS
                : f.kerberos() ? SsoMethod.KERBEROS : f.forms() ? SsoMethod.FORMS : !f.samlFlags().isEmpty() ? SsoMethod.SAML
                : f.credentials() != null ? SsoMethod.BASIC : null;
        if (method == null) {
            throw CliException.usage("set needs --method, --header for method HEADERS, --spn for method KERBEROS, --login-path for"
                    + " FORMS, --sp-metadata for SAML or --credentials for BASIC (to remove single sign-on: drawbridge apps sso clear)");
        }
        return method;
    }

    /**
     * The settings the flags give, with {@code saml} as the SAML settings (composed from the server's answers by
     * {@link SamlFlags}; null for the other methods); a usage error listing every problem, each with its flag, nothing
     * sent then.
     */
    static SsoSettings settings(Flags f, SamlSso saml) throws CliException {
        List<String> problems = new ArrayList<>();
        List<HeaderRule> rules = new ArrayList<>();
        for (String spec : f.headers()) {
            try {
                rules.add(HeaderRuleSyntax.parse(spec));
            } catch (HeaderRuleSyntax.SyntaxException e) {
                problems.add("--header '" + spec + "': " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            throw CliException.usage("cannot read " + (problems.size() == 1 ? "a --header" : problems.size() + " --header options")
                    + ", nothing was sent:" + problems.stream().map(p -> "\n  " + p).collect(Collectors.joining())
                    + "\n  syntax: --header '" + HeaderRuleSyntax.SYNTAX + "'; sources: " + HeaderRuleSyntax.SOURCES);
        }
        SsoMethod method = method(f);
        if (method != SsoMethod.SAML && !f.samlFlags().isEmpty()) {
            throw CliException.usage(String.join(", ", f.samlFlags()) + (f.samlFlags().size() == 1 ? " goes" : " go")
                    + " with method SAML only");
        }
        if (f.credentials() != null && method != SsoMethod.BASIC && method != SsoMethod.FORMS) {
            throw CliException.usage("--credentials goes with methods BASIC and FORMS only");
        }
        KerberosSso kerberos = f.kerberos() ? new KerberosSso(f.spn() == null ? null : f.spn().strip(), f.loginIdentity(), f.upFront()) : null;
        BasicSso basic = method == SsoMethod.BASIC ? new BasicSso(f.credentials()) : null;
        FormsSso forms = f.forms() || method == SsoMethod.FORMS ? new FormsSso(f.loginPath() == null ? null : f.loginPath().strip(),
                f.usernameField(), f.passwordField(), method == SsoMethod.FORMS ? f.credentials() : null) : null;
        SsoSettings s = new SsoSettings(method, rules, kerberos, method == SsoMethod.SAML ? saml : null, basic, forms);
        List<FieldError> errors = SsoRules.check(s);
        if (!errors.isEmpty()) {
            throw CliException.usage("the single sign-on settings are not valid, nothing was sent:" + errors.stream()
                    .map(e -> "\n  " + flag(e.field(), f) + ": " + e.message()).collect(Collectors.joining()));
        }
        return s;
    }

    /** The flag a field error of {@link SsoRules} comes from: {@code headers[1].name} is the second --header. */
    static String flag(String field, List<String> headers) {
        return flag(field, Flags.headers(null, headers));
    }

    static String flag(String field, Flags f) {
        Matcher m = HEADER_FIELD.matcher(field == null ? "" : field);
        if (m.matches()) {
            int i = Integer.parseInt(m.group(1));
            List<String> headers = f.headers();
            return "--header '" + (i < headers.size() ? headers.get(i) : "?") + "'" + (m.group(2) == null ? "" : " (" + m.group(2) + ")");
        }
        Matcher a = ATTRIBUTE_FIELD.matcher(field == null ? "" : field);
        if (a.matches()) {
            int i = Integer.parseInt(a.group(1));
            return "--attribute '" + (i < f.attributes().size() ? f.attributes().get(i) : "?") + "'"
                    + (a.group(2) == null ? "" : " (" + a.group(2) + ")");
        }
        return switch (String.valueOf(field)) {
            case "headers" -> "--header";
            case "method" -> "--method";
            case "kerberos.spn" -> "--spn";
            case "kerberos" -> f.kerberosFlags();
            case "forms" -> f.formsFlags();
            case "forms.loginPath" -> "--login-path";
            case "forms.usernameField" -> "--username-field";
            case "forms.passwordField" -> "--password-field";
            case "saml", "saml.spEntityId", "saml.acsUrl", "saml.spCertificate" -> "--sp-metadata";
            case "saml.nameIdSource" -> "--name-id-source";
            case "saml.nameIdClaim" -> "--name-id-claim";
            case "saml.attributes" -> "--attribute";
            case "saml.relayState" -> "--relay-state";
            default -> String.valueOf(field);
        };
    }

    /** How {@code --login-identity} spells a login identity: {@code on-prem-sam}. */
    static String spell(LoginIdentity l) {
        return l.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** {@code --login-identity} values: {@code upn}, {@code on-prem-upn}, {@code user-part}, {@code on-prem-sam} (any case, {@code _} for {@code -}). */
    static final class LoginIdentityConverter implements ITypeConverter<LoginIdentity> {
        @Override
        public LoginIdentity convert(String value) {
            String name = value.strip().replace('-', '_').toUpperCase(Locale.ROOT);
            return Arrays.stream(LoginIdentity.values()).filter(l -> l.name().equals(name)).findFirst()
                    .orElseThrow(() -> new TypeConversionException("expected one of " + Arrays.stream(LoginIdentity.values())
                            .map(AppSsoCommands::spell).collect(Collectors.joining(", ")) + " but was '" + value + "'"));
        }
    }

    /** {@code --method} values: those {@code set} takes, in any case. */
    static final class CredentialsConverter implements ITypeConverter<BasicSso.Credentials> {
        @Override
        public BasicSso.Credentials convert(String value) {
            String name = value.strip().toUpperCase(Locale.ROOT);
            return Arrays.stream(BasicSso.Credentials.values()).filter(c -> c.name().equals(name)).findFirst()
                    .orElseThrow(() -> new TypeConversionException("expected user or shared but was '" + value + "'"));
        }
    }

    static final class MethodConverter implements ITypeConverter<SsoMethod> {
        @Override
        public SsoMethod convert(String value) {
            String name = value.strip().toUpperCase(Locale.ROOT);
            return Arrays.stream(SsoMethod.values()).filter(m -> m.name().equals(name)).findFirst()
                    .orElseThrow(() -> new TypeConversionException("expected one of " + SETTABLE.stream().map(Enum::name)
                            .collect(Collectors.joining(", ")) + " but was '" + value + "'"));
        }
    }

    @Command(name = "show", description = "Show an app's single sign-on: the method and its settings, and the flags that set them again.")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "APP", description = "Name, external URL or id")
        String app;

        @Override
        protected int execute() throws Exception {
            SsoSettings s = api().apps().sso(AppCommands.appId(this, app));
            Output o = output();
            if (o.json()) {
                o.pretty(s);
            } else if (o.quiet()) {
                o.out().println(s.method());
            } else {
                o.out().print(SsoSettingsText.render(s));
            }
            o.out().flush();
            return 0;
        }
    }

    @Command(name = "set", description = "Set an app's single sign-on (the app must be pre-authenticated: --pre-auth DIRECTORY).")
    static final class Set extends ApiCommand {
        @Parameters(paramLabel = "APP", description = "Name, external URL or id")
        String app;
        @Mixin
        SsoOptions options;
        private String appId;

        @Override
        protected int execute() throws Exception {
            SsoSettings s = options.settings(this, this::id);
            String id = id();
            SsoSettings stored = api().apps().setSso(id, s);
            output().changed("Single sign-on of app " + app + ": " + SsoSettingsText.summary(stored), stored, id);
            if (stored.method() == SsoMethod.KERBEROS) {
                groupKerberosNote(id);
            }
            return 0;
        }

        private String id() throws Exception {
            if (appId == null) {
                appId = AppCommands.appId(this, app);
            }
            return appId;
        }

        /** Kerberos needs the connector group's settings too: says so when the group has none (404); quiet when it cannot tell. */
        private void groupKerberosNote(String appId) {
            String group = null;
            try {
                var a = api().apps().get(appId);
                group = a.connectorGroupName();
                api().connectorGroups().kerberos(a.connectorGroupId());
            } catch (AdminApiException e) {
                if (e.status() == 404 && group != null) {
                    output().note("Note: connector group " + TerminalText.oneLine(group) + " has no Kerberos settings yet; until it has,"
                            + " its connectors refuse single sign-on to this app. Set them with: drawbridge connector-groups kerberos set '"
                            + TerminalText.oneLine(group).replace("'", "'\\''") + "' --realm ... --kdc ... --principal ... --keytab FILE");
                }
            } catch (Exception e) {
                // The settings are stored; whether the group is ready is a hint only (e.g. a role without CONNECTORS_READ).
            }
        }
    }

    @Command(name = "clear", description = "Remove an app's single sign-on: the backend gets requests as the user sent them.")
    static final class Clear extends ApiCommand {
        @Parameters(paramLabel = "APP", description = "Name, external URL or id")
        String app;

        @Override
        protected int execute() throws Exception {
            String id = AppCommands.appId(this, app);
            SsoSettings stored = api().apps().setSso(id, SsoSettings.NONE);
            output().changed("Removed the single sign-on of app " + app, stored, id);
            return 0;
        }
    }
}
