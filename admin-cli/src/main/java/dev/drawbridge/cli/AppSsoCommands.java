package dev.drawbridge.cli;

import dev.drawbridge.adminclient.AdminApiException;
import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.KerberosSso;
import dev.drawbridge.model.api.KerberosSso.LoginIdentity;
import dev.drawbridge.model.api.Problem.FieldError;
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
 * it ({@code --header '...'}, {@code --spn}), before anything is sent; the server also refuses them for an app that is
 * not pre-authenticated. Methods: {@code NONE}, {@code HEADERS} ({@code --header}), {@code KERBEROS} ({@code --spn},
 * {@code --login-identity}, {@code --up-front}); {@code SAML} is shown but not set here.
 */
@Command(name = "sso", description = "An app's single sign-on to its backend: show, set, clear, shared-credential.",
        subcommands = {AppSsoCommands.Show.class, AppSsoCommands.Set.class, AppSsoCommands.Clear.class, AppSharedCredentialCommands.class})
final class AppSsoCommands {
    static final String HEADER_HELP = "A header the connector sets: " + HeaderRuleSyntax.SYNTAX + ", e.g. 'X-Remote-User=upn' or "
            + "'X-Groups=groups;join=,;lower' (in values \\; is a ';' and \\\\ a '\\'). SOURCE: " + HeaderRuleSyntax.SOURCES
            + ". Repeat for more headers (at most " + SsoRules.MAX_HEADERS + ")";
    /** The methods {@code set} takes (SAML's settings are not set by the CLI yet). */
    static final List<SsoMethod> SETTABLE = List.of(SsoMethod.NONE, SsoMethod.HEADERS, SsoMethod.KERBEROS, SsoMethod.BASIC);
    private static final Pattern HEADER_FIELD = Pattern.compile("headers\\[(\\d+)](?:\\.(\\w+))?");

    private AppSsoCommands() {
    }

    /** What {@code set} was given: the method (null: from the other flags), headers, and the Kerberos flags. */
    record Flags(SsoMethod method, List<String> headers, String spn, LoginIdentity loginIdentity, boolean upFront,
                 BasicSso.Credentials credentials) {
        Flags {
            headers = headers == null ? List.of() : List.copyOf(headers);
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
    }

    /** The settings {@code --method} and {@code --header} give; a usage error listing every problem, nothing sent then. */
    static SsoSettings settings(SsoMethod method, List<String> headers) throws CliException {
        return settings(Flags.headers(method, headers));
    }

    /**
     * The settings the flags give: the method is {@code --method}, else HEADERS when a {@code --header} is given, else
     * KERBEROS when a Kerberos flag is; a usage error listing every problem, each with its flag, nothing sent then.
     */
    static SsoSettings settings(Flags f) throws CliException {
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
        SsoMethod method = f.method() != null ? f.method() : !rules.isEmpty() ? SsoMethod.HEADERS : f.kerberos() ? SsoMethod.KERBEROS
                : f.credentials() != null ? SsoMethod.BASIC : null;
        if (method == null) {
            throw CliException.usage("set needs --method, --header for method HEADERS, --spn for method KERBEROS or --credentials for BASIC"
                    + " (to remove single sign-on: drawbridge apps sso clear)");
        }
        if (!SETTABLE.contains(method)) {
            throw CliException.usage("--method " + method + " is not set by this CLI yet: set it with the admin API"
                    + " (PUT /api/v1/apps/{id}/sso); the CLI sets " + SETTABLE.stream().map(Enum::name).collect(Collectors.joining(", ")));
        }
        KerberosSso kerberos = f.kerberos() ? new KerberosSso(f.spn() == null ? null : f.spn().strip(), f.loginIdentity(), f.upFront()) : null;
        if (f.credentials() != null && method != SsoMethod.BASIC) {
            throw CliException.usage("--credentials goes with method BASIC only");
        }
        BasicSso basic = method == SsoMethod.BASIC ? new BasicSso(f.credentials()) : null;
        SsoSettings s = new SsoSettings(method, rules, kerberos, null, basic);
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
        return switch (String.valueOf(field)) {
            case "headers" -> "--header";
            case "method", "saml" -> "--method";
            case "kerberos.spn" -> "--spn";
            case "kerberos" -> f.kerberosFlags();
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

        @Override
        protected int execute() throws Exception {
            SsoSettings s = settings(options.flags());
            String id = AppCommands.appId(this, app);
            SsoSettings stored = api().apps().setSso(id, s);
            output().changed("Single sign-on of app " + app + ": " + SsoSettingsText.summary(stored), stored, id);
            if (stored.method() == SsoMethod.KERBEROS) {
                groupKerberosNote(id);
            }
            return 0;
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
