package dev.drawbridge.model.sso;

import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Review of issue 10 (review10b): group names are joined with the rule's separator without escaping or refusing a name
 * that contains it. A federated provider's groups claim creates a Drawbridge group named exactly like the claim
 * (docs/identity.md "Groups claim"; a claimed name never joins a local or LDAP group of the same name, precisely so a
 * provider cannot grant e.g. "Domain Admins"). A claim {@code "x, Domain Admins"} becomes one group of that name, and
 * the GROUPS header {@code X-Groups: Staff, x, Domain Admins} then lists "Domain Admins" to a backend that splits on the
 * separator (as Grafana's auth.proxy headers, mod_auth_* group lists and most apps do). Expected: the value, split by
 * the separator, never holds an element that is not one of the user's group names (escape, drop the name, or refuse).
 */
class HeaderValuesSeparatorTest {
    private static final SsoIdentity MALLORY = new SsoIdentity("u-3", "mallory@idp.example", "Mallory", Optional.empty(),
            Optional.empty(), Optional.empty(), List.of("Staff", "x, Domain Admins"), Map.of());

    @Test
    void aGroupNameHoldingTheSeparatorCannotAddAGroupAtTheBackend() throws Exception {
        for (String separator : new String[] {null, ",", ";"}) {
            HeaderRule rule = new HeaderRule("X-Groups", HeaderSource.GROUPS, null, false, false, null, separator);
            String sep = rule.separatorOrDefault();
            List<String> mallory = List.of("Staff", "x" + sep + "Domain Admins");
            SsoIdentity user = new SsoIdentity(MALLORY.subject(), MALLORY.upn(), MALLORY.name(), Optional.empty(), Optional.empty(),
                    Optional.empty(), mallory, Map.of());
            Optional<String> value = HeaderValues.of(rule, user);
            value.ifPresent(v -> assertThat(Arrays.stream(v.split(Pattern.quote(sep))).map(String::strip))
                    .as("separator %s, header %s", sep, v).doesNotContain("Domain Admins"));
        }
    }
}
