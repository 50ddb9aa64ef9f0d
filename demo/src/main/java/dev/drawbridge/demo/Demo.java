package dev.drawbridge.demo;

import dev.drawbridge.connector.Connector;
import dev.drawbridge.connector.identity.EndpointLookup;
import dev.drawbridge.connector.tunnel.ConnectorRefusedException;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.cli.StartupFailures;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.store.SecretFiles;
import dev.drawbridge.testsupport.process.DebianPackages;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * The demo's parts, started and stopped together: the sample app on a random loopback port, the proxy server on
 * the demo's data directory and the ports asked for (whatever ports earlier runs used), the sample app published,
 * unless in passthrough mode its single sign-on apps ({@link DemoSsoApps}: the sample app with header SSO, a wiki with
 * its own login form and a reports app with HTTP Basic, both by password vaulting ({@link DemoPasswordApps}), an Apache
 * SAML app with mod_auth_mellon when its packages are installed ({@link DemoSaml}), and an Apache IWA app with Kerberos
 * SSO when the Kerberos packages are installed, {@link DemoKerberos}), Entra's link translation example
 * ({@link DemoLinkTranslation}), the demo user,
 * and one connector. A connector stored by an earlier run follows the server to its current ports;
 * one the server no longer knows (removed after 10 days offline, revoked, or registered with a server whose data
 * was deleted) is registered again. Every failure is a {@link Failure} whose message is one sentence saying what to do.
 */
final class Demo implements AutoCloseable {
    /**
     * What the demo is asked for.
     *
     * @param kerberosNeeds what the Kerberos IWA app needs installed (tests name a missing file to see the demo without it)
     * @param samlNeeds     what the SAML app needs installed (likewise)
     */
    record Settings(Path dataDir, int port, int tunnelPort, boolean passthrough, List<DebianPackages.Need> kerberosNeeds,
                    List<DebianPackages.Need> samlNeeds) {
        Settings {
            kerberosNeeds = List.copyOf(kerberosNeeds);
            samlNeeds = List.copyOf(samlNeeds);
        }

        Settings(Path dataDir, int port, int tunnelPort, boolean passthrough) {
            this(dataDir, port, tunnelPort, passthrough, DemoKerberos.NEEDS, DemoSaml.NEEDS);
        }
    }

    /** A failure to start, its message one sentence saying what to do. */
    static final class Failure extends Exception {
        Failure(String sentence, Throwable cause) {
            super(sentence, cause);
        }
    }

    /** How long the demo waits for its connector to take the Kerberos settings. */
    private static final Duration KERBEROS_READY = Duration.ofSeconds(15);
    private static final StartupFailures.Options OPTIONS = StartupFailures.Options.of("--data-dir", "--port", "--tunnel-port",
            "(the demo binds 127.0.0.1)", "(the demo uses H2)", "(the demo's domain is localhost)");

    final SampleApp app;
    final DrawbridgeStack stack;
    final String url;
    final Optional<DemoUser> user;
    final Connector connector;
    /** The sample app with header-based SSO (not in passthrough mode). */
    final Optional<String> headerSsoUrl;
    /** The Kerberos IWA app (not in passthrough mode, and only with the Kerberos packages). */
    final Optional<String> intranetUrl;
    final Optional<DemoKerberos> kerberos;
    /** The password-vaulting apps (not in passthrough mode). */
    final Optional<DemoPasswordApps> passwords;
    /** The SAML app (not in passthrough mode, and only with mellon's packages). */
    final Optional<DemoSaml> saml;
    /** The link translation example: Benefits, Expenses and Travel published, Feedback not. */
    final DemoLinkTranslation links;

    private Demo(SampleApp app, DrawbridgeStack stack, String url, Optional<DemoUser> user, Connector connector,
                 Optional<String> headerSsoUrl, Optional<String> intranetUrl, Optional<DemoKerberos> kerberos,
                 Optional<DemoPasswordApps> passwords, Optional<DemoSaml> saml, DemoLinkTranslation links) {
        this.links = links;
        this.app = app;
        this.stack = stack;
        this.url = url;
        this.user = user;
        this.connector = connector;
        this.headerSsoUrl = headerSsoUrl;
        this.intranetUrl = intranetUrl;
        this.kerberos = kerberos;
        this.passwords = passwords;
        this.saml = saml;
    }

    static Demo start(Settings s, PrintStream notes) throws Failure {
        Path serverDir = s.dataDir().resolve("server");
        try {
            // The admin credential and the demo user's password are kept here: owner-only, like the server's own data.
            SecretFiles.directory(s.dataDir());
        } catch (IOException e) {
            throw new Failure(StartupFailures.explain(e, ServerConfig.defaults(s.dataDir()), OPTIONS), e);
        }
        Path tokenFile = s.dataDir().resolve("demo-admin-token.txt");
        SampleApp app;
        try {
            app = SampleApp.start("127.0.0.1", 0);
        } catch (Exception e) {
            throw new Failure(StartupFailures.unexpected("the sample app could not start", e), e);
        }
        DrawbridgeStack stack;
        try {
            Optional<String> known = Files.exists(tokenFile) ? Optional.of(Files.readString(tokenFile).strip()) : Optional.empty();
            if (known.isEmpty() && Files.deleteIfExists(ServerKeys.adminTokenFile(serverDir))) {
                // Demo data only: a credential nobody can show again is replaced by a new one.
                notes.println("The demo's admin credential was lost (" + tokenFile + " is missing): making a new one.");
            }
            stack = DrawbridgeStack.start(new DrawbridgeStack.Options(serverDir, "127.0.0.1", s.port(), s.tunnelPort(),
                    Duration.ofSeconds(10), known, Clock.systemUTC(), ServerConfig.BackendTimeouts.STANDARD,
                    ServerConfig.Throttling.DEFAULTS, ServerConfig.Proxies.NONE));
            SecretFiles.write(tokenFile, stack.adminToken());
        } catch (Exception e) {
            closeQuietly(app);
            throw new Failure(StartupFailures.explain(e, ServerConfig.defaults(serverDir), OPTIONS), e);
        }
        Optional<DemoKerberos> kerberos = Optional.empty();
        Optional<DemoPasswordApps> passwords = Optional.empty();
        Optional<DemoSaml> saml = Optional.empty();
        CompletableFuture<Optional<DemoSaml>> samlStarting = CompletableFuture.completedFuture(Optional.empty());
        Optional<DemoLinkTranslation> links = Optional.empty();
        try {
            String url = stack.publish("Sample app", "sample", app.baseUri(),
                    s.passthrough() ? PreAuthentication.PASSTHROUGH : PreAuthentication.DIRECTORY);
            links = Optional.of(DemoLinkTranslation.start(stack, app, "Sample app"));
            Optional<String> headerSso = Optional.empty();
            Optional<String> intranet = Optional.empty();
            Optional<DemoUser> user = Optional.empty();
            if (!s.passthrough()) {
                // Mellon makes its key (seconds of CPU, on a first run) and starts while the other apps start.
                samlStarting = DemoSaml.startInBackground(stack, s.dataDir(), s.samlNeeds(), notes);
                headerSso = Optional.of(DemoSsoApps.headers(stack, app.baseUri()));
                passwords = Optional.of(DemoPasswordApps.start(stack, s.dataDir(), notes));
                kerberos = DemoKerberos.start(s.kerberosNeeds(), DemoUser.kerberosName(), notes);
                if (kerberos.isPresent()) {
                    intranet = Optional.of(DemoSsoApps.kerberos(stack, kerberos.get()));
                }
                saml = DemoSaml.await(samlStarting);
                Optional<String> samlUrl = saml.map(x -> stack.externalUrl(DemoSaml.LABEL));
                List<String> appUrls = Stream.of(Optional.of(url), headerSso, Optional.of(passwords.get().wikiUrl),
                        Optional.of(passwords.get().reportsUrl), samlUrl, intranet).flatMap(Optional::stream).toList();
                user = Optional.of(DemoUser.ensure(stack, s.dataDir(), appUrls));
            }
            Connector connector = connector(stack, s.dataDir().resolve("connector"), notes);
            if (kerberos.isPresent()) {
                awaitKerberos(connector, notes);
            }
            return new Demo(app, stack, url, user, connector, headerSso, intranet, kerberos, passwords, saml, links.orElseThrow());
        } catch (Exception e) {
            DemoSaml.stopQuietly(samlStarting);
            closeQuietly(stack);
            closeQuietly(app);
            passwords.ifPresent(Demo::closeQuietly);
            links.ifPresent(Demo::closeQuietly);
            if (kerberos.isPresent()) {
                closeQuietly(kerberos.get());
            }
            throw e instanceof Failure f ? f : new Failure(StartupFailures.unexpected("the demo could not start", e), e);
        }
    }

    /** The demo's connector: the stored one, following the server to its current ports, or a new registration. */
    private static Connector connector(DrawbridgeStack stack, Path dir, PrintStream notes) throws Exception {
        try {
            return stack.startConnector(dir, 2);
        } catch (ConnectorRefusedException | EndpointLookup.LookupException e) {
            if (e instanceof EndpointLookup.LookupException l && l.failure() != EndpointLookup.Failure.UNTRUSTED) {
                throw new Failure("the demo's connector cannot ask the server for its tunnel (" + e.getMessage() + "): run the demo again", e);
            }
            notes.println("The connector stored in " + dir + " is unknown to this server (" + (e instanceof ConnectorRefusedException
                    ? "removed after 10 days offline, or revoked" : "registered with a server whose data was deleted") + "): registering a new one.");
            deleteTree(dir);
            return stack.startConnector(dir, 2);
        } catch (IOException e) {
            throw new Failure("the demo's connector could not connect to the server (" + e.getMessage() + "): run the demo again, "
                    + "or delete " + dir + " to register a new connector", e);
        }
    }

    /** Waits (a little) for the connector to take the group's Kerberos settings, so that the IWA app works once printed. */
    private static void awaitKerberos(Connector connector, PrintStream notes) throws InterruptedException {
        long deadline = System.nanoTime() + KERBEROS_READY.toNanos();
        while (!connector.kerberos().ready()) {
            if (System.nanoTime() > deadline) {
                notes.println("The connector has not taken the Kerberos settings within " + KERBEROS_READY.toSeconds()
                        + " s: the Kerberos (IWA) app may refuse sign-ins until it does (its log says why).");
                return;
            }
            Thread.sleep(20);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // failing to start anyway
        }
    }

    /**
     * Stops the connector (draining), the server, the sample app, the link translation example's apps, the
     * password-vaulting apps' backends, the SAML app and the IWA app (the Kerberos realm stops with the JVM).
     */
    @Override
    @SuppressWarnings("try")
    public void close() throws Exception {
        try {
            stack.close();
        } finally {
            try (AutoCloseable a = app; AutoCloseable l = links; AutoCloseable p = passwords.orElse(null);
                 AutoCloseable m = saml.orElse(null); AutoCloseable k = kerberos.orElse(null)) {
                // closes all five
            }
        }
    }
}
