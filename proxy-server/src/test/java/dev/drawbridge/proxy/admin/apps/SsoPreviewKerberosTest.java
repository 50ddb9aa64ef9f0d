package dev.drawbridge.proxy.admin.apps;

import dev.drawbridge.model.api.KerberosSso;
import dev.drawbridge.model.api.KerberosSso.LoginIdentity;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoPreview;
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
 * "Test as user" for Kerberos constrained delegation: the client principal the connector would ask the KDC for under each
 * delegated login identity, in the connector group's realm, and the SPN with its realm; the reasons the connector would
 * refuse: the group has no Kerberos settings, the user has no on-premises name the identity needs, the name is not a
 * user of the realm, a computer account, an SPN of another realm.
 */
class SsoPreviewKerberosTest {
    static final String SPN = "HTTP/intranet.corp.example";
    @TempDir
    Path dir;
    SsoPreviewFixture f;
    DirectoryUser synced, local;
    int apps;

    @BeforeEach
    void open() throws Exception {
        f = new SsoPreviewFixture(dir);
        synced = f.synced("alice@corp.example", "Alice", "asmith@CORP.EXAMPLE", "ASMITH");
        local = f.user("bob@contoso.com", "Bob", null, null);
    }

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    private static SsoSettings kerberos(LoginIdentity identity, boolean upFront) {
        return kerberos(SPN, identity, upFront);
    }

    private static SsoSettings kerberos(String spn, LoginIdentity identity, boolean upFront) {
        return new SsoSettings(SsoMethod.KERBEROS, List.of(), new KerberosSso(spn, identity, upFront), null);
    }

    private SsoPreview preview(LoginIdentity identity, DirectoryUser user) throws Exception {
        PublishedApp app = f.app("iwa" + (++apps), kerberos(identity, identity == LoginIdentity.ON_PREM_SAM));
        return f.preview(app, user.id());
    }

    @Test
    void eachLoginIdentityNamesItsPrincipalInTheGroupsRealm() throws Exception {
        f.kerberosRealm("CORP.EXAMPLE");
        assertThat(preview(LoginIdentity.UPN, synced).kerberos()).isEqualTo(new SsoPreview.Kerberos("alice@CORP.EXAMPLE",
                SPN + "@CORP.EXAMPLE", false));
        assertThat(preview(LoginIdentity.ON_PREM_UPN, synced).kerberos().principal()).isEqualTo("asmith@CORP.EXAMPLE");
        assertThat(preview(LoginIdentity.USER_PART, synced).kerberos().principal()).isEqualTo("alice@CORP.EXAMPLE");
        SsoPreview sam = preview(LoginIdentity.ON_PREM_SAM, synced);
        assertThat(sam.kerberos()).isEqualTo(new SsoPreview.Kerberos("ASMITH@CORP.EXAMPLE", SPN + "@CORP.EXAMPLE", true));
        assertThat(sam.problems()).isEmpty();
        assertThat(sam.headers()).isEmpty();
        assertThat(sam.password()).isNull();
        assertThat(sam.saml()).isNull();
        // The user part of a UPN of another domain is still a user of the realm.
        assertThat(preview(LoginIdentity.USER_PART, local).kerberos().principal()).isEqualTo("bob@CORP.EXAMPLE");
    }

    @Test
    void aGroupWithoutKerberosSettingsIsAProblemAndTheNameIsShownAsChosen() throws Exception {
        SsoPreview p = preview(LoginIdentity.USER_PART, synced);
        assertThat(p.kerberos()).isEqualTo(new SsoPreview.Kerberos("alice", SPN, false));
        assertThat(p.problems()).containsExactly("the connector group 'Default' has no Kerberos settings (realm, KDCs, keytab): its"
                + " connectors refuse Kerberos single sign-on until an administrator sets them (drawbridge connector-groups kerberos set)");
    }

    @Test
    void noOnPremisesNameIsTheConnectorsRefusal() throws Exception {
        f.kerberosRealm("CORP.EXAMPLE");
        SsoPreview upn = preview(LoginIdentity.ON_PREM_UPN, local);
        assertThat(upn.kerberos().principal()).isNull();
        assertThat(upn.problems()).containsExactly("bob@contoso.com has no on-premises UPN from directory sync, which this app's"
                + " delegated login identity needs");
        SsoPreview sam = preview(LoginIdentity.ON_PREM_SAM, local);
        assertThat(sam.kerberos().principal()).isNull();
        assertThat(sam.problems()).containsExactly("bob@contoso.com has no on-premises SAM account name from directory sync, which this"
                + " app's delegated login identity needs");
    }

    @Test
    void aNameOfAnotherRealmOrAComputerAccountIsRefused() throws Exception {
        f.kerberosRealm("CORP.EXAMPLE");
        SsoPreview other = preview(LoginIdentity.UPN, local);
        assertThat(other.kerberos().principal()).isNull();
        assertThat(other.problems()).containsExactly("'bob@contoso.com' cannot stand for a user of the connector group's realm"
                + " CORP.EXAMPLE: the connector refuses it (choose a delegated login identity that names a user of that realm)");
        DirectoryUser machine = f.synced("dc01@corp.example", "DC", "dc01$@CORP.EXAMPLE", "DC01$");
        SsoPreview computer = preview(LoginIdentity.ON_PREM_SAM, machine);
        assertThat(computer.kerberos().principal()).isNull();
        assertThat(computer.problems()).containsExactly("'DC01$' names a computer account, not a user");
    }

    @Test
    void anSpnOfAnotherRealmIsRefused() throws Exception {
        f.kerberosRealm("CORP.EXAMPLE");
        PublishedApp app = f.app("iwa-other", kerberos(SPN + "@OTHER.EXAMPLE", LoginIdentity.USER_PART, false));
        SsoPreview p = f.preview(app, synced.id());
        assertThat(p.kerberos()).isEqualTo(new SsoPreview.Kerberos("alice@CORP.EXAMPLE", SPN + "@OTHER.EXAMPLE", false));
        assertThat(p.problems()).containsExactly("the SPN " + SPN + "@OTHER.EXAMPLE names another realm than the connector group's,"
                + " CORP.EXAMPLE: the connector refuses it");
    }

    @Test
    void aDraftOnAnAppWithoutSingleSignOnIsPreviewedAndNotStored() throws Exception {
        f.kerberosRealm("CORP.EXAMPLE");
        PublishedApp app = f.app("plain", null);
        SsoPreview p = f.preview(app, synced.upn(), kerberos(LoginIdentity.ON_PREM_UPN, false));
        assertThat(p.method()).isEqualTo(SsoMethod.KERBEROS);
        assertThat(p.kerberos().principal()).isEqualTo("asmith@CORP.EXAMPLE");
        assertThat(f.apps.sso(app.id())).contains(SsoSettings.NONE);
        // The draft's method decides which connectors may carry it: one with single sign-on.
        assertThat(f.askedSso).isTrue();
        assertThat(f.preview(app, synced.upn()).method()).isEqualTo(SsoMethod.NONE);
        assertThat(f.askedSso).isFalse();
    }
}
