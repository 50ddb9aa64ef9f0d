package dev.drawbridge.connector.update;

import dev.drawbridge.model.update.UpdateInstruction;
import dev.drawbridge.model.update.UpdateReport;
import dev.drawbridge.model.update.UpdateState;
import org.eclipse.jetty.client.HttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * In the running connector: reports to the server ({@code POST /connector/v1/update}) soon after all tunnels connected
 * and then every check interval (jittered by ±20 %, so that a group's connectors do not ask together), and, when the
 * server says it is this connector's turn and auto-update is on (a {@link Supervisor} runs it), installs the version
 * ({@link BundleInstaller}), drains, writes {@code next} and completes {@link #restart()}: the program then exits with
 * {@value Supervisor#UPDATE_EXIT} and the supervisor starts the new version on trial. Without a supervisor it reports
 * DISABLED and never updates.
 *
 * <p>When a supervisor runs it, it also confirms a trial: it writes {@code healthy} once all tunnels are connected. A
 * version the supervisor went back to reads {@code rolled-back} and reports ROLLED_BACK with the reason; a failed
 * attempt reports FAILED with its sentence. Both stay in the reports until the next attempt, so the console shows them.
 */
public final class UpdatePoller implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(UpdatePoller.class);
    private static final Duration CONNECTED_CHECK = Duration.ofMillis(500);

    /** What the poller needs of the running connector. */
    public interface Host {
        /** The server-facing client: the connector's certificate, the pinned server CA, the outbound proxy. */
        HttpClient serverHttp();

        /** The tunnel URL dialled now. */
        URI tunnelUrl();

        /** Whether every tunnel is connected. */
        boolean allTunnelsConnected();

        /** Stops taking new requests and lets those in flight finish (GOAWAY on every tunnel). */
        void drain() throws Exception;
    }

    /** Where the pinned update key is kept. */
    public interface KeyPin {
        Optional<String> load() throws IOException;

        void store(String jwk) throws IOException;
    }

    /**
     * @param enabled whether a supervisor runs this connector ({@code run --auto-update}): only then it updates
     * @param check   how often it reports
     * @param version the version running
     */
    public record Settings(boolean enabled, Duration check, String version) {
        public Settings {
            if (check.isNegative() || check.isZero()) {
                throw new IllegalArgumentException("check: must be positive");
            }
        }
    }

    private final Host host;
    private final KeyPin keyPin;
    private final Settings settings;
    private final UpdateFiles files;
    private final UpdateClient client;
    private final BundleInstaller installer;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CompletableFuture<String> restart = new CompletableFuture<>();
    private volatile UpdateReport report;
    private boolean rolledBackFromFile;
    private Thread loop;

    public UpdatePoller(Host host, KeyPin keyPin, UpdateFiles files, Settings settings) {
        this.host = host;
        this.keyPin = keyPin;
        this.settings = settings;
        this.files = files;
        this.client = new UpdateClient(host::serverHttp, host::tunnelUrl);
        this.installer = new BundleInstaller(files, client, Runtime.version().feature());
        UpdateReport start = new UpdateReport(settings.version(), settings.enabled() ? UpdateState.IDLE : UpdateState.DISABLED, "", "");
        if (settings.enabled()) {
            Optional<UpdateFiles.RolledBack> back = files.rolledBack();
            if (back.isPresent()) {
                start = new UpdateReport(settings.version(), UpdateState.ROLLED_BACK, back.get().attempted(),
                        UpdateReport.cut(back.get().reason()));
                rolledBackFromFile = true;
                LOG.warn("went back to version {}: version {} did not come up healthy ({})", settings.version(), back.get().attempted(),
                        back.get().reason());
            }
        }
        this.report = start;
    }

    /** Starts reporting (on a thread of its own). */
    public UpdatePoller start() {
        loop = Thread.ofVirtual().name("update-poller").start(this::run);
        return this;
    }

    /** Completes with the version to restart into once it is unpacked, this connector drained and {@code next} written. */
    public CompletableFuture<String> restart() {
        return restart;
    }

    /** What this connector reports now. */
    public UpdateReport lastReport() {
        return report;
    }

    private void run() {
        try {
            while (!host.allTunnelsConnected()) {
                if (stop.await(CONNECTED_CHECK.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
            if (settings.enabled()) {
                try {
                    files.writeHealthy(settings.version());
                } catch (IOException e) {
                    LOG.warn("cannot confirm this version as healthy in {} ({})", files.root(), ManifestVerifier.rootMessage(e));
                }
            }
            boolean again = false;
            while (!restart.isDone()) {
                again = poll();
                if (!again && stop.await(jittered(settings.check()).toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.error("the update poller stopped: {}", ManifestVerifier.rootMessage(e));
        }
    }

    /** One report and what follows from its answer; true when the next report should go at once (a new state to tell). */
    private boolean poll() {
        UpdateInstruction instruction;
        try {
            instruction = client.report(report);
        } catch (UpdateClient.Refused e) {
            if (e.status() == 404) {
                LOG.debug("the server does not offer auto-update (HTTP 404)");
            } else {
                LOG.warn("cannot report to the server: {}", e.getMessage());
            }
            return false;
        } catch (UpdateException e) {
            LOG.warn("cannot report to the server: {}", e.getMessage());
            return false;
        }
        if (rolledBackFromFile) {
            rolledBackFromFile = false;
            try {
                files.clearRolledBack();
            } catch (IOException e) {
                LOG.warn("cannot remove {} ({})", files.root().resolve("rolled-back"), e.getMessage());
            }
        }
        if (instruction.action() != UpdateInstruction.Action.UPDATE) {
            LOG.debug("no update: {}", instruction.reason());
            return false;
        }
        if (!settings.enabled()) {
            LOG.debug("the server offers version {}, and auto-update is off", instruction.version());
            return false;
        }
        if (instruction.version().equals(settings.version())) {
            return false;
        }
        return attempt(instruction);
    }

    private boolean attempt(UpdateInstruction instruction) {
        String v = instruction.version();
        LOG.info("updating from version {} to {}: downloading", settings.version(), v);
        tell(new UpdateReport(settings.version(), UpdateState.DOWNLOADING, v, ""));
        try {
            installer.install(v, instruction.manifest(), verifier());
        } catch (UpdateException e) {
            LOG.warn("cannot update to version {}: {}", v, e.getMessage());
            report = new UpdateReport(settings.version(), UpdateState.FAILED, v, UpdateReport.cut(e.getMessage()));
            return true;
        } catch (RuntimeException e) {
            String why = "unexpected error (" + ManifestVerifier.rootMessage(e) + ")";
            LOG.warn("cannot update to version {}: {}", v, why);
            report = new UpdateReport(settings.version(), UpdateState.FAILED, v, UpdateReport.cut(why));
            return true;
        }
        LOG.info("version {} verified and unpacked: draining (in-flight requests finish), then restarting into it", v);
        tell(new UpdateReport(settings.version(), UpdateState.DRAINING, v, ""));
        try {
            host.drain();
        } catch (Exception e) {
            LOG.warn("draining before the update: {}", ManifestVerifier.rootMessage(e));
        }
        try {
            files.writeNext(v);
        } catch (IOException e) {
            LOG.error("cannot write {} ({}): restarting on version {}", files.root().resolve("next"), ManifestVerifier.rootMessage(e),
                    settings.version());
        }
        restart.complete(v);
        return false;
    }

    /** Reports a state now; the answer does not matter (the server keeps this connector's turn). */
    private void tell(UpdateReport r) {
        report = r;
        try {
            client.report(r);
        } catch (UpdateException e) {
            LOG.debug("cannot report {}: {}", r.state(), e.getMessage());
        }
    }

    /** The verifier of the pinned key; fetched once over the authenticated channel when registration did not give it. */
    private ManifestVerifier verifier() throws UpdateException {
        Optional<String> pinned;
        try {
            pinned = keyPin.load();
        } catch (IOException e) {
            throw new UpdateException("cannot read the pinned update key (" + ManifestVerifier.rootMessage(e) + ")", e);
        }
        if (pinned.isPresent()) {
            return new ManifestVerifier(pinned.get());
        }
        String jwk = client.key();
        ManifestVerifier v = new ManifestVerifier(jwk);
        try {
            keyPin.store(ManifestVerifier.parseKey(jwk).toJSONString());
        } catch (IOException e) {
            throw new UpdateException("cannot store the server's update key (" + ManifestVerifier.rootMessage(e) + ")", e);
        }
        LOG.info("pinned the server's update key (this connector was registered before the server sent it)");
        return v;
    }

    private static Duration jittered(Duration d) {
        double f = 0.8 + ThreadLocalRandom.current().nextDouble() * 0.4;
        return Duration.ofMillis(Math.max(1, (long) (d.toMillis() * f)));
    }

    @Override
    public void close() {
        stop.countDown();
        Thread l = loop;
        if (l != null) {
            l.interrupt();
        }
    }
}
