package dev.drawbridge.model.api.validation;

import dev.drawbridge.model.api.Problem.FieldError;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Required names, user principal names and passwords, as both the server and its clients check them. */
class NamesTest {
    @Test
    void aNameIsPresentAndAtMostItsLengthOnceStripped() {
        assertThat(Names.check(null, 200)).isEqualTo(Names.Verdict.MISSING);
        assertThat(Names.check("", 200)).isEqualTo(Names.Verdict.MISSING);
        assertThat(Names.check(" \t\n", 200)).isEqualTo(Names.Verdict.MISSING);
        assertThat(Names.check("x".repeat(200), 200)).isEqualTo(Names.Verdict.OK);
        assertThat(Names.check("  " + "x".repeat(200) + "  ", 200)).isEqualTo(Names.Verdict.OK);
        assertThat(Names.check("x".repeat(201), 200)).isEqualTo(Names.Verdict.TOO_LONG);
    }

    @Test
    void theErrorNamesTheFieldAndTheRange() {
        assertThat(Names.required("name", "HR", Names.MAX)).isEmpty();
        assertThat(Names.required("name", null, Names.MAX)).contains(new FieldError("name", "name is required (1 to 200 characters)"));
        assertThat(Names.required("displayName", "x".repeat(101), 100, ", e.g. Contoso ID"))
                .contains(new FieldError("displayName", "displayName is required (1 to 100 characters), e.g. Contoso ID"));
    }

    @Test
    void userPrincipalNamesHaveOneAtAndNoSpaces() {
        assertThat(Upns.valid("ada@corp.example")).isTrue();
        assertThat(Upns.valid("a@b")).isTrue();
        for (String bad : new String[]{null, "", "ada", "@corp", "ada@", "a@b@c", "ada lovelace@corp", "ada@corp example", " ada@corp",
                "x".repeat(201) + "@corp"}) {
            assertThat(Upns.valid(bad)).as(String.valueOf(bad)).isFalse();
        }
    }

    @Test
    void passwordsHaveAtLeastTwelveCharacters() {
        assertThat(Passwords.problem("password", "x".repeat(12))).isEmpty();
        assertThat(Passwords.problem("password", "x".repeat(11))).map(FieldError::message).contains("password must be at least 12 characters");
        assertThat(Passwords.problem("password", null)).isPresent();
        assertThat(Passwords.problem("newPassword", "")).map(FieldError::field).isEqualTo(Optional.of("newPassword"));
    }
}
