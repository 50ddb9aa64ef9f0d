package dev.drawbridge.proxy.admin.apps;

import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.SamlAttribute;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SamlSso.NameIdFormat;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoPreview;
import dev.drawbridge.model.api.SsoPreview.Attribute;
import dev.drawbridge.model.api.SsoSettings;
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
 * "Test as user" for SAML: the NameID the assertion would carry under each format (the directory id for persistent,
 * the e-mail address, a configured source or claim; none shown for transient, which is random at each sign-in), each
 * mapped attribute with its values (groups one value each), and as problems a NameID source the user has no value for
 * (the sign-in is refused) and an attribute the assertion leaves out.
 */
class SsoPreviewSamlTest {
    static final String SP = "https://sp.example.com/mellon/metadata";
    static final String ACS = "https://sp.example.com/mellon/postResponse";
    static final List<SamlAttribute> ATTRIBUTES = List.of(SamlAttribute.of("email", HeaderSource.EMAIL),
            SamlAttribute.of("groups", HeaderSource.GROUPS), new SamlAttribute("department", HeaderSource.CLAIM, "department",
                    SamlAttribute.NameFormat.BASIC), SamlAttribute.of("name", HeaderSource.DISPLAY_NAME),
            SamlAttribute.of("sam", HeaderSource.SAM_ACCOUNT_NAME));
    @TempDir
    Path dir;
    SsoPreviewFixture f;
    PublishedApp app;
    DirectoryUser alice, bob;

    @BeforeEach
    void open() throws Exception {
        f = new SsoPreviewFixture(dir);
        app = f.app("sp", saml(NameIdFormat.PERSISTENT, null, null));
        alice = f.user("alice@corp.example", "Alice Martin", "alice.martin@corp.example", "Finance");
        f.member(alice, "HR staff", "Everyone");
        bob = f.synced("bob@corp.example", "Bob", null, "BOB01");
    }

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    static SsoSettings saml(NameIdFormat format, HeaderSource source, String claim) {
        return new SsoSettings(SsoMethod.SAML, List.of(), null, new SamlSso(SP, ACS, null, format, source, claim, ATTRIBUTES, null, null));
    }

    @Test
    void persistentIsTheDirectoryIdWithEveryAttribute() throws Exception {
        SsoPreview p = f.preview(app, alice.upn());
        assertThat(p.method()).isEqualTo(SsoMethod.SAML);
        assertThat(p.saml()).isEqualTo(new SsoPreview.Saml(NameIdFormat.PERSISTENT, alice.id(), List.of(
                new Attribute("email", List.of("alice.martin@corp.example")), new Attribute("groups", List.of("Everyone", "HR staff")),
                new Attribute("department", List.of("Finance")), new Attribute("name", List.of("Alice Martin")))));
        assertThat(p.problems()).containsExactly("alice@corp.example has no on-premises SAM account name (from directory sync): the"
                + " assertion leaves out the attribute sam");
        assertThat(p.headers()).isEmpty();
        assertThat(p.kerberos()).isNull();
        assertThat(p.password()).isNull();
    }

    @Test
    void emailAddressIsTheEmailAndAUserWithoutOneIsRefused() throws Exception {
        SsoSettings email = saml(NameIdFormat.EMAIL_ADDRESS, null, null);
        assertThat(f.preview(app, alice.id(), email).saml().nameId()).isEqualTo("alice.martin@corp.example");
        SsoPreview none = f.preview(app, bob.id(), email);
        assertThat(none.saml().nameId()).isNull();
        assertThat(none.saml().attributes()).containsExactly(new Attribute("name", List.of("Bob")), new Attribute("sam", List.of("BOB01")));
        assertThat(none.problems()).containsExactly(
                "bob@corp.example has no e-mail address for the SAML NameID: the app's sign-in is refused for them",
                "bob@corp.example has no e-mail address: the assertion leaves out the attribute email",
                "bob@corp.example has no group: the assertion leaves out the attribute groups",
                "bob@corp.example has no claim 'department': the assertion leaves out the attribute department");
    }

    @Test
    void transientShowsNoNameIdItIsRandomAtEachSignIn() throws Exception {
        SsoPreview p = f.preview(app, alice.id(), saml(NameIdFormat.TRANSIENT, null, null));
        assertThat(p.saml().nameIdFormat()).isEqualTo(NameIdFormat.TRANSIENT);
        assertThat(p.saml().nameId()).isNull();
        // A user without any attribute still gets a transient NameID: no NameID problem.
        assertThat(f.preview(app, bob.id(), saml(NameIdFormat.TRANSIENT, null, null)).problems()).noneMatch(s -> s.contains("NameID"));
    }

    @Test
    void aConfiguredSourceOrClaimIsTheNameId() throws Exception {
        assertThat(f.preview(app, bob.id(), saml(NameIdFormat.UNSPECIFIED, HeaderSource.SAM_ACCOUNT_NAME, null)).saml().nameId())
                .isEqualTo("BOB01");
        assertThat(f.preview(app, alice.id(), saml(NameIdFormat.UNSPECIFIED, null, null)).saml().nameId()).isEqualTo("alice@corp.example");
        assertThat(f.preview(app, alice.id(), saml(NameIdFormat.UNSPECIFIED, HeaderSource.CLAIM, "department")).saml().nameId())
                .isEqualTo("Finance");
        SsoPreview none = f.preview(app, bob.id(), saml(NameIdFormat.PERSISTENT, HeaderSource.CLAIM, "department"));
        assertThat(none.saml().nameId()).isNull();
        assertThat(none.problems()).first().isEqualTo("bob@corp.example has no claim 'department' for the SAML NameID: the app's sign-in"
                + " is refused for them");
        // Drafts only: the stored settings stay.
        assertThat(f.apps.sso(app.id())).contains(saml(NameIdFormat.PERSISTENT, null, null));
    }
}
