package dev.drawbridge.demo;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.SamlMetadata;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.SamlAttribute;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.testsupport.process.DebianPackages;
import dev.drawbridge.testsupport.sample.MellonBackend;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * The demo's SAML app, when its Debian packages are installed: Apache with {@code mod_auth_mellon} as a real SAML
 * service provider ({@link MellonBackend}, a child of the demo's JVM), published as {@value #NAME} with the external
 * Host kept (mellon builds its own URLs from it), and Drawbridge as its identity provider: the app's SAML settings are
 * read from mellon's metadata through the admin API, with the attributes {@code displayName} and {@code groups}, and
 * mellon trusts the app's identity-provider metadata. Its {@code /secret/whoami} shows {@code REMOTE_USER} (the UPN as
 * NameID) and the {@code MELLON_*} attributes. Mellon's key, certificate and metadata are kept in the demo's data
 * directory ({@code saml-sp/}, owner-only) and reused while the app's external URL stays the same, so later runs make no
 * key and leave the app's settings as they are; on other ports they are made anew and the settings set again (after
 * clearing them: they name the old external URL). Without the packages, one line on the notes says which to install.
 */
final class DemoSaml implements AutoCloseable {
    static final String NAME = "HR (SAML)";
    static final String LABEL = "hr";
    /** How the notes name it. */
    private static final String APP = "The SAML app";
    /** Everything the SAML app needs installed. */
    static final List<DebianPackages.Need> NEEDS = MellonBackend.NEEDS;

    final MellonBackend mellon;
    /** The protected page: {@code https://hr.localhost:PORT/secret/whoami}. */
    final String whoamiUrl;

    private DemoSaml(MellonBackend mellon, String whoamiUrl) {
        this.mellon = mellon;
        this.whoamiUrl = whoamiUrl;
    }

    /**
     * Prepares mellon, publishes (or re-points) the app, sets its SAML settings and starts mellon; when a package of
     * {@code needs} is missing or mellon cannot start, says so in one line on {@code notes} and returns nothing.
     */
    static Optional<DemoSaml> start(DrawbridgeStack stack, Path dataDir, List<DebianPackages.Need> needs, PrintStream notes) throws Exception {
        if (DemoNotes.missing(APP, needs, notes)) {
            return Optional.empty();
        }
        String url = stack.externalUrl(LABEL);
        MellonBackend.Prepared sp;
        try {
            sp = MellonBackend.prepare(URI.create(url), Optional.of(dataDir.resolve("saml-sp")));
        } catch (RuntimeException | IOException e) {
            DemoNotes.couldNotStart(APP, e, notes);
            return Optional.empty();
        }
        Optional<AppView> earlier = DemoSsoApps.find(stack, NAME);
        if (earlier.isPresent() && !earlier.get().externalUrl().equals(url)) {
            // On other ports: the SAML settings name the old external URL, which the server would refuse the new one with.
            DemoSsoApps.applySso(stack, earlier.get().id(), SsoSettings.NONE);
        }
        String appId = DemoSsoApps.publishApp(stack, NAME, LABEL, sp.internalUrl(), false);
        AdminApi api = stack.adminApi();
        SamlSso read = api.apps().readSpMetadata(appId, new SamlMetadata(sp.spMetadata()));
        SamlSso saml = new SamlSso(read.spEntityId(), read.acsUrl(), read.spCertificate(), read.nameIdFormat(), null, null,
                List.of(SamlAttribute.of("displayName", HeaderSource.DISPLAY_NAME), SamlAttribute.of("groups", HeaderSource.GROUPS)),
                null, url + MellonBackend.WHOAMI);
        DemoSsoApps.applySso(stack, appId, new SsoSettings(SsoMethod.SAML, List.of(), null, saml));
        try {
            return Optional.of(new DemoSaml(sp.start(api.apps().samlIdpMetadata(appId).xml()), url + MellonBackend.WHOAMI));
        } catch (RuntimeException | IOException e) {
            DemoNotes.couldNotStart(APP, e, notes);
            return Optional.empty();
        }
    }

    /**
     * {@link #start} on a thread of its own, so that mellon makes its key (seconds of CPU, on a first run) and Apache
     * starts while the demo starts its other apps; {@link #await} takes the result.
     */
    static CompletableFuture<Optional<DemoSaml>> startInBackground(DrawbridgeStack stack, Path dataDir, List<DebianPackages.Need> needs,
                                                                  PrintStream notes) {
        CompletableFuture<Optional<DemoSaml>> started = new CompletableFuture<>();
        // A platform thread: ServerProcess keeps Apache's lifeline thread itself, this one only waits for the start.
        Thread.ofPlatform().daemon().name("demo-saml").start(() -> {
            try {
                started.complete(start(stack, dataDir, needs, notes));
            } catch (Exception | Error e) {
                started.completeExceptionally(e);
            }
        });
        return started;
    }

    /** The SAML app {@code starting} started, or the exception it failed with. */
    static Optional<DemoSaml> await(CompletableFuture<Optional<DemoSaml>> starting) throws Exception {
        try {
            return starting.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** Waits for {@code starting} and stops what it started (the demo failed meanwhile). */
    static void stopQuietly(CompletableFuture<Optional<DemoSaml>> starting) {
        try {
            Optional<DemoSaml> saml = await(starting);
            if (saml.isPresent()) {
                saml.get().close();
            }
        } catch (Exception e) {
            // failing to start anyway
        }
    }

    /** Stops mellon's Apache. */
    @Override
    public void close() throws InterruptedException {
        mellon.close();
    }
}
