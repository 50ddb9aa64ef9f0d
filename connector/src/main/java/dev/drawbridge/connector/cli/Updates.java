package dev.drawbridge.connector.cli;

import dev.drawbridge.connector.Connector;
import dev.drawbridge.connector.identity.ConnectorIdentity;
import dev.drawbridge.connector.update.Launch;
import dev.drawbridge.connector.update.UpdateFiles;
import dev.drawbridge.connector.update.UpdatePoller;
import org.eclipse.jetty.client.HttpClient;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** The auto-update wiring of {@code run}: the poller on the running connector, and what the supervisor starts by default. */
final class Updates {
    private Updates() {
    }

    /** The installed jars: this process's class path and the CLI's main class. */
    static Launch installed() {
        return new Launch("", ConnectorCli.class.getName(),
                Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator)).filter(s -> !s.isBlank()).map(Path::of).toList());
    }

    /** The poller of connector {@code c} (of {@code tunnels} tunnels); {@code closed} is shared with the shutdown hook so that it drains once. */
    static UpdatePoller poller(Connector c, int tunnels, Path stateDir, AtomicBoolean closed, boolean supervised, Duration check) {
        UpdatePoller.Host host = new UpdatePoller.Host() {
            @Override
            public HttpClient serverHttp() {
                return c.serverHttp();
            }

            @Override
            public URI tunnelUrl() {
                return c.tunnelUrl();
            }

            @Override
            public boolean allTunnelsConnected() {
                return c.connectedTunnels() >= tunnels;
            }

            @Override
            public void drain() throws Exception {
                if (closed.compareAndSet(false, true)) {
                    c.close();
                }
            }
        };
        UpdatePoller.KeyPin pin = new UpdatePoller.KeyPin() {
            @Override
            public Optional<String> load() throws IOException {
                return ConnectorIdentity.loadUpdateKey(stateDir);
            }

            @Override
            public void store(String jwk) throws IOException {
                ConnectorIdentity.saveUpdateKey(stateDir, jwk);
            }
        };
        return new UpdatePoller(host, pin, new UpdateFiles(stateDir), new UpdatePoller.Settings(supervised, check, Connector.VERSION));
    }
}
