package dev.drawbridge.testsupport.demo;

import dev.drawbridge.connector.Connector;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.pki.SecretFiles;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The README's main job in one process: the proxy server on embedded H2, one connector registered
 * in the Default group, and the sample internal app published at https://sample.localhost:PORT/.
 * Ctrl-C stops all three cleanly (connector drains first).
 */
@Command(name = "drawbridge-demo", mixinStandardHelpOptions = true,
        description = "Start a proxy server, a connector and a sample internal app on this machine.")
public final class DemoMain implements Callable<Integer> {
    @Option(names = "--data-dir", description = "Demo data (default: ${DEFAULT-VALUE})")
    Path dataDir = Path.of("drawbridge-demo-data");
    @Option(names = "--port", description = "Public HTTPS port (default: ${DEFAULT-VALUE})")
    int port = 8443;
    @Option(names = "--tunnel-port", description = "Tunnel port (default: ${DEFAULT-VALUE})")
    int tunnelPort = 8444;
    @Option(names = "--passthrough", description = "Publish the sample app without sign-in (for benchmarks)")
    boolean passthrough;
    @Option(names = "--console", description = "Also open the admin console (JavaFX), signed in to the demo server")
    boolean console;

    public static void main(String[] args) {
        System.exit(new CommandLine(new DemoMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Files.createDirectories(dataDir);
        // Demo only: the admin credential is kept in the demo's data directory so a re-run can show it again.
        Path tokenFile = dataDir.resolve("demo-admin-token.txt");
        Optional<String> known = Files.exists(tokenFile) ? Optional.of(Files.readString(tokenFile).strip()) : Optional.empty();
        SampleApp app = SampleApp.start("127.0.0.1", 0);
        DrawbridgeStack stack;
        try {
            stack = DrawbridgeStack.start(new DrawbridgeStack.Options(dataDir.resolve("server"), "127.0.0.1", port, tunnelPort,
                    Duration.ofSeconds(10), known, java.time.Clock.systemUTC(), ServerConfig.BackendTimeouts.STANDARD,
                    ServerConfig.Throttling.DEFAULTS, ServerConfig.Proxies.NONE));
        } catch (java.io.IOException e) {
            app.close();
            System.err.println("error: cannot start the server: " + e.getMessage()
                    + "\n       (is another process using port " + port + " or " + tunnelPort + "? use --port / --tunnel-port)");
            return 1;
        }
        SecretFiles.write(tokenFile, stack.adminToken());
        String url = stack.publish("Sample app", "sample", app.baseUri(),
                passthrough ? PreAuthentication.PASSTHROUGH : PreAuthentication.DIRECTORY);
        DemoUser user = passthrough ? null : DemoUser.ensure(stack, dataDir, url);
        Connector connector = stack.startConnector(dataDir.resolve("connector"), 2);
        Path ca = dataDir.resolve("server/pki/server-ca.pem").toAbsolutePath();
        System.out.printf("""

                ==================== Drawbridge demo is running ====================
                  Open:              %s
                  %s
                  Sample app inside: %s  (reached only through the connector)
                  Admin API:         %s/api/v1/apps
                  Admin credential:  %s
                  Server CA:         %s
                  Connector:         %s (%d tunnels)
                  Try:  curl --cacert %s -H "Authorization: Bearer %s" %s/api/v1/connectors
                  Your browser will warn about the certificate unless it trusts the CA above.
                  Ctrl-C stops everything.
                =====================================================================
                %n""", url, user == null ? "Sign-in:           none (--passthrough)"
                        : "Sign in as:        " + user.upn() + " / " + user.password() + "   (My Apps: " + stack.externalUrl("login")
                        + "; also a global administrator for the admin console and CLI)",
                app.baseUri(), stack.adminUrl(), stack.adminToken(), ca, connector.connectorId(),
                connector.connectedTunnels(), ca, stack.adminToken(), stack.adminUrl());
        Process consoleProcess = console ? openConsole(stack, ca) : null;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (consoleProcess != null) {
                consoleProcess.destroy();
            }
            System.out.println("Stopping: connector (draining), server, sample app...");
            try {
                stack.close();
                app.close();
            } catch (Exception e) {
                System.err.println("error while stopping: " + e.getMessage());
            }
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    /** Starts bin/drawbridge-console signed in with the demo's admin credential; null when there is no display. */
    private static Process openConsole(DrawbridgeStack stack, Path ca) throws java.io.IOException {
        boolean linux = System.getProperty("os.name").toLowerCase(java.util.Locale.ROOT).contains("linux");
        if (linux && System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null) {
            System.err.println("--console: no display (DISPLAY is unset); open it elsewhere with bin/drawbridge-console --server "
                    + stack.adminUrl() + " --ca-file " + ca);
            return null;
        }
        Path script = Path.of("bin", "drawbridge-console").toAbsolutePath();
        System.out.println("Opening the admin console...");
        // The credential goes through the environment, not the command line other users can read with ps.
        ProcessBuilder pb = new ProcessBuilder(script.toString(), "--server", stack.adminUrl().toString(), "--ca-file", ca.toString())
                .inheritIO();
        pb.environment().put("DRAWBRIDGE_ADMIN_TOKEN", stack.adminToken());
        return pb.start();
    }
}
