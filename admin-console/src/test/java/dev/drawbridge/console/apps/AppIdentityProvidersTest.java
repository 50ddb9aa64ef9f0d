package dev.drawbridge.console.apps;

import dev.drawbridge.console.FakeAdminApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.console.apps.AppIdentityProviders.Choice;
import dev.drawbridge.console.apps.AppIdentityProviders.Kind;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.OidcProviderSettings;
import dev.drawbridge.model.api.PreAuthentication;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app editor's identity providers ({@link AppIdentityProviders}) against the fake server: the checklist lists the
 * configured providers by display name and id; "Every provider" when none is chosen; an id the app names whose provider
 * was deleted stays listed (marked deleted, chosen) until unticked, and cannot be ticked again; ticks keep the app's
 * order; when the providers cannot be listed the app's ids show as they are.
 */
class AppIdentityProvidersTest {
    final FakeAdminApi api = new FakeAdminApi();
    final SyncTasks tasks = new SyncTasks();
    final AppsViewModel vm = new AppsViewModel(api.session(), tasks, tasks);
    final AppIdentityProviders providers = vm.identityProviders();

    static OidcProviderSettings provider(String id, String name) {
        return new OidcProviderSettings("https://" + id + ".example.com", "console", "********", name, List.of("openid"), "email",
                null, true, null, false, id, List.of());
    }

    void select(List<String> offered) {
        api.providers.put("corp", provider("corp", "Corp sign-in"));
        api.providers.put("partner", provider("partner", "Partner"));
        api.apps.put("hr", new AppView("hr", "HR", "https://hr.apps.example.com/", "http://hr.corp.local/", "g1", "Default",
                BackendTimeout.DEFAULT, true, PreAuthentication.DIRECTORY, new AccessSettings(true, true, true, false, offered),
                Instant.EPOCH, Instant.EPOCH));
        vm.refresh();
        vm.apps().selectedProperty().set(api.apps.get("hr"));
    }

    @Test
    void theConfiguredProvidersAreListedByNameAndNoneChosenIsEveryProvider() {
        select(List.of());
        assertThat(providers.choices()).extracting(Choice::label).containsExactly("Corp sign-in (corp)", "Partner (partner)");
        assertThat(providers.summary().get()).isEqualTo("Every provider");
        providers.tick(List.of("partner"));
        assertThat(providers.summary().get()).isEqualTo("Partner (partner)");
        assertThat(vm.editor().spec().access().identityProviders()).containsExactly("partner");
    }

    @Test
    void aDeletedProviderStaysShownUntilUntickedAndCannotBeTickedAgain() {
        select(List.of("gone", "corp"));
        assertThat(providers.choices()).containsExactly(new Choice("corp", "Corp sign-in", Kind.CONFIGURED),
                new Choice("partner", "Partner", Kind.CONFIGURED), new Choice("gone", null, Kind.DELETED));
        assertThat(providers.summary().get()).isEqualTo("gone (deleted provider), Corp sign-in (corp)");
        assertThat(vm.editor().spec().access().identityProviders()).as("kept, not silently dropped").containsExactly("gone", "corp");

        providers.tick(List.of("corp", "partner"));
        assertThat(vm.editor().spec().access().identityProviders()).as("the app's order, new ones after").containsExactly("corp", "partner");
        assertThat(providers.choices()).extracting(Choice::id).containsExactly("corp", "partner");
        providers.tick(List.of("corp", "partner", "gone"));
        assertThat(vm.editor().identityProviders()).as("no line, no tick").containsExactly("corp", "partner");
    }

    @Test
    void withoutTheListTheAppsIdsShowAsTheyAre() {
        api.fail("identityProviders.list", 403, "about:blank", "needs DIRECTORY_READ");
        select(List.of("corp"));
        assertThat(providers.choices()).containsExactly(new Choice("corp", null, Kind.UNLISTED));
        assertThat(providers.summary().get()).isEqualTo("corp");
        assertThat(providers.listErrorProperty().get()).startsWith("Could not list the identity providers: Your role does not allow this.");

        api.recover("identityProviders.list");
        vm.refresh();
        assertThat(providers.choices()).extracting(Choice::kind).containsExactly(Kind.CONFIGURED, Kind.CONFIGURED);
        assertThat(providers.listErrorProperty().get()).isEmpty();
    }

    @Test
    void anotherAppLoadedReplacesTheChoice() {
        select(List.of("gone"));
        vm.newApp();
        assertThat(providers.summary().get()).isEqualTo("Every provider");
        assertThat(providers.choices()).extracting(Choice::id).containsExactly("corp", "partner");
    }
}
