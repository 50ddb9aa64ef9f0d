package dev.drawbridge.proxy.operations;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/operations.md documents every server metric: its "Server metrics" table lists exactly the meters of
 * {@link ProxyMeter}, each with its Prometheus name, type and labels.
 */
class OperationsDocTest {
    /** One row of a metrics table: name, type, labels. */
    record Row(String name, String type, List<String> labels) {
    }

    /** The rows of the table under {@code heading} in docs/operations.md (the module's parent is the project). */
    static List<Row> table(String heading) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "docs", "operations.md"));
        int start = lines.indexOf(heading);
        assertThat(start).as("docs/operations.md has a section '" + heading + "'").isNotNegative();
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("#")) {
                break;
            }
            if (line.startsWith("| `")) {
                String[] cells = line.split("\\|");
                List<String> labels = Arrays.stream(cells[3].split(",")).map(l -> l.strip().replace("`", "")).filter(l -> !l.isEmpty())
                        .toList();
                rows.add(new Row(cells[1].strip().replace("`", ""), cells[2].strip(), labels));
            }
        }
        return rows;
    }

    @Test
    void theServerMetricsTableIsTheCatalogue() throws IOException {
        List<Row> documented = table("### Server metrics");
        List<Row> registered = Arrays.stream(ProxyMeter.values())
                .map(m -> new Row(m.prometheusName(), m.kind().prometheus(), m.labels())).toList();
        assertThat(documented).containsExactlyInAnyOrderElementsOf(registered);
    }
}
