package dev.drawbridge.demo;

import dev.drawbridge.proxy.cli.FrontDoor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * The README's main job in one process: the proxy server on embedded H2, one connector registered
 * in the Default group, and the sample internal app published at https://sample.localhost:PORT/; unless
 * {@code --passthrough}, also the sample app with header-based single sign-on, a wiki with its own login form and a
 * reports app with HTTP Basic signed in by password vaulting ({@link DemoPasswordApps}), when mellon's packages are
 * installed an Apache SAML app with Drawbridge as its identity provider ({@link DemoSaml}) and, when the Kerberos
 * packages are installed, an Apache IWA app signed in by Kerberos constrained delegation ({@link DemoSsoApps}).
 * Runs again on any ports (the stored connector follows the server). A failure to start is one line,
 * "error: " and a sentence saying what to do (exit 1; 2 for a bad option). Ctrl-C stops all three
 * cleanly (connector drains first).
 */
@Command(name = "drawbridge-demo", mixinStandardHelpOptions = true,
        description = "Start a proxy server, a connector and a sample internal app on this machine.")
public final class DemoMain implements Callable<Integer> {
    @Spec
    CommandSpec spec;
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
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (tests run it in-process). */
    static CommandLine commandLine() {
        return FrontDoor.configure(new CommandLine(new DemoMain()), "the demo could not start");
    }

    @Override
    public Integer call() throws Exception {
        Demo demo;
        try {
            demo = Demo.start(new Demo.Settings(dataDir, port, tunnelPort, passthrough), System.out);
        } catch (Demo.Failure e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            spec.commandLine().getErr().flush();
            if (e.getCause() != null) {
                FrontDoor.debug(e.getCause());
            }
            return 1;
        }
        Path ca = dataDir.resolve("server/pki/server-ca.pem").toAbsolutePath();
        System.out.print(banner(demo, ca));
        Process consoleProcess = console ? openConsole(demo, ca) : null;
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (consoleProcess != null) {
                consoleProcess.destroy();
            }
            System.out.println("Stopping: connector (draining), server, sample app, the link translation apps"
                    + (demo.passwords.isPresent() ? ", the wiki and reports backends" : "")
                    + (demo.saml.isPresent() ? ", the SAML app" : "")
                    + (demo.kerberos.isPresent() ? ", the IWA app and its Kerberos realm" : "") + "...");
            try {
                demo.close();
            } catch (Exception e) {
                System.err.println("error while stopping: " + e.getMessage());
            }
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }

    /** The start-up text: what to open, as whom, the single sign-on apps, and the admin credential. */
    static String banner(Demo demo, Path ca) {
        var stack = demo.stack;
        StringBuilder sso = new StringBuilder();
        demo.headerSsoUrl.ifPresent(url -> sso.append("  Header SSO app:    ").append(url)
                .append("  (the sample app gets X-Remote-User, X-Remote-Name, X-Remote-Groups)\n"));
        demo.passwords.ifPresent(p -> sso.append(passwordApps(p)));
        demo.saml.ifPresent(saml -> sso.append("  SAML app:          ").append(saml.whoamiUrl)
                .append("  (Apache with mod_auth_mellon; Drawbridge is its SAML identity provider: REMOTE_USER=")
                .append(demo.user.orElseThrow().upn()).append(", MELLON_displayName, MELLON_groups; also from My Apps)\n"));
        if (demo.user.isPresent() && demo.saml.isEmpty()) {
            sso.append("  SAML app:          not started (see above)\n");
        }
        demo.intranetUrl.ifPresent(url -> sso.append("  Kerberos IWA app:  ").append(url).append("whoami  (/whoami shows REMOTE_USER=")
                .append(demo.kerberos.orElseThrow().userPrincipal).append(": Kerberos constrained delegation)\n"));
        if (demo.user.isPresent() && demo.intranetUrl.isEmpty()) {
            sso.append("  Kerberos IWA app:  not started (see above)\n");
        }
        sso.append("  Link translation:  the sample app's link to Expenses (a second published app, by its internal URL) is translated;")
                .append("\n                     ").append(demo.links.benefitsUrl).append("  (Entra's example: Benefits' hard-coded links to")
                .append(" Expenses and Travel lead to their external URLs, in its scripts too; Feedback is not published)\n");
        return """

                ==================== Drawbridge demo is running ====================
                  Open:              %s
                  %s
                %s  Sample app inside: %s  (reached only through the connector)
                  Admin API:         %s/api/v1/apps
                  Admin credential:  %s
                  Server CA:         %s
                  Connector:         %s (%d tunnels to %s)
                  Try:  curl --cacert %s -H "Authorization: Bearer %s" %s/api/v1/connectors
                  Your browser will warn about the certificate unless it trusts the CA above.
                  Ctrl-C stops everything.
                =====================================================================

                """.formatted(demo.url, demo.user.map(u -> "Sign in as:        " + u.upn() + " / " + u.password() + "   (My Apps: "
                        + stack.externalUrl("login") + "; also a global administrator for the admin console and CLI)")
                        .orElse("Sign-in:           none (--passthrough)"), sso,
                demo.app.baseUri(), stack.adminUrl(), stack.adminToken(), ca, demo.connector.connectorId(),
                demo.connector.connectedTunnels(), demo.connector.tunnelUrl(), ca, stack.adminToken(), stack.adminUrl());
    }

    /** The password-vaulting apps' lines: where, and what the user does and sees. */
    private static String passwordApps(DemoPasswordApps p) {
        return """
                  Forms SSO app:     %s  (a wiki with its own login form: password vaulting)
                                     the first time, after you sign in, My Apps asks for the wiki's own user name and
                                     password: %s / %s; Drawbridge then fills in the wiki's form: "Signed in as %s"
                  Basic SSO app:     %s  (HTTP Basic with the shared account %s the demo set:
                                     "Signed in to the Basic backend as %s"; X-Drawbridge-User still names you)
                """.formatted(p.wikiUrl, DemoPasswordApps.WIKI_USER, p.wikiPassword, DemoPasswordApps.WIKI_USER, p.reportsUrl,
                DemoPasswordApps.REPORTS_ACCOUNT, DemoPasswordApps.REPORTS_ACCOUNT);
    }

    /** Starts bin/drawbridge-console signed in with the demo's admin credential; null when there is no display. */
    private static Process openConsole(Demo demo, Path ca) throws IOException {
        boolean linux = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux");
        if (linux && System.getenv("DISPLAY") == null && System.getenv("WAYLAND_DISPLAY") == null) {
            System.err.println("--console: no display (DISPLAY is unset); open it elsewhere with bin/drawbridge-console --server "
                    + demo.stack.adminUrl() + " --ca-file " + ca);
            return null;
        }
        Path script = Path.of("bin", "drawbridge-console").toAbsolutePath();
        System.out.println("Opening the admin console...");
        // The credential goes through the environment, not the command line other users can read with ps.
        ProcessBuilder pb = new ProcessBuilder(script.toString(), "--server", demo.stack.adminUrl().toString(), "--ca-file", ca.toString())
                .inheritIO();
        pb.environment().put("DRAWBRIDGE_ADMIN_TOKEN", demo.stack.adminToken());
        return pb.start();
    }
}
