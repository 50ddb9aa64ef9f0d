package dev.drawbridge.console.session;

import dev.drawbridge.adminclient.AdminApiException;
import dev.drawbridge.console.session.FieldErrors.Field;
import dev.drawbridge.model.api.Problem;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FieldErrorsTest {
    final StringProperty name = new SimpleStringProperty("");
    final StringProperty url = new SimpleStringProperty("");
    final SimpleBooleanProperty strict = new SimpleBooleanProperty(false);
    final FieldErrors errors = new FieldErrors(List.of(Field.of("name", name), Field.of("url", url)), () -> {
        Map<String, String> e = new LinkedHashMap<>();
        if (name.get().isBlank()) {
            e.put("name", "Name is required.");
        }
        if (url.get().isBlank() || (strict.get() && !url.get().startsWith("https://"))) {
            e.put("url", "URL is required.");
        }
        return e;
    }, strict);

    @Test
    void anUntouchedFieldShowsNoErrorButTheFormIsInvalid() {
        assertThat(errors.error("name").get()).isEmpty();
        assertThat(errors.error("url").get()).isEmpty();
        assertThat(errors.found("name").get()).isEqualTo("Name is required.");
        assertThat(errors.valid().get()).isFalse();
        assertThat(errors.firstShown()).isEmpty();
    }

    @Test
    void anEditedFieldShowsItsErrorAndOnlyIts() {
        name.set("x");
        name.set("");
        assertThat(errors.error("name").get()).isEqualTo("Name is required.");
        assertThat(errors.error("url").get()).isEmpty();
    }

    @Test
    void aFieldTheAdminLeftShowsItsError() {
        errors.touch("url");
        assertThat(errors.error("url").get()).isEqualTo("URL is required.");
        assertThat(errors.error("name").get()).isEmpty();
    }

    @Test
    void aTriedSaveShowsEveryErrorAndSaysWhetherTheFormIsValid() {
        assertThat(errors.attempt()).isFalse();
        assertThat(errors.error("name").get()).isEqualTo("Name is required.");
        assertThat(errors.error("url").get()).isEqualTo("URL is required.");
        assertThat(errors.firstShown()).contains("name");
        name.set("HR");
        url.set("https://hr/");
        assertThat(errors.attempt()).isTrue();
        assertThat(errors.firstShown()).isEmpty();
    }

    @Test
    void anInputAnotherFieldsCheckReadsChecksAgainWithoutTouching() {
        url.set("http://hr/");
        assertThat(errors.error("url").get()).isEmpty();
        strict.set(true);
        assertThat(errors.error("url").get()).isEqualTo("URL is required.");
        assertThat(errors.error("name").get()).isEmpty();
    }

    @Test
    void resetMakesAFreshForm() {
        errors.attempt();
        name.set("loaded");
        errors.reset();
        url.set("");
        assertThat(errors.error("url").get()).isEmpty();
        assertThat(errors.found("url").get()).isEqualTo("URL is required.");
    }

    @Test
    void theServersErrorsShowAtOnceUntilTheirFieldChanges() {
        name.set("HR");
        url.set("https://hr/");
        errors.reset();
        String rest = errors.applyServer(new Problem("about:blank", "Invalid", 400, "x", List.of(
                new Problem.FieldError("url", "another app uses https://hr/"), new Problem.FieldError("name", "taken"),
                new Problem.FieldError("body", "something else"))));
        assertThat(rest).isEqualTo("something else");
        assertThat(errors.error("url").get()).isEqualTo("another app uses https://hr/");
        assertThat(errors.error("name").get()).isEqualTo("taken");
        url.set("https://hr2/");
        assertThat(errors.error("url").get()).isEmpty();
        assertThat(errors.error("name").get()).isEqualTo("taken");
        assertThat(errors.valid().get()).isFalse();
    }

    @Test
    void aFailedSaveSaysWhatNoFieldShows() {
        name.set("HR");
        url.set("https://hr/");
        AdminApiException fieldOnly = AdminApiException.of(new Problem("about:blank", "Invalid", 400, "invalid",
                List.of(new Problem.FieldError("url", "taken"))));
        errors.failed(fieldOnly);
        assertThat(errors.other().get()).isEmpty();
        assertThat(errors.error("url").get()).isEqualTo("taken");

        AdminApiException conflict = AdminApiException.of(new Problem("about:blank", "Conflict", 409, "name in use", List.of()));
        assertThat(errors.failed(conflict)).isEqualTo("Conflict: name in use");
        assertThat(errors.other().get()).isEqualTo("Conflict: name in use");
        name.set("HR 2");
        assertThat(errors.other().get()).isEmpty();
    }
}
