package dev.drawbridge.console.apps.sso;

import dev.drawbridge.console.apps.AppsViewModel;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.AssignmentView;
import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.KerberosGroupView;
import dev.drawbridge.model.api.KerberosSso;
import dev.drawbridge.model.api.KerberosSso.LoginIdentity;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.SamlAttribute;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoPreview;
import dev.drawbridge.model.api.SsoPreviewRequest;
import dev.drawbridge.model.api.SsoSettings;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "Test as user" against the console's fake admin API, which works the preview out from its users, assignments, stored
 * passwords and Kerberos settings: the draft (not saved) goes with the user picked from the server's search; the answer is
 * shown in parts (problems, headers, Kerberos, password, NameID and attributes); a draft the rules refuse, or no user, is
 * not sent and says why; the server's refusals are sentences (its field errors on the section's fields), a server without
 * the endpoint is said so; an answer goes stale when the settings change and away with another app; a security reader
 * tests too.
 */
class TestAsUserTest extends SsoFixture {
    final TestAsUser test = sso.test();

    void pick(String search) {
        test.searchProperty().set(search);
        test.search();
    }

    String detail(String key) {
        return test.details().stream().filter(d -> d.key().equals(key)).findFirst().orElseThrow().value();
    }

    @Test
    void theDraftIsPreviewedForThePickedUserHeadersAndProblemsShown() {
        select(app("hr"));
        sso.methodProperty().set(SsoMethod.HEADERS);
        SsoHeaderRow user = sso.headers().rows().getFirst();
        user.nameProperty().set("X-Remote-User");
        user.beforeAtProperty().set(true);
        SsoHeaderRow groups = sso.headers().add();
        groups.nameProperty().set("X-Groups");
        groups.sourceProperty().set(HeaderSource.GROUPS);
        groups.lowerCaseProperty().set(true);
        groups.separatorProperty().set(";");
        SsoHeaderRow mail = sso.headers().add();
        mail.nameProperty().set("X-Mail");
        mail.sourceProperty().set(HeaderSource.EMAIL);

        pick("alice");
        assertThat(test.users()).containsExactly(ALICE);
        assertThat(test.userProperty().get()).isEqualTo(ALICE);
        sso.testAsUser();
        // The draft goes, not the stored settings (there are none).
        assertThat(api.body("apps.previewSso hr")).isEqualTo(new SsoPreviewRequest("alice@contoso.com", sso.settings()));
        assertThat(api.sso).doesNotContainKey("hr");
        assertThat(test.messageProperty().get()).isEmpty();
        assertThat(test.headers()).containsExactly(new SsoPreview.Header("X-Remote-User", "alice"),
                new SsoPreview.Header("X-Groups", "finance;vpn users"), new SsoPreview.Header("X-Mail", "alice@contoso.com"));
        assertThat(test.summaryProperty().get()).startsWith("The connector would set these headers for alice@contoso.com");
        // Assignment is required and Alice is not assigned: said first.
        assertThat(test.problems()).containsExactly("alice@contoso.com is not assigned to HR, which requires assignment: they cannot open it");

        // Bob (assigned) has no group and no e-mail: no such header, and why.
        api.assignments.put("hr", List.of(new AssignmentView("hr", "USER", "u-bob", "bob@contoso.com", Instant.EPOCH)));
        test.userProperty().set(BOB);
        sso.testAsUser();
        assertThat(test.headers()).containsExactly(new SsoPreview.Header("X-Remote-User", "bob"));
        assertThat(test.problems()).containsExactly("header X-Groups is not sent: bob@contoso.com has no groups",
                "header X-Mail is not sent: bob@contoso.com has no email");
    }

    @Test
    void aTypedUpnIsTestedWhenNobodyIsPicked() {
        select(app("hr"));
        test.searchProperty().set(" bob@contoso.com ");
        assertThat(test.who()).isEqualTo("bob@contoso.com");
        sso.testAsUser();
        assertThat(((SsoPreviewRequest) api.body("apps.previewSso hr")).user()).isEqualTo("bob@contoso.com");
        assertThat(test.summaryProperty().get()).startsWith("Single sign-on is off: HR's backend gets each request of bob@contoso.com");

        test.searchProperty().set("nobody@contoso.com");
        sso.testAsUser();
        assertThat(test.resultProperty().get()).isNull();
        assertThat(test.messageProperty().get()).isEqualTo("Could not test as nobody@contoso.com: Invalid request: invalid\n"
                + "• no user 'nobody@contoso.com'");
        assertThat(sso.errorProperty().get()).isEmpty();
    }

    @Test
    void kerberosShowsThePrincipalServiceAndWhenTheTicketGoes() {
        api.kerberos.put("g1", new KerberosGroupView("CORP.CONTOSO.COM", List.of("dc1"), "HTTP/connector@CORP.CONTOSO.COM",
                List.of("HTTP/connector@CORP.CONTOSO.COM"), Instant.EPOCH));
        api.sso.put("hr", new SsoSettings(SsoMethod.KERBEROS, List.of(), new KerberosSso("HTTP/hr.corp.contoso.com",
                LoginIdentity.ON_PREM_SAM, true), null));
        select(app("hr"));
        pick("alice");
        sso.testAsUser();
        assertThat(detail("principal")).isEqualTo("alice@CORP.CONTOSO.COM");
        assertThat(detail("spn")).isEqualTo("HTTP/hr.corp.contoso.com");
        assertThat(detail("up-front")).isEqualTo("Up front, with each request");
        assertThat(test.headers()).isEmpty();

        // Bob has no on-premises account: no principal, and the problem says so.
        test.userProperty().set(BOB);
        sso.kerberos().upFrontProperty().set(false);
        sso.testAsUser();
        assertThat(detail("principal")).isEqualTo("None: see the problems");
        assertThat(detail("up-front")).isEqualTo("After the backend's 401 Negotiate");
        assertThat(test.problems()).anyMatch(p -> p.contains("has no on-premises SAM account name"));
    }

    @Test
    void passwordVaultingSaysWhoseCredentialAndWhetherOneIsStoredNeverWhich() {
        api.sso.put("hr", SsoSettings.basic(BasicSso.SHARED));
        select(app("hr"));
        pick("alice");
        sso.testAsUser();
        assertThat(detail("credentials")).isEqualTo("Shared (one for every user, e.g. a service account)");
        assertThat(detail("stored")).isEqualTo("No: set the shared user name and password");
        assertThat(test.problems()).contains("the app has no shared user name and password: set them first");

        sso.password().shared().usernameProperty().set("svc-hr");
        sso.password().shared().passwordProperty().set("secret");
        sso.password().shared().set();
        sso.testAsUser();
        assertThat(detail("stored")).isEqualTo("Yes (never shown)");
        assertThat(test.problems()).noneMatch(p -> p.contains("shared"));

        // Each user's own: Alice stored hers, Bob did not.
        api.storedPasswords.put("hr", Set.of(ALICE.id()));
        sso.password().credentialsProperty().set(BasicSso.Credentials.USER);
        sso.testAsUser();
        assertThat(detail("stored")).isEqualTo("Yes (never shown)");
        test.userProperty().set(BOB);
        sso.testAsUser();
        assertThat(detail("stored")).isEqualTo("No: the user is asked for them in My Apps first");
        assertThat(String.join(" ", test.problems()) + test.details()).doesNotContain("secret");
    }

    @Test
    void samlShowsTheNameIdAndTheAttributesWithTheirValues() {
        api.sso.put("hr", new SsoSettings(SsoMethod.SAML, List.of(), null, new SamlSso("urn:hr", "https://hr.apps.example.com/acs",
                null, SamlSso.NameIdFormat.EMAIL_ADDRESS, null, null, List.of(SamlAttribute.of("groups", HeaderSource.GROUPS),
                new SamlAttribute("dept", HeaderSource.CLAIM, "department", null)), null, null)));
        select(app("hr"));
        pick("alice");
        sso.testAsUser();
        assertThat(detail("name-id")).isEqualTo("alice@contoso.com");
        assertThat(detail("name-id-format")).isEqualTo("E-mail address (urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress)");
        assertThat(test.attributes()).containsExactly(new SsoPreview.Attribute("groups", List.of("Finance", "VPN users")),
                new SsoPreview.Attribute("dept", List.of("Finance")));

        sso.saml().nameIdFormatProperty().set(SamlSso.NameIdFormat.TRANSIENT);
        sso.testAsUser();
        assertThat(detail("name-id")).isEqualTo("A random id, new at each sign-in");
    }

    @Test
    void aDraftTheRulesRefuseIsNotSentAndTheSectionSaysWhy() {
        select(app("hr"));
        sso.methodProperty().set(SsoMethod.HEADERS);
        sso.headers().rows().getFirst().nameProperty().set("Authorization");
        pick("alice");
        sso.testAsUser();
        assertThat(api.calls()).noneMatch(c -> c.startsWith("apps.previewSso"));
        assertThat(test.messageProperty().get()).startsWith("Not tested: the settings have an error, shown on their fields. Fix them first:"
                + " 'Authorization' is reserved");
        assertThat(sso.headers().rows().getFirst().error(SsoHeaderRow.NAME).get()).contains("is reserved");

        // Nobody picked or typed: nothing is asked either.
        sso.headers().rows().getFirst().nameProperty().set("X-Remote-User");
        test.userProperty().set(null);
        test.searchProperty().set("");
        sso.testAsUser();
        assertThat(api.calls()).noneMatch(c -> c.startsWith("apps.previewSso"));
        assertThat(test.messageProperty().get()).isEqualTo("Pick a user to test as (find them by name or UPN).");
    }

    @Test
    void theServersRefusalsAreSentencesAndItsFieldErrorsLandOnTheFields() {
        select(app("hr"));
        pick("alice");
        api.fail("apps.previewSso", 500, "about:blank", "the database is down");
        sso.testAsUser();
        assertThat(test.messageProperty().get()).isEqualTo("Could not test as alice@contoso.com: Problem: the database is down");
        assertThat(test.messageProperty().get()).doesNotContain("Exception", "\tat ");
        assertThat(tasks.notices).contains("error: Could not test the single sign-on of HR as alice@contoso.com: Problem: the database is down");
        assertThat(test.resultProperty().get()).isNull();

        api.fail("apps.previewSso", 404, "about:blank", "no such endpoint; GET /api/v1/openapi.json lists them");
        sso.testAsUser();
        assertThat(test.messageProperty().get()).isEqualTo(TestAsUser.NOT_OFFERED);

        // What only the server checks of a draft lands on its field, as a save's would.
        api.fail("apps.previewSso", 400, "about:blank", "invalid", new Problem.FieldError("forms.loginPath", "the server refuses this path"));
        sso.methodProperty().set(SsoMethod.FORMS);
        sso.password().loginPathProperty().set("/login");
        sso.testAsUser();
        assertThat(error(SsoPassword.LOGIN_PATH)).isEqualTo("the server refuses this path");
        assertThat(test.messageProperty().get()).startsWith("Could not test as alice@contoso.com: Problem: invalid");
    }

    @Test
    void anAnswerGoesStaleWhenTheSettingsChangeAndAwayWithAnotherApp() {
        api.sso.put("hr", SsoSettings.headers(List.of(HeaderRule.of("X-Remote-User", HeaderSource.UPN))));
        select(app("hr"));
        pick("alice");
        sso.testAsUser();
        assertThat(test.resultProperty().get()).isNotNull();
        assertThat(test.staleProperty().get()).isFalse();
        sso.headers().rows().getFirst().lowerCaseProperty().set(true);
        assertThat(test.staleProperty().get()).isTrue();
        sso.testAsUser();
        assertThat(test.staleProperty().get()).isFalse();

        select(app("wiki"));
        assertThat(test.resultProperty().get()).isNull();
        assertThat(test.headers()).isEmpty();
        assertThat(test.userProperty().get()).isNull();
    }

    @Test
    void aSecurityReaderTestsAsAUserThoughTheyChangeNothing() {
        api.sso.put("hr", SsoSettings.headers(List.of(HeaderRule.of("X-Remote-User", HeaderSource.UPN))));
        api.apps.put("hr", app("hr"));
        AppsViewModel reader = new AppsViewModel(api.session(Permissions.of(List.of(AdminRole.SECURITY_READER))), tasks, tasks);
        reader.refresh();
        reader.apps().selectedProperty().set(api.apps.get("hr"));
        reader.sso().test().searchProperty().set("alice");
        reader.sso().test().search();
        reader.sso().testAsUser();
        assertThat(reader.sso().test().headers()).containsExactly(new SsoPreview.Header("X-Remote-User", "alice@contoso.com"));
    }
}
