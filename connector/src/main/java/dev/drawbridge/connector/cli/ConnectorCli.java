package dev.drawbridge.connector.cli;

import dev.drawbridge.connector.Connector;
import dev.drawbridge.connector.identity.ConnectorIdentity;
import dev.drawbridge.connector.identity.Registration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code drawbridge-connector register | run}. */
@Command(name = "drawbridge-connector", mixinStandardHelpOptions = true, version = "drawbridge-connector 0.1.0",
        description = "Drawbridge connector: carries requests from the proxy server to internal apps over outbound-only tunnels.",
        subcommands = {ConnectorCli.Register.class, ConnectorCli.Run.class})
public final class ConnectorCli {
    static final String DEFAULT_STATE = Optional.ofNullable(System.getenv("DRAWBRIDGE_CONNECTOR_STATE"))
            .orElse(System.getProperty("user.home") + "/.drawbridge-connector");

    public static void main(String[] args) {
        System.exit(new CommandLine(new ConnectorCli()).execute(args));
    }

    @Command(name = "register", description = "Register this connector with a one-time token from the admin API.")
    static final class Register implements Callable<Integer> {
        @Option(names = "--server", required = true, description = "Server admin URL, e.g. https://admin.example.com")
        URI server;
        @Option(names = "--token", required = true, description = "One-time registration token")
        String token;
        @Option(names = "--ca-sha256", required = true, description = "SHA-256 of the server CA certificate (printed with the token)")
        String caSha256;
        @Option(names = "--state-dir", description = "Where to keep the key and certificate (default: ${DEFAULT-VALUE})")
        Path stateDir = Path.of(DEFAULT_STATE);

        @Override
        public Integer call() {
            try {
                ConnectorIdentity id = Registration.register(server, token, caSha256, Connector.VERSION);
                id.save(stateDir);
                System.out.println("Registered connector " + id.connectorId() + "; identity stored in " + stateDir);
                return 0;
            } catch (Registration.RegistrationException e) {
                System.err.println("error: " + e.getMessage() + (e.retryable() ? " (retrying may help)" : ""));
                return e.retryable() ? 75 : 1;
            } catch (java.io.IOException e) {
                System.err.println("error: cannot store the identity in " + stateDir + ": " + e.getMessage());
                return 1;
            }
        }
    }

    @Command(name = "run", description = "Run the connector service until stopped.")
    static final class Run implements Callable<Integer> {
        @Option(names = "--state-dir", description = "Where register stored the identity (default: ${DEFAULT-VALUE})")
        Path stateDir = Path.of(DEFAULT_STATE);
        @Option(names = "--tunnels", description = "Parallel tunnel connections (default: ${DEFAULT-VALUE})")
        int tunnels = 4;
        @Option(names = "--upstream-ca", description = "Extra CA (PEM) to trust for https internal apps")
        Path upstreamCa;

        @Override
        public Integer call() throws Exception {
            Connector c;
            try {
                c = Connector.start(new Connector.Options(stateDir, tunnels, Optional.ofNullable(upstreamCa), Duration.ofSeconds(10)));
            } catch (java.io.IOException | IllegalArgumentException e) {
                System.err.println("error: " + e.getMessage());
                return 1;
            }
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // exiting anyway
                }
                stop.countDown();
            }));
            String why = c.permanentFailure().get();
            System.err.println("error: " + why);
            return 2;
        }
    }
}
