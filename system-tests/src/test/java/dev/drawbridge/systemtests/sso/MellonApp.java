package dev.drawbridge.systemtests.sso;

import dev.drawbridge.adminclient.SamlMetadata;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AssignmentBody;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SamlAttribute;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.testsupport.process.DebianPackages;
import dev.drawbridge.testsupport.sample.MellonBackend;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SAML tests' stack: Drawbridge with one connector, Apache + mod_auth_mellon ({@link MellonBackend}) published as the
 * pre-authenticated app "HR SAML" at {@code https://hr.localhost:<port>/} keeping the external Host, its SAML settings
 * read from mellon's metadata through the admin API (plus e-mail, display name and department attributes and the
 * IdP-initiated RelayState {@code /secret/whoami}), mellon trusting Drawbridge's metadata from the admin API. Alice
 * (e-mail, department) is assigned; Bob is not.
 */
final class MellonApp implements AutoCloseable {
    static final String PASSWORD = "correct horse battery staple";

    final DrawbridgeStack stack;
    final MellonBackend mellon;
    final String hr;
    final String appId;
    final SamlSso settings;

    private MellonApp(DrawbridgeStack stack, MellonBackend mellon, String hr, String appId, SamlSso settings) {
        this.stack = stack;
        this.mellon = mellon;
        this.hr = hr;
        this.appId = appId;
        this.settings = settings;
    }

    /** Starts it all; skips the calling test when mellon's packages are missing (fails it with DRAWBRIDGE_REQUIRE_SSO_SERVERS=1). */
    static MellonApp start(Path dir) throws Exception {
        DebianPackages.require("MellonBackend", MellonBackend.NEEDS);
        DrawbridgeStack stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        try {
            String hr = stack.externalUrl("hr");
            MellonBackend.Prepared sp = MellonBackend.prepare(URI.create(hr));
            // The service provider rebuilds its URL from the Host it sees: the app keeps the external Host.
            String appId = stack.adminApi().apps().create(new AppSpec("HR SAML", hr, sp.internalUrl().toString(), null, null, false,
                    PreAuthentication.DIRECTORY, AccessSettings.DEFAULTS)).id();
            stack.startConnector(dir.resolve("c"), 1);
            stack.adminApi().users().create(new UserSpec("alice@corp.example", "Alice Martin", "alice.martin@corp.example", "Finance", PASSWORD));
            stack.adminApi().users().create(new UserSpec("bob@corp.example", "Bob", null, null, PASSWORD));
            stack.adminApi().apps().assign(appId, new AssignmentBody("USER", "alice@corp.example"));

            SamlSso imported = stack.adminApi().apps().readSpMetadata(appId, new SamlMetadata(sp.spMetadata()));
            assertThat(imported.spEntityId()).isEqualTo(sp.entityId());
            assertThat(imported.acsUrl()).isEqualTo(sp.acsUrl());
            assertThat(imported.spCertificate()).as("mellon signs its requests").startsWith("-----BEGIN CERTIFICATE-----");
            SamlSso settings = new SamlSso(imported.spEntityId(), imported.acsUrl(), imported.spCertificate(), imported.nameIdFormat(), null,
                    null, List.of(SamlAttribute.of("email", HeaderSource.EMAIL), SamlAttribute.of("displayName", HeaderSource.DISPLAY_NAME),
                    new SamlAttribute("department", HeaderSource.CLAIM, "department", null)), null, hr + MellonBackend.WHOAMI);
            stack.adminApi().apps().setSso(appId, new SsoSettings(SsoMethod.SAML, List.of(), null, settings));
            MellonBackend mellon = sp.start(stack.adminApi().apps().samlIdpMetadata(appId).xml());
            return new MellonApp(stack, mellon, hr, appId, settings);
        } catch (Exception | Error e) {
            stack.close();
            throw e;
        }
    }

    String login() {
        return stack.externalUrl("login");
    }

    @Override
    @SuppressWarnings("try")
    public void close() throws Exception {
        try (AutoCloseable s = stack; AutoCloseable m = mellon) {
            // closes both, mellon first
        }
    }
}
