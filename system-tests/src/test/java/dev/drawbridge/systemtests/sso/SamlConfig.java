package dev.drawbridge.systemtests.sso;

import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.proxy.apps.SsoJson;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.time.Await;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Sets an app's single sign-on settings for the SAML tests, written where the server keeps them (app.sso_settings in
 * its embedded database, a second connection in the same JVM), then waits until the server's routes carry them (its
 * identity provider metadata answers). Interim: the admin API's {@code PUT /apps/{id}/sso} replaces it once on this branch.
 */
final class SamlConfig {
    private SamlConfig() {
    }

    static void set(DrawbridgeStack stack, String appId, SsoSettings settings) throws Exception {
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
        URI metadata = URI.create(stack.externalUrl("login") + "saml/" + appId + "/metadata");
        Await.until("the server's routes carry the app's SAML settings", Duration.ofSeconds(20), () -> {
            try {
                return stack.http().newRequest(metadata).timeout(5, TimeUnit.SECONDS).send().getStatus() == 200;
            } catch (Exception e) {
                return false;
            }
        });
    }
}
