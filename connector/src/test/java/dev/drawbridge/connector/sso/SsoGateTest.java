package dev.drawbridge.connector.sso;

import dev.drawbridge.model.sso.SsoIdentity;
import dev.drawbridge.model.tunnel.Frame;
import dev.drawbridge.model.tunnel.Multiplexer;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.TunnelStream;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connector's SSO gate: a stream that must carry its user and has no verified one (absent or refused) is reset
 * with the reason and never reaches the app; a verified one, or a stream that needs none, goes on; the observer sees
 * every stream.
 */
class SsoGateTest {
    private static final SsoIdentity ALICE = new SsoIdentity("u1", "alice@corp.example", "Alice", Optional.empty(), Optional.empty(),
            Optional.empty(), List.of(), Map.of());

    private final List<Frame> sent = new CopyOnWriteArrayList<>();
    private final List<TunnelStream> opened = new CopyOnWriteArrayList<>();
    private final Multiplexer connector = new Multiplexer(sent::add, opened::add, Runnable::run, Multiplexer.LAST_STREAM_ID,
            Multiplexer.Lifecycle.NONE);

    private TunnelStream stream(int id, String appId) {
        connector.receive(new Frame.Open(id, new RequestHead(appId, "GET", "http://h/", List.of(), Duration.ofSeconds(5), false, false)));
        return opened.getLast();
    }

    @Test
    void withoutARuleEveryStreamGoesOnWhateverItsUser() {
        SsoGate gate = new SsoGate();
        assertThat(gate.admit(stream(1, "a"), Verification.ABSENT)).isTrue();
        assertThat(gate.admit(stream(3, "a"), new Verification.Refused("bad"))).isTrue();
        assertThat(sent).isEmpty();
    }

    @Test
    void aStreamThatNeedsItsUserIsRefusedUnlessVerified() {
        SsoGate gate = new SsoGate();
        List<String> seen = new CopyOnWriteArrayList<>();
        gate.observe((head, user) -> seen.add(head.appId() + ":" + user.identity().map(SsoIdentity::upn).orElse("-")));
        gate.requireWhen(head -> head.appId().equals("sso-app"));

        assertThat(gate.admit(stream(1, "sso-app"), new Verification.Verified(ALICE))).isTrue();
        assertThat(gate.admit(stream(3, "sso-app"), Verification.ABSENT)).isFalse();
        assertThat(gate.admit(stream(5, "sso-app"), new Verification.Refused("issued for another stream or tunnel"))).isFalse();
        assertThat(gate.admit(stream(7, "plain"), Verification.ABSENT)).isTrue();

        assertThat(sent).containsExactly(
                new Frame.Reset(3, ResetCode.UPSTREAM_ERROR, "single sign-on refused: no identity came with the request"),
                new Frame.Reset(5, ResetCode.UPSTREAM_ERROR, "single sign-on refused: issued for another stream or tunnel"));
        assertThat(seen).containsExactly("sso-app:alice@corp.example", "sso-app:-", "sso-app:-", "plain:-");
    }
}
