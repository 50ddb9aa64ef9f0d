package dev.drawbridge.proxy.forwarding;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves {@link ClientHeaders} against the specification in {@link HeaderSpellings}: every spelling (case, {@code _}
 * or any other token character for {@code -}, at one position or all, mixed) of every listed name is stripped,
 * ordinary headers that merely look alike are kept, and only the canonical X-Forwarded-For counts as such.
 */
class ClientHeadersTest {
    static final List<String> STRIPPED = HeaderSpellings.STRIPPED;
    static final List<String> KEPT = HeaderSpellings.KEPT;

    @ParameterizedTest(name = "{0}")
    @FieldSource("STRIPPED")
    void everySpellingOfAListedNameIsStripped(String canonical) {
        List<String> spellings = HeaderSpellings.of(canonical);
        assertThat(spellings).hasSizeGreaterThan(canonical.contains("-") ? 15 : 3);
        assertThat(spellings).allSatisfy(s -> assertThat(ClientHeaders.isStripped(s)).as(s).isTrue());
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("KEPT")
    void ordinaryHeadersThatLookAlikeAreKept(String name) {
        assertThat(HeaderSpellings.of(name.toLowerCase())).allSatisfy(s -> assertThat(ClientHeaders.isStripped(s)).as(s).isFalse());
    }

    @Test
    void everyTokenSeparatorReadsAsADash() {
        for (char c : HeaderSpellings.SEPARATORS.toCharArray()) {
            assertThat(ClientHeaders.canonical("X" + c + "Drawbridge" + c + "User")).isEqualTo("x-drawbridge-user");
        }
        assertThat(ClientHeaders.canonical("X-REAL-Ip")).isEqualTo("x-real-ip");
    }

    @Test
    void onlyTheCanonicalSpellingIsForwardedFor() {
        assertThat(Stream.of("X-Forwarded-For", "x-forwarded-for", "X-FORWARDED-FOR")).allMatch(ClientHeaders::isForwardedFor);
        assertThat(HeaderSpellings.of("x-forwarded-for").stream().filter(ClientHeaders::isForwardedFor))
                .isNotEmpty().allSatisfy(s -> assertThat(s).isEqualToIgnoringCase("x-forwarded-for"));
        assertThat(ClientHeaders.isForwardedFor("X_Forwarded_For")).isFalse();
        assertThat(ClientHeaders.isForwardedFor("X-Forwarded_For")).isFalse();
    }
}
