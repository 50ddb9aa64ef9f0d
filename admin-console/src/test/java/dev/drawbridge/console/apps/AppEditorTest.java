package dev.drawbridge.console.apps;

import dev.drawbridge.model.api.AppThrottle;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.SsoMethod;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AppEditorTest {
    @Test
    void aNewAppIsInvalidUntilItsUrlsAreSet() {
        AppEditor e = new AppEditor();
        assertThat(e.validProperty().get()).isFalse();
        assertThat(e.errors().found(AppEditor.NAME).get()).isEqualTo("Name is required.");
        e.nameProperty().set("HR");
        e.externalUrlProperty().set("http://hr.apps.example.com/");
        assertThat(e.error(AppEditor.EXTERNAL).get()).isEqualTo("External URL must start with https://");
        e.externalUrlProperty().set("https://hr.apps.example.com/portal");
        assertThat(e.error(AppEditor.EXTERNAL).get()).isEqualTo("External URL path must end with /");
        e.externalUrlProperty().set("https://hr.apps.example.com/");
        e.internalUrlProperty().set("ftp://hr.corp.local/");
        assertThat(e.error(AppEditor.INTERNAL).get()).contains("http:// or https://");
        e.internalUrlProperty().set("http://hr.corp.local:8080/");
        assertThat(e.validProperty().get()).isTrue();
        assertThat(e.spec().name()).isEqualTo("HR");
        assertThat(e.spec().preAuthentication()).isEqualTo(PreAuthentication.PASSTHROUGH);
        assertThat(e.spec().connectorGroup()).isEqualTo("Default");
    }

    /** A wildcard app's URLs are no URLs with a host to java.net.URI; the editor takes them and leaves the rest to the server. */
    @Test
    void aWildcardAppsUrlsAreAccepted() {
        AppEditor e = new AppEditor();
        e.nameProperty().set("Team sites");
        e.externalUrlProperty().set("https://*.apps.example.com/");
        e.internalUrlProperty().set("http://*.corp.local:8080/");
        assertThat(e.error(AppEditor.EXTERNAL).get()).isEmpty();
        assertThat(e.error(AppEditor.INTERNAL).get()).isEmpty();
        assertThat(e.validProperty().get()).isTrue();
        assertThat(e.spec().externalUrl()).isEqualTo("https://*.apps.example.com/");
        e.externalUrlProperty().set("https://*/");
        assertThat(e.error(AppEditor.EXTERNAL).get()).isEqualTo("External URL needs a host name.");
    }

    /** A new app greets the admin with an empty form, not with red: a field's error shows once touched or a save is tried. */
    @Test
    void aNewAppShowsNoErrorUntilAFieldIsTouchedOrASaveIsTried() {
        AppEditor e = new AppEditor();
        for (String f : List.of(AppEditor.NAME, AppEditor.EXTERNAL, AppEditor.INTERNAL, AppEditor.GROUP)) {
            assertThat(e.error(f).get()).as(f).isEmpty();
        }
        e.externalUrlProperty().set("http://hr");
        assertThat(e.error(AppEditor.EXTERNAL).get()).isEqualTo("External URL must start with https://");
        assertThat(e.error(AppEditor.NAME).get()).isEmpty();
        e.errors().touch(AppEditor.NAME);
        assertThat(e.error(AppEditor.NAME).get()).isEqualTo("Name is required.");
        assertThat(e.error(AppEditor.INTERNAL).get()).isEmpty();
        assertThat(e.errors().attempt()).isFalse();
        assertThat(e.error(AppEditor.INTERNAL).get()).startsWith("Internal URL is required");
        assertThat(e.errors().firstShown()).contains(AppEditor.NAME);

        // Loading an app, or starting a new one, is a fresh form again.
        e.clear();
        assertThat(e.error(AppEditor.NAME).get()).isEmpty();
        assertThat(e.error(AppEditor.INTERNAL).get()).isEmpty();
        assertThat(e.validProperty().get()).isFalse();
    }

    @Test
    void serverErrorsLandOnTheirFieldsUntilTheFieldChanges() {
        AppEditor e = new AppEditor();
        e.nameProperty().set("HR");
        e.externalUrlProperty().set("https://hr.apps.example.com/");
        e.internalUrlProperty().set("http://hr.corp.local/");
        String rest = e.applyServerErrors(new Problem("about:blank", "Invalid", 400, "x", List.of(
                new Problem.FieldError("externalUrl", "another app already uses https://hr.apps.example.com/"),
                new Problem.FieldError("somethingElse", "other problem"))));
        assertThat(rest).isEqualTo("other problem");
        assertThat(e.error(AppEditor.EXTERNAL).get()).startsWith("another app already uses");
        assertThat(e.validProperty().get()).isFalse();
        e.externalUrlProperty().set("https://hr2.apps.example.com/");
        assertThat(e.validProperty().get()).isTrue();
    }

    @Test
    void theCaseFlagIsLoadedEditedAndSent() {
        AppEditor e = new AppEditor();
        assertThat(e.caseInsensitivePathsProperty().get()).isFalse();
        e.load(new AppView("id", "IIS app", "https://iis.apps.example.com/hr/", "http://iis.corp/", "g", "Default",
                BackendTimeout.DEFAULT, true, PreAuthentication.PASSTHROUGH, null,
                Instant.EPOCH, Instant.EPOCH, true));
        assertThat(e.caseInsensitivePathsProperty().get()).isTrue();
        assertThat(e.spec().caseInsensitivePaths()).isTrue();
        e.caseInsensitivePathsProperty().set(false);
        assertThat(e.spec().caseInsensitivePaths()).isFalse();
        e.clear();
        assertThat(e.caseInsensitivePathsProperty().get()).isFalse();
    }

    @Test
    void theLinkTranslationFlagIsLoadedKeptAcrossEditsAndSent() {
        AppEditor e = new AppEditor();
        assertThat(e.translateLinksInBodyProperty().get()).isFalse();
        assertThat(e.spec().translateLinksInBody()).isFalse();
        e.load(new AppView("id", "Benefits", "https://benefits.apps.example.com/", "http://benefits/", "g", "Default",
                BackendTimeout.DEFAULT, true, PreAuthentication.PASSTHROUGH, null, Instant.EPOCH, Instant.EPOCH, false, SsoMethod.NONE,
                true));
        assertThat(e.translateLinksInBodyProperty().get()).isTrue();
        // Editing another field sends the flag as it was.
        e.nameProperty().set("Benefits (HR)");
        assertThat(e.spec().translateLinksInBody()).isTrue();
        e.translateLinksInBodyProperty().set(false);
        assertThat(e.spec().translateLinksInBody()).isFalse();
        e.translateLinksInBodyProperty().set(true);
        e.clear();
        assertThat(e.translateLinksInBodyProperty().get()).isFalse();
    }

    @Test
    void theScriptTranslationFlagIsLoadedSentAndNeverSentWithoutBodyTranslation() {
        AppEditor e = new AppEditor();
        assertThat(e.spec().translateLinksInScripts()).isFalse();
        e.load(new AppView("id", "Benefits", "https://benefits.apps.example.com/", "http://benefits/", "g", "Default",
                BackendTimeout.DEFAULT, true, PreAuthentication.PASSTHROUGH, null, Instant.EPOCH, Instant.EPOCH, false, SsoMethod.NONE,
                true, true));
        assertThat(e.translateLinksInScriptsProperty().get()).isTrue();
        assertThat(e.spec().translateLinksInScripts()).isTrue();
        // Turning body translation off turns the scripts' off with it (the server refuses scripts alone).
        e.translateLinksInBodyProperty().set(false);
        assertThat(e.spec().translateLinksInScripts()).isFalse();
        e.clear();
        assertThat(e.translateLinksInScriptsProperty().get()).isFalse();
    }

    /** The app's choice of identity providers: empty offers them all; the chosen ids are sent as a list, in their order. */
    @Test
    void theIdentityProvidersOfferedAreSentAsAList() {
        AppEditor e = new AppEditor();
        assertThat(e.spec().access().identityProviders()).isEmpty();
        e.identityProviders().setAll("partner", "corp");
        assertThat(e.spec().access().identityProviders()).containsExactly("partner", "corp");
        e.identityProviders().clear();
        assertThat(e.spec().access().allowsIdentityProvider("anything")).isTrue();
    }

    @Test
    void theLimitsAreLoadedCheckedAndSent() {
        AppEditor e = new AppEditor();
        e.load(new AppView("id", "Reports", "https://reports.apps.example.com/", "http://reports/", "g", "Default",
                BackendTimeout.LONG, true, PreAuthentication.PASSTHROUGH, null, Instant.EPOCH, Instant.EPOCH, false, SsoMethod.NONE,
                false, new AppThrottle(20, 50), 300));
        assertThat(e.throttleRateProperty().get()).isEqualTo("20");
        assertThat(e.throttleBurstProperty().get()).isEqualTo("50");
        assertThat(e.timeoutSecondsProperty().get()).isEqualTo("300");
        assertThat(e.spec().throttle()).isEqualTo(new AppThrottle(20, 50));
        assertThat(e.spec().backendTimeoutSeconds()).isEqualTo(300);
        // Blank: the server's; a rate alone bursts to twice it.
        e.throttleBurstProperty().set("");
        assertThat(e.spec().throttle()).isEqualTo(new AppThrottle(20, 40));
        e.throttleRateProperty().set(" ");
        e.timeoutSecondsProperty().set("");
        assertThat(e.spec().throttle()).isNull();
        assertThat(e.spec().backendTimeoutSeconds()).isNull();
        assertThat(e.validProperty().get()).isTrue();
        // Malformed numbers stop the save on their field.
        e.throttleRateProperty().set("fast");
        e.throttleBurstProperty().set("0");
        e.timeoutSecondsProperty().set("-3");
        assertThat(e.errors().found(AppEditor.RATE).get()).startsWith("The rate is a whole number");
        assertThat(e.errors().found(AppEditor.BURST).get()).startsWith("The burst is a whole number");
        assertThat(e.errors().found(AppEditor.TIMEOUT_SECONDS).get()).startsWith("The timeout is a whole number");
        assertThat(e.validProperty().get()).isFalse();
        e.throttleRateProperty().set("");
        assertThat(e.errors().found(AppEditor.BURST).get()).isEqualTo("A burst needs a rate.");
        // The server's range check lands on the field.
        e.throttleBurstProperty().set("");
        e.timeoutSecondsProperty().set("900");
        assertThat(e.applyServerErrors(new Problem("about:blank", "Invalid", 400, "x", List.of(
                new Problem.FieldError("backendTimeoutSeconds", "the backend timeout must be from 1 to 600 seconds"))))).isEmpty();
        assertThat(e.error(AppEditor.TIMEOUT_SECONDS).get()).contains("600 seconds");
        e.clear();
        assertThat(e.throttleRateProperty().get()).isEmpty();
        assertThat(e.timeoutSecondsProperty().get()).isEmpty();
    }
}
