package dev.drawbridge.proxy.admin.apps;

import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.KerberosSso;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoPreview;
import dev.drawbridge.model.api.SsoPreviewRequest;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.admin.operation.FakeAdminRequest;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.identity.DirectoryUser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Review (issue 11): a cloud application administrator has APPS_READ and DIRECTORY_READ but not CONNECTORS_READ, so
 * {@code GET /connector-groups/{id}/kerberos} (the group's realm, KDCs, principals) is refused to them. "Test as user"
 * with a KERBEROS draft, which APPS_READ alone allows on any pre-authenticated app, answers the connector group's realm
 * anyway (in the SPN, the principal and the problems), and whether the group has Kerberos settings at all.
 */
class SsoPreviewAuthorizationReviewTest {
    static final Caller CLOUD_APP_ADMIN = new Caller("cloud@corp.example", Optional.of("cloud"), "Cloud app admin",
            List.of(AdminRole.CLOUD_APPLICATION_ADMINISTRATOR));
    @TempDir
    Path dir;
    SsoPreviewFixture f;

    @BeforeEach
    void open() throws Exception {
        f = new SsoPreviewFixture(dir);
    }

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    @Test
    void aRoleWithoutConnectorsReadLearnsNoConnectorGroupsKerberosRealm() throws Exception {
        assertThat(CLOUD_APP_ADMIN.may(AdminRole.Permission.CONNECTORS_READ)).isFalse();
        f.kerberosRealm("SECRET-FOREST.CORP");
        DirectoryUser alice = f.user("alice@corp.example", "Alice", null, null);
        PublishedApp app = f.app("hr", SsoSettings.headers(List.of(HeaderRule.of("X-Remote-User", HeaderSource.UPN))));
        SsoSettings draft = new SsoSettings(SsoMethod.KERBEROS, List.of(),
                new KerberosSso("HTTP/hr.corp", KerberosSso.LoginIdentity.UPN, false), null);

        Answer.Json a = (Answer.Json) f.api.preview(CLOUD_APP_ADMIN,
                new FakeAdminRequest().path("id", app.id()).body(new SsoPreviewRequest(alice.id(), draft)));

        assertThat(a.body().toString()).as("the preview a cloud application administrator gets").doesNotContainIgnoringCase("SECRET-FOREST");
        assertThat(((SsoPreview) a.body()).kerberos().spn()).doesNotContainIgnoringCase("SECRET-FOREST");
    }
}
