package dev.drawbridge.connector.sso;

import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.sso.SsoIdentity;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.RequestHead;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Header SSO on the connector: every client-sent spelling of a configured name (case, {@code _}, {@code .}, repeated)
 * is gone, each rule's header carries the verified user's value, other headers stay in order, a rule without a value
 * for this user still removes the spoofed ones and adds nothing, an oversize value refuses.
 */
class HeaderSsoTest {
    private static final SsoIdentity ALICE = new SsoIdentity("u1", "Alice@Corp.Example", "Alice", Optional.empty(), Optional.empty(),
            Optional.empty(), List.of("HR", "Ops"), Map.of());

    private static RequestHead head(HeaderField... headers) {
        return new RequestHead("app", "GET", "http://h/", List.of(headers), Duration.ofSeconds(5), false, false);
    }

    @Test
    void everySpellingOfAConfiguredNameIsReplaced() {
        RequestHead in = head(new HeaderField("Accept", "*/*"), new HeaderField("X-Remote-User", "mallory"),
                new HeaderField("x-remote-user", "mallory2"), new HeaderField("X_Remote_User", "mallory3"),
                new HeaderField("x.remote.user", "mallory4"), new HeaderField("X-REMOTE_USER", "mallory5"),
                new HeaderField("X-Remote-Users", "kept: another name"), new HeaderField("Cookie", "a=1"));
        SsoStep.Outcome out = HeaderSso.apply(in, List.of(new HeaderRule("X-Remote-User", HeaderSource.UPN, null, true, true, null, null),
                new HeaderRule("X-Groups", HeaderSource.GROUPS, null, false, false, "g:", "|")), ALICE);
        RequestHead sent = ((SsoStep.Outcome.Proceed) out).head();
        assertThat(sent.headers()).containsExactly(new HeaderField("Accept", "*/*"), new HeaderField("X-Remote-Users", "kept: another name"),
                new HeaderField("Cookie", "a=1"), new HeaderField("X-Remote-User", "alice"), new HeaderField("X-Groups", "g:HR|g:Ops"));
        assertThat(sent.appId()).isEqualTo(in.appId());
        assertThat(sent.upstreamUri()).isEqualTo(in.upstreamUri());
    }

    @Test
    void aRuleWithoutAValueRemovesTheSpoofedHeaderAndAddsNone() {
        RequestHead in = head(new HeaderField("X-Email", "boss@corp.example"), new HeaderField("x_email", "boss@corp.example"));
        RequestHead sent = ((SsoStep.Outcome.Proceed) HeaderSso.apply(in, List.of(HeaderRule.of("X-Email", HeaderSource.EMAIL)), ALICE)).head();
        assertThat(sent.headers()).isEmpty();
    }

    @Test
    void anOversizeValueRefuses() {
        SsoIdentity many = new SsoIdentity("u", "u@x", "n", Optional.empty(), Optional.empty(), Optional.empty(),
                Collections.nCopies(2000, "a-rather-long-group-name"), Map.of());
        SsoStep.Outcome out = HeaderSso.apply(head(), List.of(HeaderRule.of("X-Groups", HeaderSource.GROUPS)), many);
        assertThat(out).isInstanceOf(SsoStep.Outcome.Refuse.class);
        assertThat(((SsoStep.Outcome.Refuse) out).reason()).contains("X-Groups");
    }
}
