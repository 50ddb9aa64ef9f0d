package dev.drawbridge.console.directory;

import dev.drawbridge.console.FakeAdminApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.model.api.OidcProviderSettings;
import dev.drawbridge.model.api.Problem;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.drawbridge.console.directory.IdentityProviderViewModel.CLIENT_ID;
import static dev.drawbridge.console.directory.IdentityProviderViewModel.CLIENT_SECRET;
import static dev.drawbridge.console.directory.IdentityProviderViewModel.DISPLAY_NAME;
import static dev.drawbridge.console.directory.IdentityProviderViewModel.GROUPS_CLAIM;
import static dev.drawbridge.console.directory.IdentityProviderViewModel.ISSUER;
import static dev.drawbridge.console.directory.IdentityProviderViewModel.SCOPES;
import static org.assertj.core.api.Assertions.assertThat;

class IdentityProviderViewModelTest {
    final FakeAdminApi api = new FakeAdminApi();
    final SyncTasks tasks = new SyncTasks();
    final IdentityProviderViewModel vm = new IdentityProviderViewModel(api, tasks, tasks);

    static OidcProviderSettings saved() {
        return new OidcProviderSettings("https://idp.corp.example/realms/corp", "drawbridge", "********", "Contoso ID",
                List.of("openid", "profile", "email"), "email", "groups", true, "https://signin.apps.example.com/federation/callback");
    }

    @Test
    void fieldsAreCheckedAsTheAdminTypes() {
        vm.refresh();
        assertThat(vm.configuredProperty().get()).isFalse();
        assertThat(vm.redirectUriProperty().get()).isEmpty();
        assertThat(vm.errors().valid().get()).isFalse();
        vm.issuerProperty().set("http://idp.corp.example");
        assertThat(vm.errors().error(ISSUER).get()).startsWith("Issuer must start with https://");
        vm.issuerProperty().set("http://127.0.0.1:9999/realms/test");
        assertThat(vm.errors().error(ISSUER).get()).isEmpty();
        vm.issuerProperty().set("https://idp.corp.example/?tenant=1");
        assertThat(vm.errors().error(ISSUER).get()).contains("query");
        vm.issuerProperty().set("https://idp.corp.example/realms/corp");
        // Fields the admin has not touched yet show nothing; a save that is tried shows them all and sends nothing.
        assertThat(vm.errors().error(CLIENT_ID).get()).isEmpty();
        assertThat(vm.errors().found(CLIENT_ID).get()).startsWith("Client ID is required");
        vm.save();
        assertThat(api.calls()).containsExactly("identityProviders.list", "identityProviders.get oidc");
        assertThat(vm.errors().error(CLIENT_ID).get()).startsWith("Client ID is required");
        assertThat(vm.errors().error(CLIENT_SECRET).get()).startsWith("Client secret is required");
        assertThat(vm.errors().error(DISPLAY_NAME).get()).startsWith("Display name is required");
        assertThat(vm.errors().firstShown()).contains(CLIENT_ID);
        vm.scopesProperty().set("openid \"profile\"");
        assertThat(vm.errors().error(SCOPES).get()).contains("'\"profile\"' is not a scope");
        vm.scopesProperty().set("openid profile, email");
        vm.groupsClaimProperty().set("my groups");
        assertThat(vm.errors().error(GROUPS_CLAIM).get()).contains("claim name");
        vm.groupsClaimProperty().set("");
        vm.clientIdProperty().set("drawbridge");
        vm.clientSecretProperty().set("s3cret");
        vm.displayNameProperty().set("Contoso ID");
        assertThat(vm.errors().valid().get()).isTrue();
        assertThat(vm.settings().scopes()).containsExactly("openid", "profile", "email");
        assertThat(vm.settings().groupsClaim()).isNull();
    }

    @Test
    void aNewIssuerOrClientIdAsksForTheSecretAgainAndLinkingIsSent() {
        api.oidc = saved();
        vm.refresh();
        assertThat(vm.errors().valid().get()).isTrue();
        assertThat(vm.linkByVerifiedEmailProperty().get()).isFalse();
        vm.issuerProperty().set("https://attacker.example/realms/corp");
        assertThat(vm.errors().found(CLIENT_SECRET).get()).startsWith("Enter the client secret again");
        vm.issuerProperty().set("https://idp.corp.example/realms/corp");
        assertThat(vm.errors().found(CLIENT_SECRET).get()).isEmpty();
        vm.clientIdProperty().set("other-client");
        assertThat(vm.errors().found(CLIENT_SECRET).get()).startsWith("Enter the client secret again");
        vm.clientSecretProperty().set("the other client's secret");
        assertThat(vm.errors().valid().get()).isTrue();
        vm.linkByVerifiedEmailProperty().set(true);
        assertThat(vm.settings().linkByVerifiedEmail()).isTrue();
    }

    @Test
    void theSecretIsWriteOnlyAndTheRedirectUriIsShown() {
        api.oidc = saved();
        vm.refresh();
        assertThat(vm.configuredProperty().get()).isTrue();
        assertThat(vm.secretStoredProperty().get()).isTrue();
        assertThat(vm.clientSecretProperty().get()).isEmpty();
        assertThat(vm.errors().valid().get()).isTrue();
        assertThat(vm.redirectUriProperty().get()).isEqualTo("https://signin.apps.example.com/federation/callback");
        assertThat(vm.stateProperty().get()).contains("Sign in with Contoso ID");

        vm.displayNameProperty().set("Corp ID");
        vm.save();
        OidcProviderSettings sent = (OidcProviderSettings) api.body("identityProviders.replace oidc");
        assertThat(sent.clientSecret()).isNull();
        assertThat(sent.redirectUri()).isNull();
        assertThat(sent.displayName()).isEqualTo("Corp ID");

        vm.clientSecretProperty().set("new-secret");
        vm.save();
        assertThat(((OidcProviderSettings) api.body("identityProviders.replace oidc")).clientSecret()).isEqualTo("new-secret");
        assertThat(vm.clientSecretProperty().get()).isEmpty();
        assertThat(vm.secretStoredProperty().get()).isTrue();
        assertThat(vm.dirtyProperty().get()).isFalse();
        assertThat(tasks.notices).anyMatch(n -> n.equals("info: Identity provider saved: Register "
                + "https://signin.apps.example.com/federation/callback at https://idp.corp.example/realms/corp"));
    }

    @Test
    void theServersFieldErrorsLandOnTheFieldsAndRemoveForgetsTheProvider() {
        api.oidc = saved();
        vm.refresh();
        api.fail("identityProviders.replace", 400, "about:blank", "invalid",
                new Problem.FieldError("clientId", "clientId is required (1 to 500 characters)"),
                new Problem.FieldError("other", "something else"));
        vm.save();
        assertThat(vm.errors().error(CLIENT_ID).get()).isEqualTo("clientId is required (1 to 500 characters)");
        assertThat(tasks.notices).anyMatch(n -> n.equals("error: Could not save the identity provider: something else"));

        vm.remove();
        assertThat(api.calls()).contains("identityProviders.delete oidc");
        assertThat(api.oidc).isNull();
        assertThat(vm.configuredProperty().get()).isFalse();
        assertThat(vm.redirectUriProperty().get()).isEmpty();
        assertThat(vm.issuerProperty().get()).isEmpty();
    }

    @Test
    void severalProvidersAreListedChosenAddedWithTheirDomainsAndDeleted() {
        api.oidc = saved();
        vm.refresh();
        assertThat(vm.providers()).extracting(OidcProviderSettings::id).containsExactly("oidc");
        vm.newProvider();
        assertThat(vm.configuredProperty().get()).isFalse();
        assertThat(vm.errors().found(IdentityProviderViewModel.ID).get()).startsWith("ID is required");
        vm.providerIdProperty().set("Partner SSO");
        assertThat(vm.errors().found(IdentityProviderViewModel.ID).get()).startsWith("ID is required");
        vm.providerIdProperty().set("partner");
        vm.issuerProperty().set("https://partner.example/");
        vm.clientIdProperty().set("drawbridge");
        vm.clientSecretProperty().set("partner secret");
        vm.displayNameProperty().set("Partner ID");
        vm.emailDomainsProperty().set("*.partner.example");
        assertThat(vm.errors().found(IdentityProviderViewModel.EMAIL_DOMAINS).get()).contains("no wildcards");
        vm.emailDomainsProperty().set("partner.example, partner.test");
        assertThat(vm.errors().valid().get()).isTrue();
        vm.save();
        OidcProviderSettings sent = (OidcProviderSettings) api.body("identityProviders.replace partner");
        assertThat(sent.id()).isEqualTo("partner");
        assertThat(sent.emailDomains()).containsExactly("partner.example", "partner.test");
        assertThat(vm.configuredProperty().get()).isTrue();
        assertThat(vm.providers()).extracting(OidcProviderSettings::id).containsExactly("oidc", "partner");

        vm.select("oidc");
        assertThat(vm.displayNameProperty().get()).isEqualTo("Contoso ID");
        assertThat(vm.emailDomainsProperty().get()).isEmpty();
        vm.select("partner");
        assertThat(vm.emailDomainsProperty().get()).isEqualTo("partner.example partner.test");
        vm.remove();
        assertThat(api.calls()).contains("identityProviders.delete partner");
        assertThat(vm.providers()).extracting(OidcProviderSettings::id).containsExactly("oidc");
    }
}
