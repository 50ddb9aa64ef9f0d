package dev.drawbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.AdminApiException;
import dev.drawbridge.adminclient.HttpAdminApi;
import dev.drawbridge.adminclient.ServerUnreachableException;
import dev.drawbridge.adminclient.UnexpectedAnswerException;
import dev.drawbridge.model.api.Problem;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * Base of every admin command: connects lazily with the resolved {@link Settings} through the typed admin client, maps
 * failures to exit codes and prints problem documents field by field on stderr. Subclasses implement
 * {@link #execute()} and print through {@link #output()}, never through System.out.
 */
abstract class ApiCommand implements Callable<Integer> {
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    @Spec
    CommandSpec spec;

    private HttpAdminApi client;
    private PrintWriter out;
    private PrintWriter err;
    private Settings settings;
    /** The credential in use, whatever its source, so that no message can show it. */
    private String credential;

    /** Runs the command; returns the exit code (0 when done). */
    protected abstract int execute() throws Exception;

    /** Whether the command needs a credential (login does not). */
    protected boolean needsToken() {
        return true;
    }

    /** A list of items to find one in by id or name. */
    @FunctionalInterface
    interface Items {
        List<?> fetch() throws Exception;
    }

    @Override
    public final Integer call() {
        try {
            return execute();
        } catch (CliException e) {
            err().println("error: " + mask(e.getMessage()));
            return e.exitCode();
        } catch (AdminApiException e) {
            printProblem(e);
            return CliException.API;
        } catch (ServerUnreachableException e) {
            err().println("error: " + mask("cannot reach " + (settings == null ? e.server() : settings.server()) + ": " + Connect.reason(e)));
            return e.reason() == ServerUnreachableException.Reason.INTERRUPTED ? 130 : CliException.UNREACHABLE;
        } catch (UnexpectedAnswerException e) {
            err().println("error: " + mask(e.redirect() ? "the server answered " + e.status() + " redirecting to " + e.location().orElse("?")
                    + "; pass the admin URL itself as --server (the CLI does not follow redirects)" : e.getMessage()));
            return e.redirect() ? CliException.USAGE : CliException.API;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        } catch (Exception e) {
            err().println("error: " + mask(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())));
            return CliException.API;
        } finally {
            err().flush();
            if (client != null) {
                client.close();
            }
        }
    }

    DrawbridgeCli cli() {
        return (DrawbridgeCli) spec.root().userObject();
    }

    /** Standard output: no control character of server-supplied text reaches the terminal ({@link TerminalText}). */
    PrintWriter out() {
        if (out == null) {
            out = TerminalText.guard(spec.commandLine().getOut());
        }
        return out;
    }

    /** Standard error, guarded as {@link #out()}. */
    PrintWriter err() {
        if (err == null) {
            err = TerminalText.guard(spec.commandLine().getErr());
        }
        return err;
    }

    Output output() {
        return new Output(out(), err(), cli().format(), cli().quiet);
    }

    /** The admin API, with the settings resolved from options, environment and the stored login. */
    AdminApi api() throws CliException {
        if (client == null) {
            settings = Settings.resolve(cli(), needsToken());
            credential = settings.token().orElse(null);
            client = Connect.client(settings);
        }
        return client;
    }

    /** The admin URL {@link #api()} calls. */
    URI server() throws CliException {
        api();
        return settings.server();
    }

    String mask(String text) {
        return Secrets.mask(Secrets.mask(text, cli().token), credential);
    }

    /** A problem document: in table mode field by field, in json mode as it came. */
    private void printProblem(AdminApiException e) {
        Problem p = e.problem();
        PrintWriter err = err();
        if (cli().format() == DrawbridgeCli.Format.json) {
            err.println(mask(Output.prettyJson(p)));
            return;
        }
        err.println("error: " + mask(p.title() == null ? "request failed" : p.title()) + " (HTTP " + e.status() + ")");
        if (p.type() != null && !p.type().equals("about:blank")) {
            err.println("  type: " + p.type());
        }
        err.println("  status: " + p.status());
        if (p.detail() != null) {
            err.println("  detail: " + mask(p.detail()));
        }
        for (Problem.FieldError fe : p.errors()) {
            err.println("  " + (fe.field() == null ? "?" : fe.field()) + ": " + mask(fe.message()));
        }
        if (e.status() == 401) {
            err.println("hint: the credential was refused; run drawbridge login (or check --token / DRAWBRIDGE_TOKEN)");
        } else if (e.status() == 403) {
            err.println("hint: your admin roles do not allow this; see drawbridge whoami");
        }
    }

    /**
     * The id of the item of {@code items} that {@code key} names: its id, or (ignoring case) one of {@code nameFields}.
     * A key no item matches is an error (exit 1); one matching several, too. A UUID is taken as the id as it is.
     */
    String resolve(Items items, String kind, String key, String... nameFields) throws Exception {
        if (UUID.matcher(key).matches()) {
            return key;
        }
        List<JsonNode> all = items.fetch().stream().map(Output::tree).toList();
        List<JsonNode> matches = all.stream().filter(i -> i.path("id").asText().equals(key)).toList();
        if (matches.isEmpty()) {
            matches = all.stream().filter(i -> {
                for (String f : nameFields) {
                    if (i.path(f).asText().toLowerCase(Locale.ROOT).equals(key.toLowerCase(Locale.ROOT))) {
                        return true;
                    }
                }
                return false;
            }).toList();
        }
        if (matches.isEmpty()) {
            throw new CliException(CliException.API, "no " + kind + " with id or " + String.join(" or ", nameFields) + " '" + key + "'");
        }
        if (matches.size() > 1) {
            throw CliException.usage("'" + key + "' names " + matches.size() + " " + kind + "s; use the id");
        }
        return matches.getFirst().path("id").asText();
    }

    /** Prints one item: what every show command does once it has it. */
    int show(Object item) {
        output().item(item);
        return 0;
    }

    /** Reports a deletion done: what every delete command does once the call succeeded. */
    int deleted(String done, String id) {
        output().changed(done, null, id);
        return 0;
    }

    /** A one-line description of an item for messages: its name (or other label) and id. */
    static String label(Object item, String... fields) {
        JsonNode node = item == null ? null : Output.tree(item);
        for (String f : fields) {
            if (node != null && node.hasNonNull(f)) {
                return "'" + node.path(f).asText() + "' (" + node.path("id").asText() + ")";
            }
        }
        return node == null ? "" : node.path("id").asText();
    }
}
