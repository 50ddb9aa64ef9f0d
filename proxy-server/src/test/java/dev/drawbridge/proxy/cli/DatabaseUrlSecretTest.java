package dev.drawbridge.proxy.cli;

import dev.drawbridge.cliconfig.OptionDefaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code database-url} the PostgreSQL driver cannot parse (a port that is not a number, a password with a bare
 * {@code %}) holds the database password: the server refuses it with a sentence naming the setting and what to check,
 * never repeating the URL, whether it came from the command line, the environment or the settings file (whose failures
 * go to the journal, which more users read than the 0640 file).
 */
class DatabaseUrlSecretTest {
    static final String PASSWORD = "s3cretPW";

    @TempDir
    Path tmp;

    record Run(int exit, String out, String err) {
    }

    Run serve(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = ServerCli.commandLine(new OptionDefaults(ServerCli.ENV_PREFIX, env, Optional.empty()));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String[] all = new String[args.length + 7];
        System.arraycopy(new String[]{"serve", "--data-dir", tmp.resolve("d").toString(), "--bind", "127.0.0.1", "--port", "0"}, 0, all, 0, 7);
        System.arraycopy(args, 0, all, 7, args.length);
        String[] withTunnel = new String[all.length + 2];
        System.arraycopy(all, 0, withTunnel, 0, all.length);
        withTunnel[all.length] = "--tunnel-port";
        withTunnel[all.length + 1] = "0";
        return new Run(cl.execute(withTunnel), out.toString(), err.toString());
    }

    static void assertRefusedWithoutTheUrl(Run r, String option) {
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines().toList()).as(r.err()).hasSize(1);
        assertThat(r.err()).startsWith("error: ").contains(option).contains("percent-encode")
                .doesNotContain(PASSWORD).doesNotContain("db.internal");
        assertThat(r.out()).doesNotContain(PASSWORD);
    }

    @ParameterizedTest
    @ValueSource(strings = {"jdbc:postgresql://db.internal:54x2/drawbridge?user=drawbridge&password=" + PASSWORD,
            "jdbc:postgresql://db.internal:5432/drawbridge?user=drawbridge&password=" + PASSWORD + "%zz"})
    void anUnparsableUrlIsRefusedWithoutRepeatingIt(String url) {
        assertRefusedWithoutTheUrl(serve(Map.of(), "--database-url", url), "--database-url");
    }

    @Test
    void fromTheSettingsFileOrTheEnvironmentToo() throws Exception {
        String url = "jdbc:postgresql://db.internal:54x2/drawbridge?user=drawbridge&password=" + PASSWORD;
        Path file = Files.writeString(tmp.resolve("server.yaml"), "database-url: " + url + "\n");
        assertRefusedWithoutTheUrl(serve(Map.of(), "--config", file.toString()), "database-url");
        assertRefusedWithoutTheUrl(serve(Map.of("DRAWBRIDGE_DATABASE_URL", url)), "DRAWBRIDGE_DATABASE_URL");
    }
}
