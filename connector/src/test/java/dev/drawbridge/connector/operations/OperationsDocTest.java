package dev.drawbridge.connector.operations;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/operations.md documents every connector metric: its "Connector metrics" table lists exactly the meters of
 * {@link ConnectorMeter}, each with its Prometheus name, type and labels.
 */
class OperationsDocTest {
    record Row(String name, String type, List<String> labels) {
    }

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
    void theConnectorMetricsTableIsTheCatalogue() throws IOException {
        List<Row> registered = Arrays.stream(ConnectorMeter.values())
                .map(m -> new Row(m.prometheusName(), m.kind().prometheus(), m.labels())).toList();
        assertThat(table("### Connector metrics")).containsExactlyInAnyOrderElementsOf(registered);
    }
}
