package dev.drawbridge.cli;

import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.Problem.FieldError;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.api.validation.SsoRules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code drawbridge apps sso ...}: how the connector signs users in to an app's backend ({@code /apps/{id}/sso}). The
 * settings are checked here with the rules the server runs ({@link SsoRules}), every problem naming the {@code --header}
 * that caused it, before anything is sent; the server also refuses them for an app that is not pre-authenticated.
 */
@Command(name = "sso", description = "An app's single sign-on to its backend: show, set, clear.",
        subcommands = {AppSsoCommands.Show.class, AppSsoCommands.Set.class, AppSsoCommands.Clear.class})
final class AppSsoCommands {
    static final String HEADER_HELP = "A header the connector sets: " + HeaderRuleSyntax.SYNTAX + ", e.g. 'X-Remote-User=upn' or "
            + "'X-Groups=groups;join=,;lower' (in values \\; is a ';' and \\\\ a '\\'). SOURCE: " + HeaderRuleSyntax.SOURCES
            + ". Repeat for more headers (at most " + SsoRules.MAX_HEADERS + ")";
    private static final Pattern HEADER_FIELD = Pattern.compile("headers\\[(\\d+)](?:\\.(\\w+))?");

    private AppSsoCommands() {
    }

    /** The settings {@code --method} and {@code --header} give; a usage error listing every problem, nothing sent then. */
    static SsoSettings settings(SsoMethod method, List<String> headers) throws CliException {
        List<String> problems = new ArrayList<>();
        List<HeaderRule> rules = new ArrayList<>();
        for (String spec : headers) {
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
        if (method == null && rules.isEmpty()) {
            throw CliException.usage("set needs --method, or --header for method HEADERS (to remove single sign-on: drawbridge apps sso clear)");
        }
        SsoSettings s = new SsoSettings(method == null ? SsoMethod.HEADERS : method, rules);
        List<FieldError> errors = SsoRules.check(s);
        if (!errors.isEmpty()) {
            throw CliException.usage("the single sign-on settings are not valid, nothing was sent:" + errors.stream()
                    .map(e -> "\n  " + flag(e.field(), headers) + ": " + e.message()).collect(Collectors.joining()));
        }
        return s;
    }

    /** The flag a field error of {@link SsoRules} comes from: {@code headers[1].name} is the second --header. */
    static String flag(String field, List<String> headers) {
        Matcher m = HEADER_FIELD.matcher(field == null ? "" : field);
        if (m.matches()) {
            int i = Integer.parseInt(m.group(1));
            return "--header '" + (i < headers.size() ? headers.get(i) : "?") + "'" + (m.group(2) == null ? "" : " (" + m.group(2) + ")");
        }
        return "headers".equals(field) ? "--header" : "method".equals(field) ? "--method" : String.valueOf(field);
    }

    /** The settings as flags for {@code set}, each quoted for a POSIX shell. */
    static String asFlags(SsoSettings s) {
        return s.headers().stream().filter(Objects::nonNull).map(r -> "--header '" + HeaderRuleSyntax.format(r).replace("'", "'\\''") + "'")
                .collect(Collectors.joining(" "));
    }

    @Command(name = "show", description = "Show an app's single sign-on: the method and, for HEADERS, each header.")
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
                o.out().print(render(s));
            }
            o.out().flush();
            return 0;
        }
    }

    /** Table mode of {@code show}: the method, a table of the headers, and the flags that set them again. */
    static String render(SsoSettings s) {
        StringBuilder b = new StringBuilder("method: ").append(s.method()).append('\n');
        if (s.headers().isEmpty()) {
            return b.toString();
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("HEADER", "SOURCE", "CLAIM", "BEFORE @", "LOWER", "PREFIX", "JOIN"));
        for (HeaderRule r : s.headers().stream().filter(Objects::nonNull).toList()) {
            rows.add(List.of(String.valueOf(r.name()), r.source() == null ? "-" : HeaderRuleSyntax.spell(r.source()),
                    r.claim() == null ? "-" : r.claim(), r.beforeAt() ? "yes" : "no",
                    r.lowerCase() ? "yes" : "no", r.prefix() == null ? "-" : quoted(r.prefix()),
                    r.separator() == null ? quoted(HeaderRule.DEFAULT_SEPARATOR) + " (default)" : quoted(r.separator())));
        }
        rows.replaceAll(row -> row.stream().map(TerminalText::oneLine).toList());
        return b.append(Table.rows(rows)).append("as flags: ").append(TerminalText.oneLine(asFlags(s))).append('\n').toString();
    }

    private static String quoted(String s) {
        return "\"" + s + "\"";
    }

    @Command(name = "set", description = "Set an app's single sign-on (the app must be pre-authenticated: --pre-auth DIRECTORY).")
    static final class Set extends ApiCommand {
        @Parameters(paramLabel = "APP", description = "Name, external URL or id")
        String app;
        @Option(names = "--method", paramLabel = "METHOD", description = "NONE or HEADERS (default: HEADERS when --header is given)")
        SsoMethod method;
        @Option(names = "--header", paramLabel = "SPEC", description = HEADER_HELP)
        List<String> headers;

        @Override
        protected int execute() throws Exception {
            SsoSettings s = settings(method, headers == null ? List.of() : headers);
            String id = AppCommands.appId(this, app);
            SsoSettings stored = api().apps().setSso(id, s);
            output().changed("Single sign-on of app " + app + ": " + stored.method() + (stored.headers().isEmpty() ? ""
                    : " (" + stored.headers().stream().filter(Objects::nonNull).map(HeaderRule::name).collect(Collectors.joining(", ")) + ")"), stored, id);
            return 0;
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
