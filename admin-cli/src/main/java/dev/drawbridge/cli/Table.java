package dev.drawbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Plain-text tables: a header row, then one row per item, columns left-aligned and separated by
 * two spaces (the last column is not padded). Cells never span lines, and no control character of a cell reaches the
 * terminal (shown as its escape, {@code \u001b}).
 */
final class Table {
    private static final Pattern INSTANT = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");

    /**
     * One column: its header, how to get a cell from an item, and the field whose absence from
     * every row drops an optional column (null: always shown).
     */
    record Column(String header, Function<JsonNode, String> cell, String optionalField) {
        /** A column showing one field of the item. */
        static Column of(String header, String field) {
            return new Column(header, item -> text(item.path(field)), null);
        }

        /** As {@link #of}, shown only if some item has the field (not null). */
        static Column optional(String header, String field) {
            return new Column(header, item -> text(item.path(field)), field);
        }

        /** The first of several fields an item has (for types whose field names vary). */
        static Column firstOf(String header, String... fields) {
            return new Column(header, item -> {
                for (String f : fields) {
                    if (item.hasNonNull(f)) {
                        return text(item.path(f));
                    }
                }
                return "-";
            }, null);
        }

        static Column computed(String header, Function<JsonNode, String> cell) {
            return new Column(header, cell, null);
        }
    }

    private Table() {
    }

    /** The rendered table, each line ending in a newline. */
    static String render(List<Column> columns, List<JsonNode> items) {
        List<Column> shown = columns.stream().filter(c -> c.optionalField() == null
                || items.stream().anyMatch(i -> i.hasNonNull(c.optionalField()))).toList();
        List<List<String>> rows = new ArrayList<>();
        rows.add(shown.stream().map(Column::header).toList());
        for (JsonNode item : items) {
            rows.add(shown.stream().map(c -> oneLine(c.cell().apply(item))).toList());
        }
        return rows(rows);
    }

    /** Aligned rows (the first is usually the header). */
    static String rows(List<List<String>> rows) {
        int n = rows.stream().mapToInt(List::size).max().orElse(0);
        int[] width = new int[n];
        for (List<String> r : rows) {
            for (int i = 0; i < r.size(); i++) {
                width[i] = Math.max(width[i], r.get(i).codePointCount(0, r.get(i).length()));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (List<String> r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.size(); i++) {
                String cell = r.get(i);
                line.append(cell);
                if (i < r.size() - 1) {
                    line.append(" ".repeat(width[i] - cell.codePointCount(0, cell.length()) + 2));
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    /** An object as "field: value" lines, nested objects flattened to dotted names. */
    static String keyValues(JsonNode object) {
        List<Map.Entry<String, String>> pairs = new ArrayList<>();
        flatten("", object, pairs);
        int w = pairs.stream().mapToInt(p -> p.getKey().length()).max().orElse(0) + 1;
        StringBuilder sb = new StringBuilder();
        for (var p : pairs) {
            sb.append(p.getKey()).append(':').append(" ".repeat(w - p.getKey().length() + 1)).append(oneLine(p.getValue()))
                    .append('\n');
        }
        return sb.toString();
    }

    private static void flatten(String prefix, JsonNode node, List<Map.Entry<String, String>> out) {
        if (!node.isObject()) {
            out.add(Map.entry(prefix.isEmpty() ? "value" : prefix, text(node)));
            return;
        }
        for (var it = node.properties().iterator(); it.hasNext(); ) {
            var e = it.next();
            String key = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue().isObject() && !e.getValue().isEmpty()) {
                flatten(key, e.getValue(), out);
            } else {
                out.add(Map.entry(key, text(e.getValue())));
            }
        }
    }

    /** A JSON value as a cell: "-" for none, yes/no, lists joined, instants to the second. */
    static String text(JsonNode v) {
        if (v == null || v.isMissingNode() || v.isNull()) {
            return "-";
        }
        if (v.isBoolean()) {
            return v.booleanValue() ? "yes" : "no";
        }
        if (v.isArray()) {
            return v.isEmpty() ? "-" : StreamSupport.stream(v.spliterator(), false).map(Table::text)
                    .collect(Collectors.joining(","));
        }
        if (v.isObject()) {
            return v.toString();
        }
        String s = v.asText();
        if (INSTANT.matcher(s).matches()) {
            try {
                return Instant.parse(s).truncatedTo(ChronoUnit.SECONDS).toString();
            } catch (DateTimeParseException e) {
                return s;
            }
        }
        return s;
    }

    /** A cell on one line, nothing in it a terminal would take as a control ({@link TerminalText#oneLine}). */
    private static String oneLine(String s) {
        return TerminalText.oneLine(s);
    }
}
