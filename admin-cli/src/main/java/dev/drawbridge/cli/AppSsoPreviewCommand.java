package dev.drawbridge.cli;

import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SsoPreview;
import dev.drawbridge.model.api.SsoPreviewRequest;
import dev.drawbridge.model.api.SsoSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code drawbridge apps sso preview APP --user USER} ("test as user", {@code POST /apps/{id}/sso/preview}): what the
 * app's backend would receive from single sign-on for one user, computed by the server with the live path's code, and
 * every reason it would be refused or incomplete for them. Of the stored settings, or with the flags of {@code set} of a
 * draft (checked as {@code set} checks them, stored nowhere). Exits 1 when there is a problem, as {@code apps test} does
 * when the app cannot be reached, so that scripts can tell; every text the server sent is printed through
 * {@link TerminalText}.
 */
@Command(name = "preview", description = "Test as user: what the app's backend would receive from single sign-on for a user (nothing"
        + " is sent to it), and why it would be refused or incomplete for them; of the stored settings or, with set's flags, of a"
        + " draft (stored nowhere). Exits 1 when there is a problem.")
final class AppSsoPreviewCommand extends ApiCommand {
    @Parameters(paramLabel = "APP", description = "Name, external URL or id")
    String app;
    @Option(names = "--user", required = true, paramLabel = "USER", description = "The user, by id or UPN")
    String user;
    @Mixin
    SsoOptions options;
    private String appId;

    private String id() throws Exception {
        if (appId == null) {
            appId = AppCommands.appId(this, app);
        }
        return appId;
    }

    @Override
    protected int execute() throws Exception {
        SsoSettings draft = options.given() ? options.settings(this, this::id) : null;
        SsoPreview p = api().apps().previewSso(id(), new SsoPreviewRequest(user, draft));
        Output o = output();
        if (o.json()) {
            o.pretty(p);
        } else if (!o.quiet()) {
            o.out().print(render(app, draft != null, p));
        }
        o.out().flush();
        return p.problems().isEmpty() ? 0 : CliException.API;
    }

    /** Table mode: who and what, what the backend gets (a table of headers or attributes, or one line per value), the problems. */
    static String render(String app, boolean draft, SsoPreview p) {
        StringBuilder b = new StringBuilder()
                .append("app: ").append(TerminalText.oneLine(app)).append(draft ? " (draft settings, not stored)" : "").append('\n')
                .append("user: ").append(TerminalText.oneLine(String.valueOf(p.upn()))).append(" (").append(TerminalText.oneLine(
                        String.valueOf(p.userId()))).append(")\n")
                .append("method: ").append(p.method()).append('\n');
        switch (p.method()) {
            case HEADERS -> {
                if (p.headers().isEmpty()) {
                    b.append("headers: none\n");
                } else {
                    List<List<String>> rows = new ArrayList<>();
                    rows.add(List.of("HEADER", "VALUE"));
                    p.headers().forEach(h -> rows.add(List.of(String.valueOf(h.name()), String.valueOf(h.value()))));
                    b.append(table(rows));
                }
            }
            case KERBEROS -> {
                if (p.kerberos() != null) {
                    b.append("principal: ").append(p.kerberos().principal() == null ? "(none)" : TerminalText.oneLine(p.kerberos().principal()))
                            .append('\n').append("spn: ").append(TerminalText.oneLine(String.valueOf(p.kerberos().spn()))).append('\n')
                            .append("ticket up front: ").append(p.kerberos().upFront() ? "yes" : "no").append('\n');
                }
            }
            case BASIC, FORMS -> {
                if (p.password() != null) {
                    b.append("credentials: ").append(p.password().credentials() == BasicSso.Credentials.SHARED ? "the app's shared one"
                            : "the user's own").append('\n').append("stored: ").append(p.password().stored() ? "yes" : "no").append('\n');
                }
            }
            case SAML -> {
                if (p.saml() != null) {
                    b.append(saml(p.saml()));
                }
            }
            case NONE -> b.append("(no single sign-on: the backend gets the request as the user sent it, with X-Drawbridge-User)\n");
        }
        if (p.problems().isEmpty()) {
            return b.append("problems: none\n").toString();
        }
        b.append("problems:\n");
        p.problems().forEach(s -> b.append("  - ").append(TerminalText.oneLine(String.valueOf(s))).append('\n'));
        return b.toString();
    }

    private static String saml(SsoPreview.Saml s) {
        StringBuilder b = new StringBuilder("name id format: ").append(SamlFlags.spell(s.nameIdFormat())).append('\n')
                .append("name id: ").append(s.nameId() != null ? TerminalText.oneLine(s.nameId())
                        : s.nameIdFormat() == SamlSso.NameIdFormat.TRANSIENT ? "(a random id at each sign-in)" : "(none)").append('\n');
        if (s.attributes().isEmpty()) {
            return b.append("attributes: none\n").toString();
        }
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("ATTRIBUTE", "VALUE"));
        for (SsoPreview.Attribute a : s.attributes()) {
            // One row per value; the name on the first only.
            for (int i = 0; i < Math.max(1, a.values().size()); i++) {
                rows.add(List.of(i == 0 ? String.valueOf(a.name()) : "", i < a.values().size() ? String.valueOf(a.values().get(i)) : ""));
            }
        }
        return b.append(table(rows)).toString();
    }

    private static String table(List<List<String>> rows) {
        rows.replaceAll(row -> row.stream().map(TerminalText::oneLine).toList());
        return Table.rows(rows);
    }
}
