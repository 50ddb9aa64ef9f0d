package dev.drawbridge.console.logs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CsvTest {
    @Test
    void quotesWhatNeedsQuotingAndDefusesFormulas(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("out.csv");
        Csv.write(f, List.of("a", "b", "c"), List.of(Arrays.asList("x,y", "say \"hi\"", null), List.of("=SUM(A1)", "line\nbreak", 3)));
        assertThat(Files.readString(f)).isEqualTo("a,b,c\r\n\"x,y\",\"say \"\"hi\"\"\",\r\n'=SUM(A1),\"line\nbreak\",3\r\n");
    }
}
