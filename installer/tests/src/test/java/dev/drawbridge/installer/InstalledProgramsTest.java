package dev.drawbridge.installer;

import dev.drawbridge.adminclient.Connectors;
import dev.drawbridge.adminclient.HttpAdminApi;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.ConnectorView;
import dev.drawbridge.model.api.RegistrationTokenRequest;
import dev.drawbridge.model.api.RegistrationTokenView;
import dev.drawbridge.model.update.UpdateBundle;
import dev.drawbridge.model.update.UpdateState;
import dev.drawbridge.testsupport.time.Await;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The programs as the packages install them, run from a scratch root ({@code dpkg -x}) with their jlinked runtimes:
 * {@code --version} of each; then the installed server started with the package's settings file (data, ports and
 * address moved by DRAWBRIDGE_* variables, which win over the file), the admin API asked for a registration token, the
 * install command it returns run as it is with the installed connector (its state folder moved by
 * DRAWBRIDGE_CONNECTOR_STATE_DIR), and the installed connector's {@code run} seen connected by the server; then an update
 * bundle of a higher version, made of the package's own jars, uploaded through the admin API, which the installed
 * connector (auto-update on, as the package's settings have it) installs and restarts into by itself.
 */
class InstalledProgramsTest {
    private static final Pattern ADMIN_URL = Pattern.compile("Admin API: (https://\\S+)/api/v1/");
    private static final Pattern CREDENTIAL = Pattern.compile("Admin credential \\(shown once, keep it safe\\): (\\S+)");

    @TempDir
    static Path dir;
    static Path root;

    @BeforeAll
    static void install() throws Exception {
        Packages.assumeTool("dpkg-deb", "dpkg");
        root = Files.createDirectories(dir.resolve("root"));
        for (String program : List.of("connector", "server", "console")) {
            Packages.run(List.of("dpkg-deb", "-x", Packages.deb(program).toString(), root.toString())).ok();
        }
    }

    private static String launcher(String program) {
        return root.resolve("opt/drawbridge-" + program + "/bin/drawbridge-" + program).toString();
    }

    @Test
    void everyInstalledProgramPrintsTheBuildsVersion() throws Exception {
        for (String program : List.of("server", "connector", "console")) {
            Packages.Result r = Packages.run(List.of(launcher(program), "--version"), Map.of(), Duration.ofMinutes(1)).ok();
            assertThat(r.out().strip()).isEqualTo("drawbridge-" + program + " " + Packages.VERSION);
        }
    }

    @Test
    void theInstalledConnectorRegistersWithTheInstallCommandConnectsToTheInstalledServerAndUpdatesItself() throws Exception {
        Path data = dir.resolve("server-data"), log = dir.resolve("server.log"), state = dir.resolve("connector-state");
        Map<String, String> serverEnv = Map.of("DRAWBRIDGE_DATA_DIR", data.toString(), "DRAWBRIDGE_PORT", "0", "DRAWBRIDGE_TUNNEL_PORT", "0",
                "DRAWBRIDGE_BIND", "127.0.0.1");
        ProcessBuilder sb = new ProcessBuilder(launcher("server"), "serve", "--config", root.resolve("etc/drawbridge/server.yaml").toString())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        sb.environment().putAll(serverEnv);
        Process server = sb.start();
        Process connector = null;
        try {
            Await.until("the installed server prints its admin URL", Duration.ofSeconds(90),
                    () -> !server.isAlive() || ADMIN_URL.matcher(read(log)).find());
            assertThat(server.isAlive()).as("the server runs; its output: %s", read(log)).isTrue();
            URI admin = URI.create(find(ADMIN_URL, read(log)));
            String credential = find(CREDENTIAL, read(log));
            try (HttpAdminApi api = HttpAdminApi.to(admin).trust(trust(data.resolve("pki/server-ca.pem"))).token(() -> credential)
                    .timeout(Duration.ofSeconds(30)).build()) {
                RegistrationTokenView token = api.connectors().createRegistrationToken(new RegistrationTokenRequest(null, 10));
                // The command the console and the CLI show, as given: it asks for the token, which is not in it (a command
                // line is visible to every user of the machine); here it comes on standard input, as a paste would.
                List<String> install = new ArrayList<>(Arrays.asList(token.installCommand().split(" ")));
                assertThat(install.getFirst()).isEqualTo("drawbridge-connector");
                assertThat(install).doesNotContain(token.token()).endsWith("--token", "-");
                install.set(0, launcher("connector"));
                Map<String, String> connectorEnv = new HashMap<>(Map.of(
                        "DRAWBRIDGE_CONNECTOR_CONFIG", root.resolve("etc/drawbridge-connector/connector.yaml").toString(),
                        "DRAWBRIDGE_CONNECTOR_STATE_DIR", state.toString(),
                        // Asks for its turn every second instead of every 5 minutes (the environment wins over the file).
                        "DRAWBRIDGE_CONNECTOR_UPDATE_CHECK", "1s"));
                Packages.Result registered = Packages.run(install, connectorEnv, Duration.ofMinutes(2), token.token() + "\n");
                assertThat(registered.exit()).as(registered.err()).isZero();
                assertThat(registered.out()).contains("Registered connector", "Start it with: drawbridge-connector run")
                        .doesNotContain("--state-dir");
                assertThat(state.resolve("connector.properties")).exists();

                ProcessBuilder cb = new ProcessBuilder(launcher("connector"), "run").redirectErrorStream(true)
                        .redirectOutput(dir.resolve("connector.log").toFile());
                cb.environment().putAll(connectorEnv);
                connector = cb.start();
                Process running = connector;
                Await.until("the installed connector is connected", Duration.ofSeconds(90), () -> !running.isAlive() || connected(api));
                assertThat(running.isAlive()).as("the connector runs; its output: %s", read(dir.resolve("connector.log"))).isTrue();
                ConnectorView view = api.connectors().list(Paging.DEFAULT, Connectors.Filter.NONE).items().getFirst();
                assertThat(view.version()).isEqualTo(Packages.VERSION);
                assertThat(view.status()).isEqualTo(ConnectorStatus.ACTIVE);
                // The package's settings turn auto-update on: 'run' supervises the connector, a child JVM of the package's
                // own runtime (whose bin/java jpackage would otherwise strip).
                assertThat(running.children().map(c -> c.info().command().orElse("")).toList()).as("the supervised connector")
                        .singleElement().satisfies(c -> assertThat(c).endsWith("/opt/drawbridge-connector/lib/runtime/bin/java"));

                // A higher version, made of the package's jars, uploaded as an administrator does: the installed connector
                // takes its turn, installs it, restarts into it and reports it with its tunnels up.
                String next = higher(Packages.VERSION);
                api.connectorUpdates().upload(bundle(next));
                // The new version reports itself (and confirms its health) before the supervisor, which polls for that
                // confirmation, makes it the current version: wait for both.
                Await.until("the installed connector reports " + next + ", updated", Duration.ofSeconds(90),
                        () -> !running.isAlive() || updatedTo(api, next) && Files.exists(state.resolve("updates/current")));
                assertThat(running.isAlive()).as("the supervisor runs; its output: %s", read(dir.resolve("connector.log"))).isTrue();
                ConnectorView updated = api.connectors().list(Paging.DEFAULT, Connectors.Filter.NONE).items().getFirst();
                assertThat(updated.status()).isEqualTo(ConnectorStatus.ACTIVE);
                assertThat(updated.updateError()).isNullOrEmpty();
                Properties current = new Properties();
                try (var in = Files.newBufferedReader(state.resolve("updates/current"))) {
                    current.load(in);
                }
                assertThat(current).containsEntry("version", next).containsEntry("installed", Packages.VERSION);
                assertThat(state.resolve("updates/versions/" + next + "/jars.list")).isRegularFile();
                assertThat(running.children().map(c -> c.info().commandLine().orElse("")).toList()).as("the supervised connector")
                        .singleElement().satisfies(c -> assertThat(c).contains("/opt/drawbridge-connector/lib/runtime/bin/java ",
                                "/updates/versions/" + next + "/"));
            }
        } finally {
            if (connector != null) {
                connector.destroy();
                connector.waitFor();
            }
            server.destroy();
            server.waitFor();
        }
    }

    /** {@code version} with its patch number raised by one (and no pre-release): a higher version. */
    private static String higher(String version) {
        Matcher m = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)").matcher(version);
        assertThat(m.lookingAt()).as(version).isTrue();
        return m.group(1) + "." + m.group(2) + "." + (Integer.parseInt(m.group(3)) + 1);
    }

    /**
     * An update bundle of {@code version} made of the installed package's jars, in its launcher's class-path order, after
     * a first jar that says which version they are (as a build of that version would).
     */
    private static Path bundle(String version) throws IOException {
        Path app = root.resolve("opt/drawbridge-connector/lib/app");
        Path versionJar = dir.resolve("0-version-" + version + ".jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(versionJar))) {
            out.putNextEntry(new JarEntry("dev/drawbridge/model/version.properties"));
            out.write(("version=" + version + "\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        List<Path> jars = new ArrayList<>(List.of(versionJar));
        Files.readAllLines(app.resolve("drawbridge-connector.cfg")).stream().filter(l -> l.startsWith("app.classpath=$APPDIR/"))
                .map(l -> app.resolve(l.substring("app.classpath=$APPDIR/".length()))).forEach(jars::add);
        Path bundle = dir.resolve("drawbridge-connector-update-" + version + ".zip");
        UpdateBundle.write(bundle, version, "dev.drawbridge.connector.cli.ConnectorCli", Runtime.version().feature(), jars);
        return bundle;
    }

    private static boolean updatedTo(HttpAdminApi api, String version) {
        try {
            return api.connectors().list(Paging.DEFAULT, Connectors.Filter.NONE).items().stream()
                    .anyMatch(c -> c.version().equals(version) && c.updateState() == UpdateState.IDLE && c.tunnels() > 0);
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean connected(HttpAdminApi api) {
        try {
            return api.connectors().list(Paging.DEFAULT, Connectors.Filter.NONE).items().stream().anyMatch(c -> c.tunnels() > 0);
        } catch (Exception e) {
            return false;
        }
    }

    private static KeyStore trust(Path pem) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("server-ca", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem))));
        return ks;
    }

    private static String find(Pattern p, String text) {
        Matcher m = p.matcher(text);
        assertThat(m.find()).as("%s in %s", p, text).isTrue();
        return m.group(1);
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
