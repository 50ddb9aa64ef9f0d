package dev.drawbridge.proxy.admin.apps;

import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoPreview;
import dev.drawbridge.model.api.SsoPreview.Header;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.sso.HeaderValues;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.identity.DirectoryUser;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Test as user" for header-based single sign-on: each header as the connector would set it for the user, every
 * transformation (before @, lower case, prefix, joined groups with the user's real groups, a claim, the on-premises
 * names), a source the user has no value for named as a problem and giving no header, an oversize value refused as the
 * connector refuses it, a group holding the separator left out as the connector leaves it out, and a draft previewed
 * without being stored.
 */
class SsoPreviewHeadersTest {
    static final List<HeaderRule> RULES = List.of(
            HeaderRule.of("X-Remote-User", HeaderSource.UPN),
            new HeaderRule("X-User-Short", HeaderSource.UPN, null, true, true, null, null),
            new HeaderRule("X-Domain-User", HeaderSource.UPN, null, true, false, "CORP\\", null),
            new HeaderRule("X-Name", HeaderSource.DISPLAY_NAME, null, false, true, "Name: ", null),
            new HeaderRule("X-Groups", HeaderSource.GROUPS, null, false, true, "grp:", ";"),
            HeaderRule.of("X-All-Groups", HeaderSource.GROUPS),
            HeaderRule.of("X-Email", HeaderSource.EMAIL),
            HeaderRule.of("X-Id", HeaderSource.OBJECT_ID),
            new HeaderRule("X-Dept", HeaderSource.CLAIM, "department", false, false, null, null),
            HeaderRule.of("X-OnPrem", HeaderSource.ON_PREM_UPN),
            new HeaderRule("X-Sam", HeaderSource.SAM_ACCOUNT_NAME, null, false, true, "CORP\\", null));
    @TempDir
    Path dir;
    SsoPreviewFixture f;
    PublishedApp app;
    DirectoryUser alice;

    @BeforeEach
    void open() throws Exception {
        f = new SsoPreviewFixture(dir);
        app = f.app("hr", SsoSettings.headers(RULES));
        alice = f.user("Alice.Smith@Corp.Example", "Alice Smith", "alice@corp.example", "Finance");
        f.member(alice, "HR", "Admins, Europe", "Finance");
    }

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    @Test
    void eachHeaderIsWhatTheConnectorSetsWithEveryTransformation() throws Exception {
        SsoPreview p = f.preview(app, alice.id());
        assertThat(p.method()).isEqualTo(SsoMethod.HEADERS);
        assertThat(p.userId()).isEqualTo(alice.id());
        assertThat(p.upn()).isEqualTo("alice.smith@corp.example");
        assertThat(p.headers()).containsExactly(
                new Header("X-Remote-User", "alice.smith@corp.example"),
                new Header("X-User-Short", "alice.smith"),
                new Header("X-Domain-User", "CORP\\alice.smith"),
                new Header("X-Name", "Name: alice smith"),
                // "Admins, Europe" holds the default separator: the connector leaves it out of a ", " list, not out of a ";" one.
                new Header("X-Groups", "grp:admins, europe;grp:finance;grp:hr"),
                new Header("X-All-Groups", "Finance, HR"),
                new Header("X-Email", "alice@corp.example"),
                new Header("X-Id", alice.id()),
                new Header("X-Dept", "Finance"));
        assertThat(p.problems()).containsExactly(
                "alice.smith@corp.example has no on-premises UPN (from directory sync): the backend gets no X-OnPrem header",
                "alice.smith@corp.example has no on-premises SAM account name (from directory sync): the backend gets no X-Sam header");
        assertThat(p.kerberos()).isNull();
        assertThat(p.password()).isNull();
        assertThat(p.saml()).isNull();
    }

    @Test
    void theUserIsFoundByUpnInAnyCaseAsByIdAndOnPremisesNamesComeFromSync() throws Exception {
        assertThat(f.preview(app, "ALICE.SMITH@corp.example")).isEqualTo(f.preview(app, alice.id()));
        DirectoryUser bob = f.synced("bob@corp.example", "Bob", "bob@ad.corp.local", "BOB01");
        SsoPreview p = f.preview(app, "bob@corp.example");
        assertThat(p.headers()).contains(new Header("X-OnPrem", "bob@ad.corp.local"), new Header("X-Sam", "CORP\\bob01"));
        assertThat(p.headers()).extracting(Header::name).doesNotContain("X-Groups", "X-All-Groups", "X-Email", "X-Dept");
        assertThat(p.problems()).containsExactly(
                "bob@corp.example has no group: the backend gets no X-Groups header",
                "bob@corp.example has no group: the backend gets no X-All-Groups header",
                "bob@corp.example has no e-mail address: the backend gets no X-Email header",
                "bob@corp.example has no claim 'department': the backend gets no X-Dept header");
        assertThat(bob.id()).isEqualTo(p.userId());
    }

    @Test
    void aValueOverTheLimitIsTheConnectorsRefusal() throws Exception {
        DirectoryUser many = f.user("many@corp.example", "Many", null, null);
        // 100 groups of 190 characters (the longest group name is 200): more than 16 KiB joined.
        f.memberOfMany(many, "x".repeat(187), 100);
        SsoPreview p = f.preview(app, many.id());
        assertThat(p.headers()).extracting(Header::name).doesNotContain("X-Groups", "X-All-Groups").contains("X-Remote-User");
        assertThat(p.problems()).filteredOn(s -> s.startsWith("header X-")).hasSize(2).allSatisfy(s -> assertThat(s)
                .matches("header X-(All-)?Groups would be \\d+ characters, over " + HeaderValues.MAX_VALUE
                        + ": the connector refuses single sign-on for many@corp.example rather than cut values off"));
    }

    @Test
    void aDraftIsPreviewedAndNotStored() throws Exception {
        SsoSettings draft = SsoSettings.headers(List.of(new HeaderRule("X-Who", HeaderSource.UPN, null, true, false, "u:", null)));
        SsoPreview p = f.preview(app, alice.id(), draft);
        assertThat(p.headers()).containsExactly(new Header("X-Who", "u:alice.smith"));
        assertThat(p.problems()).isEmpty();
        assertThat(f.apps.sso(app.id())).contains(SsoSettings.headers(RULES));
        // The stored settings again when no draft is given.
        assertThat(f.preview(app, alice.id()).headers()).hasSize(RULES.size() - 2);
    }
}
