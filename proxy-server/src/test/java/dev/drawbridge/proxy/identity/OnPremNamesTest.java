package dev.drawbridge.proxy.identity;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The on-premises names a user may be named by, by class of malformation: every character class that is invisible,
 * splits a line or a header, or is private or unassigned; white space around; the length bounds; a UPN without
 * exactly one {@code @}; every character Active Directory forbids in a SAM account name (among them the {@code \} and
 * {@code @} that would make it pose as {@code DOMAIN\name} or {@code name@REALM}); and the ordinary names that pass.
 */
class OnPremNamesTest {
    /** One of each class no name may hold, in the middle of an otherwise good name. */
    static final List<String> BAD_CHARACTERS = List.of("\u0000", "\t", "\n", "\r", "\u007F", "\u0085", "\u00AD", "\u200B", "\u200E",
            "\u202E", "\u2028", "\u2029", "\uFEFF", "\uE000", "\uFFFF", "\uD800", "\uDC00", new String(Character.toChars(0xE0041)),
            new String(Character.toChars(0xF0000)));

    @Test
    void ordinaryNamesPass() {
        for (String upn : List.of("alice@corp.example", "Alice.Smith@CORP.EXAMPLE", "o'brien@corp.example", "jürgen.müller@firma.de",
                "a@b", "first last@corp.example", "李@corp.example", "x".repeat(1011) + "@corp.example")) {
            assertThat(OnPremNames.upnProblem(upn)).as(upn).isEmpty();
        }
        for (String sam : List.of("alice", "ASmith", "o'brien", "jürgen.müller", "first last", "svc-web_01$", "李", "x".repeat(256),
                "a" + new String(Character.toChars(0x1F600)))) {
            assertThat(OnPremNames.samProblem(sam)).as(sam).isEmpty();
        }
    }

    @Test
    void everyInvisibleOrLineBreakingCharacterIsRefusedInBoth() {
        for (String c : BAD_CHARACTERS) {
            String label = String.format("U+%04X", c.codePointAt(0));
            assertThat(OnPremNames.upnProblem("al" + c + "ice@corp.example")).as(label).hasValueSatisfying(p -> assertThat(p).contains("U+"));
            assertThat(OnPremNames.samProblem("al" + c + "ice")).as(label).hasValueSatisfying(p -> assertThat(p).contains("U+"));
        }
    }

    @Test
    void emptyPaddedAndOverlongNamesAreRefused() {
        for (String upn : List.of("", " alice@corp.example", "alice@corp.example ", "\u3000alice@corp.example", "x".repeat(1012) + "@corp.example")) {
            assertThat(OnPremNames.upnProblem(upn)).as("[" + upn + "]").isPresent();
        }
        for (String sam : List.of("", " alice", "alice ", "\u00A0alice", "x".repeat(257))) {
            assertThat(OnPremNames.samProblem(sam)).as("[" + sam + "]").isPresent();
        }
    }

    @Test
    void aUpnHasExactlyOneAtWithSomethingOnEachSide() {
        for (String upn : List.of("alice", "@corp.example", "alice@", "alice@corp@example", "alice@@corp.example", "a@b@c")) {
            assertThat(OnPremNames.upnProblem(upn)).as(upn).hasValueSatisfying(p -> assertThat(p).contains("exactly one @"));
        }
    }

    @Test
    void everyCharacterActiveDirectoryForbidsInASamAccountNameIsRefusedWhateverTheDirectory() {
        for (char c : "\"/\\[]:;|=,+*?<>@".toCharArray()) {
            assertThat(OnPremNames.samProblem("CORP" + c + "admin")).as(String.valueOf(c)).hasValueSatisfying(p -> assertThat(p).contains("'" + c + "'"));
        }
        for (String sam : List.of(".", "...", ". .")) {
            assertThat(OnPremNames.samProblem(sam)).as("[" + sam + "]").isPresent();
        }
    }
}
