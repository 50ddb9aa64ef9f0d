package dev.drawbridge.model.api.validation;

import dev.drawbridge.model.api.LdapSyncSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Claim names, scopes, and directory sync settings as far as a client can check them. */
class OidcNamesTest {
    @Test
    void claimNames() {
        for (String ok : new String[]{"email", "preferred_username", "groups", "urn:zitadel:roles", "a.b-c"}) {
            assertThat(OidcNames.isClaim(ok)).as(ok).isTrue();
        }
        for (String bad : new String[]{null, "", "a b", "a\"b", "a/b", "x".repeat(101)}) {
            assertThat(OidcNames.isClaim(bad)).as(String.valueOf(bad)).isFalse();
        }
    }

    @Test
    void scopesAreRfc6749Tokens() {
        for (String ok : new String[]{"openid", "api://hr/read", "offline_access", "a!#[]~"}) {
            assertThat(OidcNames.isScope(ok)).as(ok).isTrue();
        }
        for (String bad : new String[]{null, "", "two words", "quo\"te", "back\\slash", "tab\t", "é", "x".repeat(101)}) {
            assertThat(OidcNames.isScope(bad)).as(String.valueOf(bad)).isFalse();
        }
    }

    @Test
    void directorySyncNeedsAnLdapUrlAUserBaseAndAScheduleOfAtMostAWeek() {
        assertThat(DirectorySyncRules.check(settings("ldaps://dc1.corp.example:636", "ou=people", 60))).isEmpty();
        assertThat(DirectorySyncRules.check(settings("ldap://dc1", "ou=people", 0))).isEmpty();
        assertThat(DirectorySyncRules.check(settings("https://dc1", " ", 10_081)))
                .extracting(e -> e.field()).containsExactly("url", "userBase", "intervalMinutes");
        assertThat(DirectorySyncRules.check(settings(null, "ou=people", -1))).extracting(e -> e.field()).containsExactly("url", "intervalMinutes");
    }

    private static LdapSyncSettings settings(String url, String userBase, Integer interval) {
        return new LdapSyncSettings(url, null, null, userBase, null, null, null, null, null, null, null, null, interval, null);
    }
}
