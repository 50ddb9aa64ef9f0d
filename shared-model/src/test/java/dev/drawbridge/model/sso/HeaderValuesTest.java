package dev.drawbridge.model.sso;

import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A header rule's value: each source, each transformation in its fixed order, joining, absent attributes giving no
 * header, control characters (a CRLF in a federation claim) never reaching the value, an oversize value refused.
 */
class HeaderValuesTest {
    private static final SsoIdentity ALICE = new SsoIdentity("u-1", "Alice.Smith@Contoso.com", "Alice Smith",
            Optional.of("alice@contoso.com"), Optional.of("asmith@corp.contoso.local"), Optional.of("ASMITH"),
            List.of("HR", "Admins@Contoso"), Map.of("department", "Finance", "evil", "x\r\nX-Admin: yes"));
    private static final SsoIdentity BOB = new SsoIdentity("u-2", "bob@contoso.com", "Bob", Optional.empty(),
            Optional.empty(), Optional.empty(), List.of(), Map.of());

    private static Optional<String> value(HeaderRule r, SsoIdentity u) throws Exception {
        return HeaderValues.of(r, u);
    }

    private static HeaderRule rule(HeaderSource s, boolean beforeAt, boolean lower, String prefix, String sep) {
        return new HeaderRule("X-H", s, null, beforeAt, lower, prefix, sep);
    }

    @Test
    void eachSourceAsItIs() throws Exception {
        assertThat(value(HeaderRule.of("X-H", HeaderSource.UPN), ALICE)).contains("Alice.Smith@Contoso.com");
        assertThat(value(HeaderRule.of("X-H", HeaderSource.OBJECT_ID), ALICE)).contains("u-1");
        assertThat(value(HeaderRule.of("X-H", HeaderSource.DISPLAY_NAME), ALICE)).contains("Alice Smith");
        assertThat(value(HeaderRule.of("X-H", HeaderSource.EMAIL), ALICE)).contains("alice@contoso.com");
        assertThat(value(HeaderRule.of("X-H", HeaderSource.ON_PREM_UPN), ALICE)).contains("asmith@corp.contoso.local");
        assertThat(value(HeaderRule.of("X-H", HeaderSource.SAM_ACCOUNT_NAME), ALICE)).contains("ASMITH");
        assertThat(value(HeaderRule.of("X-H", HeaderSource.GROUPS), ALICE)).contains("HR, Admins@Contoso");
        assertThat(value(new HeaderRule("X-H", HeaderSource.CLAIM, "department", false, false, null, null), ALICE)).contains("Finance");
    }

    @Test
    void absentAttributesGiveNoHeader() throws Exception {
        for (HeaderSource s : List.of(HeaderSource.EMAIL, HeaderSource.ON_PREM_UPN, HeaderSource.SAM_ACCOUNT_NAME, HeaderSource.GROUPS)) {
            assertThat(value(HeaderRule.of("X-H", s), BOB)).as(s.name()).isEmpty();
        }
        assertThat(value(new HeaderRule("X-H", HeaderSource.CLAIM, "department", false, false, null, null), BOB)).isEmpty();
    }

    @Test
    void transformationsApplyInOrderToEachValueThenJoin() throws Exception {
        assertThat(value(rule(HeaderSource.UPN, true, false, null, null), ALICE)).contains("Alice.Smith");
        assertThat(value(rule(HeaderSource.UPN, false, true, null, null), ALICE)).contains("alice.smith@contoso.com");
        assertThat(value(rule(HeaderSource.UPN, true, true, "CONTOSO\\", null), ALICE)).contains("CONTOSO\\alice.smith");
        // The prefix is not lower-cased: it comes after lowerCase.
        assertThat(value(rule(HeaderSource.GROUPS, true, true, "G:", ";"), ALICE)).contains("G:hr;G:admins");
        assertThat(value(rule(HeaderSource.DISPLAY_NAME, true, false, null, null), ALICE)).contains("Alice Smith");
    }

    @Test
    void controlCharactersNeverReachTheValue() throws Exception {
        Optional<String> v = value(new HeaderRule("X-H", HeaderSource.CLAIM, "evil", false, false, null, null), ALICE);
        assertThat(v).contains("xX-Admin: yes");
        SsoIdentity odd = new SsoIdentity("u", "u@x", "a\u0000b\u0085c\u2028d\u007fe\tf", Optional.empty(), Optional.empty(),
                Optional.empty(), List.of("\r\n", "ok"), Map.of());
        assertThat(value(HeaderRule.of("X-H", HeaderSource.DISPLAY_NAME), odd)).contains("abcdef");
        // A group that is only control characters is left out, not joined as an empty value.
        assertThat(value(HeaderRule.of("X-H", HeaderSource.GROUPS), odd)).contains("ok");
    }

    @Test
    void anOversizeValueIsRefusedNotCut() {
        SsoIdentity many = new SsoIdentity("u", "u@x", "n", Optional.empty(), Optional.empty(), Optional.empty(),
                Collections.nCopies(2000, "group-with-a-long-name"), Map.of());
        assertThatThrownBy(() -> value(HeaderRule.of("X-Groups", HeaderSource.GROUPS), many))
                .isInstanceOf(HeaderValues.TooLongException.class).hasMessageContaining("X-Groups");
    }
}
