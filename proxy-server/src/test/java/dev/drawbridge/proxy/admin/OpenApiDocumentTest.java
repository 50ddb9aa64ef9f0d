package dev.drawbridge.proxy.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.proxy.web.Json;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API's OpenAPI document is a contract with every client that generated code from it: it must stay what it
 * was. {@code admin/openapi-v1.json} was captured from the server before the admin API was restructured (route table
 * with handlers, wire types in shared-model); the generated document must equal it, key order aside. A deliberate
 * change to the API updates the file in the same commit, so the change shows in review.
 */
class OpenApiDocumentTest {
    static final String ADMIN_URL = "https://admin.drawbridge.test:8443";

    @Test
    void theDocumentIsTheOnePublishedBefore() throws Exception {
        JsonNode expected;
        try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("/admin/openapi-v1.json")) {
            expected = Json.MAPPER.readTree(in);
        }
        JsonNode actual = Json.MAPPER.valueToTree(OpenApi.document(ADMIN_URL));
        List<String> differences = new ArrayList<>();
        diff("", expected, actual, differences);
        assertThat(differences).as("differences from admin/openapi-v1.json (a deliberate change updates the file: the document"
                + " written by Json.MAPPER with ORDER_MAP_ENTRIES_BY_KEYS and INDENT_OUTPUT)").isEmpty();
        assertThat(actual).isEqualTo(expected);
    }

    /** Clients and documentation tools list operations in document order: it stays the order of before. */
    @Test
    void operationsKeepTheirOrder() throws Exception {
        List<String> expected;
        try (InputStream in = OpenApiDocumentTest.class.getResourceAsStream("/admin/operations-v1.txt")) {
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
        List<String> actual = new ArrayList<>();
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> paths = (Map<String, Map<String, Object>>) OpenApi.document(ADMIN_URL).get("paths");
        paths.forEach((path, item) -> item.keySet().forEach(method -> actual.add(method.toUpperCase(Locale.ROOT) + " " + path)));
        assertThat(actual).containsExactlyElementsOf(expected.stream().sorted(byPath(expected)).toList());
    }

    /** The document groups operations by path (first appearance), keeping the table's order within and across paths. */
    private static Comparator<String> byPath(List<String> table) {
        List<String> pathOrder = table.stream().map(l -> l.substring(l.indexOf(' ') + 1)).distinct().toList();
        return Comparator.comparingInt(l -> pathOrder.indexOf(l.substring(l.indexOf(' ') + 1)));
    }

    /** Every place where the two trees differ, as JSON pointers, so a failure says what changed. */
    private static void diff(String at, JsonNode expected, JsonNode actual, List<String> out) {
        if (expected.isObject() && actual.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String path = at + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
                if (!actual.has(e.getKey())) {
                    out.add(path + " is gone");
                } else {
                    diff(path, e.getValue(), actual.get(e.getKey()), out);
                }
            }
            for (Iterator<String> it = actual.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!expected.has(name)) {
                    out.add(at + "/" + name.replace("~", "~0").replace("/", "~1") + " is new: " + actual.get(name));
                }
            }
        } else if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            for (int i = 0; i < expected.size(); i++) {
                diff(at + "/" + i, expected.get(i), actual.get(i), out);
            }
        } else if (!expected.equals(actual)) {
            out.add(at + " was " + expected + ", is " + actual);
        }
    }
}
