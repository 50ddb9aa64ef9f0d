package dev.drawbridge.demo;

import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.FormsSso;
import dev.drawbridge.model.api.SharedCredential;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.store.SecretFiles;
import dev.drawbridge.testsupport.sample.FormsLoginBackend;
import dev.drawbridge.testsupport.sample.JettyBasicBackend;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The demo's password-vaulting apps, each with a backend that has passwords of its own, on random loopback ports only
 * the connector knows:
 * <ul>
 *   <li>{@value #WIKI_NAME} ({@code FORMS}, each user's own password): {@link FormsLoginBackend}, a wiki with its own
 *       login form, session cookie and CSRF field, and one account, {@value #WIKI_USER}. The first time, My Apps asks the
 *       demo user for the wiki's user name and password (the demo prints them); afterwards the connector fills in the
 *       wiki's form and the page says "Signed in as demo". A stored password goes only to the address it was stored for,
 *       so the wiki keeps its port from run to run (the one the app points at; a new one, and My Apps asks again, only
 *       when another program took it), and its password, made on the first run, is kept in the demo's data directory
 *       (owner-only).</li>
 *   <li>{@value #REPORTS_NAME} ({@code BASIC}, a shared account): {@link JettyBasicBackend} with the service account
 *       {@value #REPORTS_ACCOUNT}, whose password is new on every run; the demo sets it as the app's shared credential
 *       through the admin API (write-only, one audit entry a run), so every user goes in as that account, nothing to
 *       store.</li>
 * </ul>
 * Both are published through the typed admin API ({@link DemoSsoApps}); {@link #close()} stops the backends.
 */
final class DemoPasswordApps implements AutoCloseable {
    static final String WIKI_NAME = "Team wiki (forms SSO)";
    static final String WIKI_LABEL = "wiki";
    /** The wiki's own account for the demo user, stored in My Apps. */
    static final String WIKI_USER = "demo";
    static final String REPORTS_NAME = "Reports (Basic SSO, shared account)";
    static final String REPORTS_LABEL = "reports";
    /** The reports app's service account, the app's shared credential. */
    static final String REPORTS_ACCOUNT = "svc-reports";

    final FormsLoginBackend wiki;
    final JettyBasicBackend reports;
    /** The wiki's password of {@value #WIKI_USER}, for the user to store in My Apps. */
    final String wikiPassword;
    final String wikiUrl;
    final String reportsUrl;

    private DemoPasswordApps(FormsLoginBackend wiki, JettyBasicBackend reports, String wikiPassword, String wikiUrl, String reportsUrl) {
        this.wiki = wiki;
        this.reports = reports;
        this.wikiPassword = wikiPassword;
        this.wikiUrl = wikiUrl;
        this.reportsUrl = reportsUrl;
    }

    /**
     * Starts both backends and publishes (or re-points) both apps; the wiki's password is kept in {@code dataDir}, and
     * when the wiki cannot have its earlier port back, one line on {@code notes} says so.
     */
    @SuppressWarnings("try")
    static DemoPasswordApps start(DrawbridgeStack stack, Path dataDir, PrintStream notes) throws Exception {
        String wikiPassword = SecretFiles.readOrCreate(dataDir.resolve("demo-wiki-password.txt"), () -> "wiki-" + ServerKeys.randomToken(6));
        String accountPassword = ServerKeys.randomToken(18);
        FormsLoginBackend wiki = wiki(stack, notes).user(WIKI_USER, wikiPassword);
        JettyBasicBackend reports = null;
        try {
            reports = JettyBasicBackend.start(Map.of(REPORTS_ACCOUNT, accountPassword));
            // The login path only: the connector finds the user-name and password fields in the form itself.
            String wikiUrl = DemoSsoApps.publish(stack, WIKI_NAME, WIKI_LABEL, wiki.url().resolve("/"),
                    SsoSettings.forms(FormsSso.detect("/login")));
            String reportsId = DemoSsoApps.publishApp(stack, REPORTS_NAME, REPORTS_LABEL, reports.baseUri(), true);
            DemoSsoApps.applySso(stack, reportsId, SsoSettings.basic(BasicSso.SHARED));
            // After re-pointing: a shared credential is bound to the backend's address too.
            stack.adminApi().apps().setSharedCredential(reportsId, new SharedCredential(REPORTS_ACCOUNT, accountPassword));
            return new DemoPasswordApps(wiki, reports, wikiPassword, wikiUrl, stack.externalUrl(REPORTS_LABEL));
        } catch (Exception e) {
            try (AutoCloseable w = wiki; AutoCloseable r = reports) {
                throw e;
            }
        }
    }

    /** The wiki's backend, on the port the published app points at (from an earlier run) when it is free. */
    private static FormsLoginBackend wiki(DrawbridgeStack stack, PrintStream notes) throws Exception {
        Optional<URI> earlier = DemoSsoApps.find(stack, WIKI_NAME).map(a -> URI.create(a.internalUrl()));
        if (earlier.isPresent() && earlier.get().getPort() > 0) {
            try {
                return FormsLoginBackend.start(earlier.get().getPort());
            } catch (Exception e) {
                notes.println("The wiki's port " + earlier.get().getPort() + " is taken: it moves to another, and My Apps asks for its "
                        + "password again (a stored password goes only to the address it was stored for).");
            }
        }
        return FormsLoginBackend.start();
    }

    /** Stops both backends. */
    @Override
    @SuppressWarnings("try")
    public void close() throws Exception {
        try (AutoCloseable w = wiki; AutoCloseable r = reports) {
            // closes both
        }
    }
}
