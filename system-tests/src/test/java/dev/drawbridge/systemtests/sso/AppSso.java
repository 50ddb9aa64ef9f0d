package dev.drawbridge.systemtests.sso;

import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.proxy.apps.SsoJson;
import dev.drawbridge.testsupport.signin.SignInForms;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import dev.drawbridge.testsupport.time.Await;
import org.eclipse.jetty.client.HttpClient;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;

/**
 * Sets an app's single sign-on in the stack's embedded database, for system tests of a method whose settings the admin
 * API cannot set on this branch: {@code PUT /api/v1/apps/{id}/sso} (issue 10's admin part) replaces this with
 * {@code stack.adminApi().apps().setSso(id, settings)}. The server picks the change up within its 5 s route refresh,
 * so callers await its effect.
 */
public final class AppSso {
    private AppSso() {
    }

    public static void set(DrawbridgeStack stack, String appId, SsoSettings settings) throws Exception {
        // The server's own URL: H2 shares the open database with a second connection of the same JVM.
        String url = "jdbc:h2:file:" + stack.dataDir().resolve("db/drawbridge").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE";
        try (Connection c = DriverManager.getConnection(url, "drawbridge", "");
             PreparedStatement s = c.prepareStatement("UPDATE app SET sso_settings = ? WHERE id = ?")) {
            s.setString(1, SsoJson.write(settings));
            s.setString(2, appId);
            if (s.executeUpdate() != 1) {
                throw new IllegalStateException("no app " + appId);
            }
        }
    }

    /**
     * Waits until the server's route refresh applied the apps' single sign-on: {@code applied} is asked, with a client
     * signed in as {@code upn} through {@code firstApp}, until it says so.
     */
    public static void await(DrawbridgeStack stack, String firstApp, String upn, String password, Applied applied) throws Exception {
        HttpClient probe = Https.client(stack.server().serverCaCertificate(), true);
        try {
            SignInForms.signIn(probe, firstApp, stack.externalUrl("login"), upn, password);
            Await.until("the apps' single sign-on (the server's route refresh)", Duration.ofSeconds(20), () -> {
                try {
                    return applied.test(probe);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        } finally {
            probe.stop();
        }
    }

    /** Whether the settings are in effect, as {@code probe} (signed in) sees them. */
    @FunctionalInterface
    public interface Applied {
        boolean test(HttpClient probe) throws Exception;
    }
}
