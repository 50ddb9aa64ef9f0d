package dev.drawbridge.cli;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * How a command's result is printed: {@code table} (aligned columns for lists, "field: value" for
 * one item, a sentence for changes), {@code json} (the API's JSON, pretty, nothing else on
 * stdout) or quiet (ids only). Errors are not printed here.
 */
final class Output {
    /**
     * The server's JSON settings: a record prints as the API sent it (ISO-8601 instants, null fields kept), with every
     * character a terminal would take as a control escaped by Jackson ({@link TerminalSafeEscapes}).
     */
    static final ObjectMapper JSON = JsonMapper.builder(new JsonFactoryBuilder().characterEscapes(new TerminalSafeEscapes()).build())
            .addModule(new JavaTimeModule()).disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();

    private final PrintWriter out;
    private final PrintWriter err;
    private final DrawbridgeCli.Format format;
    private final boolean quiet;

    Output(PrintWriter out, PrintWriter err, DrawbridgeCli.Format format, boolean quiet) {
        this.out = out;
        this.err = err;
        this.format = format;
        this.quiet = quiet;
    }

    boolean json() {
        return format == DrawbridgeCli.Format.json;
    }

    boolean quiet() {
        return quiet;
    }

    /** An answer of the typed client (a record, a page, a list) as the JSON tree the API sent. */
    static JsonNode tree(Object answer) {
        return answer == null ? NullNode.getInstance() : answer instanceof JsonNode n ? n : JSON.valueToTree(answer);
    }

    /** The items of a page ({@code {"items": [...]}}), an array, or a single object. */
    static List<JsonNode> items(JsonNode answer) {
        JsonNode arr = answer.isArray() ? answer : answer.path("items");
        List<JsonNode> items = new ArrayList<>();
        if (arr.isArray()) {
            arr.forEach(items::add);
        } else if (answer.isObject()) {
            items.add(answer);
        }
        return items;
    }

    /** A list answer (page or array). */
    void list(Object typed, List<Table.Column> columns) {
        list(typed, columns, "id");
    }

    /** A list answer whose items are identified by {@code idField} (what quiet prints). */
    void list(Object typed, List<Table.Column> columns, String idField) {
        JsonNode answer = tree(typed);
        if (json()) {
            pretty(answer);
        } else if (quiet) {
            items(answer).forEach(i -> out.println(i.path(idField).asText()));
        } else {
            out.print(Table.render(columns, items(answer)));
            if (answer.has("total") && answer.path("total").asLong() > items(answer).size()) {
                err.println("(" + items(answer).size() + " of " + answer.path("total").asLong()
                        + " shown; use --limit and --offset for more)");
            }
        }
        out.flush();
    }

    /** One object: "field: value" lines, its JSON, or its id. */
    void item(Object typed) {
        item(typed, "id");
    }

    /** One object identified by {@code idField}: "field: value" lines, its JSON, or that field. */
    void item(Object typed, String idField) {
        JsonNode answer = tree(typed);
        if (json()) {
            pretty(answer);
        } else if (quiet) {
            if (answer.has(idField)) {
                out.println(answer.path(idField).asText());
            }
        } else {
            out.print(Table.keyValues(answer));
        }
        out.flush();
    }

    /** A change done: the sentence in table mode, the answer (if any) as JSON, the id when quiet. */
    void changed(String sentence, Object typed, String id) {
        JsonNode answer = typed == null ? null : tree(typed);
        if (json()) {
            if (answer != null && !answer.isNull() && !answer.isMissingNode()) {
                pretty(answer);
            }
        } else if (quiet) {
            if (id != null) {
                out.println(id);
            }
        } else {
            out.println(sentence);
        }
        out.flush();
    }

    /** A line for people (table mode, not quiet). */
    void note(String line) {
        if (!json() && !quiet) {
            out.println(line);
            out.flush();
        }
    }

    void pretty(Object answer) {
        out.println(prettyJson(answer));
    }

    /** An answer as pretty JSON, escaped by {@link #JSON}. */
    static String prettyJson(Object answer) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(tree(answer));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One JSON value on one line (for --follow in json mode: a stream of objects). */
    void compact(Object answer) {
        try {
            out.println(JSON.writeValueAsString(tree(answer)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    PrintWriter out() {
        return out;
    }
}
