package dev.drawbridge.proxy.saml;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SamlAttribute;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoPreview;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.sso.SsoIdentity;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.preauth.Assignments;
import dev.drawbridge.proxy.sso.IdentityTokens;
import dev.drawbridge.proxy.sso.preview.SsoPreviews;
import dev.drawbridge.proxy.tunnel.ConnectorPicker;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SAML preview is the assertion: for users with and without each attribute, under each NameID format that has a
 * value, the NameID and the attributes (names, values, order; control characters and characters XML cannot carry
 * removed alike) that {@link SsoPreviews} shows are those of the response {@link SamlResponses} signs for the same user
 * with the NameID {@link SamlAnswers} chooses.
 */
class SamlPreviewMatchesAssertionTest {
    static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    static final List<SamlAttribute> ATTRIBUTES = List.of(SamlAttribute.of("email", HeaderSource.EMAIL),
            SamlAttribute.of("groups", HeaderSource.GROUPS), new SamlAttribute("department", HeaderSource.CLAIM, "department",
                    SamlAttribute.NameFormat.BASIC), SamlAttribute.of("name", HeaderSource.DISPLAY_NAME),
            SamlAttribute.of("onPremUpn", HeaderSource.ON_PREM_UPN), SamlAttribute.of("sam", HeaderSource.SAM_ACCOUNT_NAME),
            SamlAttribute.of("id", HeaderSource.OBJECT_ID));
    static final IdpKeys.IdpKey KEY = IdpKeys.generate("app1", NOW);

    static DirectoryUser user(String upn, String name, String email, String department, String onPremUpn, String sam) {
        return new DirectoryUser("id-" + upn, upn, name, Optional.ofNullable(email), Optional.ofNullable(department), true, true, 0,
                Optional.empty(), NOW, NOW, Optional.ofNullable(onPremUpn), Optional.ofNullable(sam));
    }

    static Assignments groups(List<String> names) {
        return new Assignments() {
            @Override
            public boolean isAssigned(String appId, String userId) {
                return true;
            }

            @Override
            public List<DirectoryStore.Group> groupsOf(String userId) {
                return names.stream().map(n -> new DirectoryStore.Group("g-" + n, n, Optional.empty(), NOW)).toList();
            }
        };
    }

    static SsoPreview preview(SamlSso saml, DirectoryUser user, Assignments directory) {
        PublishedApp app = new PublishedApp("app1", "HR", URI.create("https://hr.localhost:8443/"), "hr.localhost", "/",
                URI.create("http://hr.corp/"), "g", BackendTimeout.DEFAULT, false, PreAuthentication.DIRECTORY,
                new AccessSettings(false, true, true, false), NOW, NOW, false, new SsoSettings(SsoMethod.SAML, List.of(), null, saml));
        SsoPreviews previews = new SsoPreviews(directory, null, null, new SsoPreviews.Connectors() {
            @Override
            public ConnectorPicker.Reach reach(String groupId, boolean sso) {
                return ConnectorPicker.Reach.READY;
            }

            @Override
            public String groupName(String groupId) {
                return groupId;
            }
        });
        return previews.of(app, user, true);
    }

    /** The NameID and attributes of the response signed for {@code user}, as the service provider reads them. */
    static SsoPreview.Saml assertion(SamlSso saml, DirectoryUser user, Assignments directory) throws Exception {
        SsoIdentity identity = IdentityTokens.identityOf(user, directory.groupsOf(user.id()).stream().map(DirectoryStore.Group::name).toList());
        String nameId = UserValues.nameId(saml, identity).orElseThrow();
        Document doc = SamlResponsesTest.parse(SamlResponses.success(new SamlResponses.Success(saml, "https://login.localhost/saml/app1",
                Optional.empty(), identity, nameId, List.of("pwd"), NOW, NOW.plusSeconds(3600)), KEY, NOW));
        String shown = doc.getElementsByTagNameNS(SamlNames.ASSERTION, "NameID").item(0).getTextContent();
        List<SsoPreview.Attribute> attributes = new ArrayList<>();
        NodeList all = doc.getElementsByTagNameNS(SamlNames.ASSERTION, "Attribute");
        for (int i = 0; i < all.getLength(); i++) {
            Element a = (Element) all.item(i);
            List<String> values = new ArrayList<>();
            NodeList v = a.getElementsByTagNameNS(SamlNames.ASSERTION, "AttributeValue");
            for (int j = 0; j < v.getLength(); j++) {
                values.add(v.item(j).getTextContent());
            }
            attributes.add(new SsoPreview.Attribute(a.getAttribute("Name"), values));
        }
        return new SsoPreview.Saml(saml.nameIdFormat(), shown, attributes);
    }

    @Test
    void everyFormatAndUserShowsWhatTheAssertionCarries() throws Exception {
        List<DirectoryUser> users = List.of(
                user("alice@corp.example", "Alice\u0001 Martin", "alice.martin@corp.example", "Fin\u0000ance", "asmith@CORP", "ASMITH"),
                user("bob@corp.example", "Bob", null, null, null, null),
                user("carol@corp.example", "Carol \uFFFE", "carol@corp.example", null, null, "CAROL"));
        List<Assignments> memberships = List.of(groups(List.of("HR staff", "Everyone", "R&D <lab>")), groups(List.of()),
                groups(List.of("Ops")));
        int compared = 0;
        for (SamlSso.NameIdFormat format : List.of(SamlSso.NameIdFormat.UNSPECIFIED, SamlSso.NameIdFormat.EMAIL_ADDRESS,
                SamlSso.NameIdFormat.PERSISTENT)) {
            for (HeaderSource source : List.of(HeaderSource.UPN, HeaderSource.DISPLAY_NAME, HeaderSource.SAM_ACCOUNT_NAME)) {
                SamlSso saml = new SamlSso(Requests.SP, Requests.ACS, null, format, source, null, ATTRIBUTES, null, null);
                for (int i = 0; i < users.size(); i++) {
                    SsoPreview preview = preview(saml, users.get(i), memberships.get(i));
                    if (preview.saml().nameId() == null) {
                        // No value for the source: the live path refuses the sign-in (a page), and the preview says so.
                        assertThat(UserValues.nameId(saml, IdentityTokens.identityOf(users.get(i), List.of()))).isEmpty();
                        assertThat(preview.problems()).anyMatch(p -> p.contains("for the SAML NameID"));
                        continue;
                    }
                    assertThat(preview.saml()).as(format + " " + source + " " + users.get(i).upn())
                            .isEqualTo(assertion(saml, users.get(i), memberships.get(i)));
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThanOrEqualTo(20);
    }
}
