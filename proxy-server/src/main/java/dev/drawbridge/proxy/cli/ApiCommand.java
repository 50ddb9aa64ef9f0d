package dev.drawbridge.proxy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

/**
 * Base of every admin command: connects lazily with the resolved {@link Settings}, maps failures to
 * exit codes and prints problem documents field by field on stderr. Subclasses implement
 * {@link #execute()} and print through {@link #output()}, never through System.out.
 */
abstract class ApiCommand implements Callable<Integer> {
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    @Spec
    CommandSpec spec;

    private AdminClient client;
    /** The credential in use, whatever its source, so that no message can show it. */
    private String credential;

    /** Runs the command; returns the exit code (0 when done). */
    protected abstract int execute() throws Exception;

    /** Whether the command needs a credential (login does not). */
    protected boolean needsToken() {
        return true;
    }

    @Override
    public final Integer call() {
        try {
            return execute();
        } catch (CliException e) {
            err().println("error: " + mask(e.getMessage()));
            return e.exitCode();
        } catch (AdminClient.ProblemException e) {
            printProblem(e);
            return CliException.API;
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

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    Output output() {
        return new Output(out(), err(), cli().format(), cli().quiet);
    }

    AdminClient api() throws CliException {
        if (client == null) {
            Settings settings = Settings.resolve(cli(), needsToken());
            credential = settings.token().orElse(null);
            client = new AdminClient(settings);
        }
        return client;
    }

    String mask(String text) {
        return Secrets.mask(Secrets.mask(text, cli().token), credential);
    }

    /** A problem document: in table mode field by field, in json mode as it came. */
    private void printProblem(AdminClient.ProblemException e) {
        JsonNode p = e.problem();
        PrintWriter err = err();
        if (cli().format() == DrawbridgeCli.Format.json) {
            err.println(mask(p.toPrettyString()));
            return;
        }
        err.println("error: " + mask(p.path("title").asText("request failed")) + " (HTTP " + e.status() + ")");
        for (var it = p.properties().iterator(); it.hasNext(); ) {
            var f = it.next();
            switch (f.getKey()) {
                case "title", "errors" -> { }
                case "type" -> {
                    if (!f.getValue().asText().equals("about:blank")) {
                        err.println("  type: " + f.getValue().asText());
                    }
                }
                default -> err.println("  " + f.getKey() + ": " + mask(Table.text(f.getValue())));
            }
        }
        for (JsonNode fe : p.path("errors")) {
            err.println("  " + fe.path("field").asText("?") + ": " + mask(fe.path("message").asText()));
        }
        if (e.status() == 401) {
            err.println("hint: the credential was refused; run drawbridge login (or check --token / DRAWBRIDGE_TOKEN)");
        } else if (e.status() == 403) {
            err.println("hint: your admin roles do not allow this; see drawbridge whoami");
        }
    }

    /**
     * The id of the item of {@code collection} that {@code key} names: its id, or (ignoring case) one
     * of {@code nameFields}. A key no item matches is an error (exit 1); one matching several, too.
     */
    String resolve(String collection, String kind, String key, String... nameFields) throws Exception {
        return resolve(collection, Map.of(), kind, key, nameFields);
    }

    /** As above, with query parameters that narrow the list on the server (a search filter). */
    String resolve(String collection, Map<String, String> narrow, String kind, String key, String... nameFields) throws Exception {
        if (UUID.matcher(key).matches()) {
            return key;
        }
        Map<String, String> q = new java.util.LinkedHashMap<>(narrow);
        if (!collection.contains("/")) {
            q.put("limit", "1000");
        }
        JsonNode all = api().get(collection, q);
        List<JsonNode> matches = Output.items(all).stream().filter(i -> i.path("id").asText().equals(key)).toList();
        if (matches.isEmpty()) {
            matches = Output.items(all).stream().filter(i -> {
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

    /** Prints the item {@code collection/id}: what every show command does once it has the id. */
    int show(String collection, String id) throws Exception {
        output().item(api().get(collection + "/" + seg(id)));
        return 0;
    }

    /** Deletes {@code collection/id} and reports {@code done}: what every delete command does once it has the id. */
    int delete(String collection, String id, String done) throws Exception {
        api().send("DELETE", collection + "/" + seg(id), null);
        output().changed(done, null, id);
        return 0;
    }

    /**
     * Adds a user to a list of users kept under an item ({@code groups/{id}/members}, {@code apps/{id}/owners});
     * the server resolves {@code user} (UPN or id). Returns the list as it now is.
     */
    JsonNode addUser(String users, String user) throws Exception {
        return api().send("POST", users, Map.of("user", user));
    }

    /**
     * Removes from such a list the user that {@code user} names among its entries (id or UPN, as the server resolves
     * users; never an email, which another account may carry); {@code kind} names the list in errors.
     */
    void removeUser(String users, String kind, String user) throws Exception {
        String userId = resolve(users, kind, user, "upn");
        api().send("DELETE", users + "/" + seg(userId), null);
    }

    /** Sets {@code field} of a request body when the option was given; unset options leave the field as it is. */
    static void putIfSet(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }

    static String seg(String s) {
        return AdminClient.seg(s);
    }

    /** A one-line description of an item for messages: its name (or other label) and id. */
    static String label(JsonNode item, String... fields) {
        for (String f : fields) {
            if (item != null && item.hasNonNull(f)) {
                return "'" + item.path(f).asText() + "' (" + item.path("id").asText() + ")";
            }
        }
        return item == null ? "" : item.path("id").asText();
    }
}
