package dev.drawbridge.proxy.domains;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DomainNames}: every spelling of one domain (case, trailing dot, surrounding space, Unicode) reads as one
 * canonical name; names that are no domain (one label, empty labels, a wildcard, '%', '@', ':', '/', '_', a label over 63
 * characters, '-' at a label's end) are refused; a domain covers itself and every host under it, never a sibling.
 */
class DomainNamesTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"apps.contoso.com, apps.contoso.com", "Apps.Contoso.COM., apps.contoso.com", "' apps.contoso.com ', apps.contoso.com",
            "bücher.example, xn--bcher-kva.example", "xn--bcher-kva.example, xn--bcher-kva.example", "a-b.c1, a-b.c1"})
    void spellingsOfOneDomainReadAlike(String value, String canonical) {
        assertThat(DomainNames.read(value).canonical()).contains(canonical);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "com", "contoso", ".contoso.com", "contoso..com", "*.contoso.com", "a%2e.contoso.com",
            "u@contoso.com", "contoso.com:443", "contoso.com/x", "a_b.contoso.com", "-a.contoso.com", "a-.contoso.com",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.com", "contoso.com..", "a b.com"})
    void namesThatAreNoDomainAreRefused(String value) {
        assertThat(DomainNames.read(value)).isInstanceOf(DomainNames.Result.Bad.class);
    }

    @ParameterizedTest(name = "{0} on {1}: {2}")
    @CsvSource({"apps.contoso.com, apps.contoso.com, true", "hr.apps.contoso.com, apps.contoso.com, true",
            "*.apps.contoso.com, apps.contoso.com, true", "a.b.apps.contoso.com, apps.contoso.com, true",
            "HR.Apps.Contoso.com., apps.contoso.com, true", "evilapps.contoso.com, apps.contoso.com, false",
            "contoso.com, apps.contoso.com, false", "apps.contoso.com.evil.com, apps.contoso.com, false"})
    void aDomainCoversItselfAndTheHostsUnderIt(String host, String domain, boolean covered) {
        assertThat(DomainNames.covers(domain, host)).isEqualTo(covered);
    }
}
