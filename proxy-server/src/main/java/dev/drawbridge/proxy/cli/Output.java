package dev.drawbridge.proxy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.proxy.web.Json;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * How a command's result is printed: {@code table} (aligned columns for lists, "field: value" for
 * one item, a sentence for changes), {@code json} (the API's JSON, pretty, nothing else on
 * stdout) or quiet (ids only). Errors are not printed here.
 */
final class Output {
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
    void list(JsonNode answer, List<Table.Column> columns) {
        if (json()) {
            pretty(answer);
        } else if (quiet) {
            items(answer).forEach(i -> out.println(i.path("id").asText()));
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
    void item(JsonNode answer) {
        if (json()) {
            pretty(answer);
        } else if (quiet) {
            if (answer.has("id")) {
                out.println(answer.path("id").asText());
            }
        } else {
            out.print(Table.keyValues(answer));
        }
        out.flush();
    }

    /** A change done: the sentence in table mode, the answer (if any) as JSON, the id when quiet. */
    void changed(String sentence, JsonNode answer, String id) {
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

    void pretty(JsonNode node) {
        try {
            out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One JSON value on one line (for --follow in json mode: a stream of objects). */
    void compact(JsonNode node) {
        out.println(node.toString());
        out.flush();
    }

    PrintWriter out() {
        return out;
    }
}
