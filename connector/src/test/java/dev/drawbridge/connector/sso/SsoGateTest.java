package dev.drawbridge.connector.sso;

import dev.drawbridge.model.sso.SsoIdentity;
import dev.drawbridge.model.tunnel.Frame;
import dev.drawbridge.model.tunnel.HeaderField;
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
 * The connector's SSO gate: a stream whose OPEN carries a single sign-on instruction and has no verified user (absent
 * or refused), an unreadable instruction, an unknown method (a newer server) or invalid settings is reset with
 * SSO_REFUSED and the reason and never reaches the app; a verified one goes on with the headers the step built; a
 * stream without an instruction goes on unchanged whatever its user; the observer sees every stream.
 */
class SsoGateTest {
    private static final SsoIdentity ALICE = new SsoIdentity("u1", "alice@corp.example", "Alice", Optional.empty(), Optional.empty(),
            Optional.empty(), List.of(), Map.of());
    private static final String HEADERS =
            "{\"settings\":{\"method\":\"HEADERS\",\"headers\":[{\"name\":\"X-Remote-User\",\"source\":\"UPN\"}]}}";

    private final List<Frame> sent = new CopyOnWriteArrayList<>();
    private final List<TunnelStream> opened = new CopyOnWriteArrayList<>();
    private final Multiplexer connector = new Multiplexer(sent::add, opened::add, Runnable::run, Multiplexer.LAST_STREAM_ID,
            Multiplexer.Lifecycle.NONE);

    private TunnelStream stream(int id, String sso) {
        RequestHead head = new RequestHead("app", "GET", "http://h/", List.of(new HeaderField("x_remote_user", "mallory")),
                Duration.ofSeconds(5), false, false);
        connector.receive(new Frame.Open(id, sso == null ? head : head.withSso(sso)));
        return opened.getLast();
    }

    @Test
    void withoutAnInstructionEveryStreamGoesOnUnchangedWhateverItsUser() {
        SsoGate gate = new SsoGate();
        TunnelStream s = stream(1, null);
        assertThat(gate.admit(s, Verification.ABSENT)).contains(new SsoStep.Outcome.Proceed(s.request()));
        assertThat(gate.admit(stream(3, null), new Verification.Refused("bad"))).isPresent();
        assertThat(sent).isEmpty();
    }

    @Test
    void aStreamWithAnInstructionIsRefusedUnlessVerified() {
        SsoGate gate = new SsoGate();
        List<String> seen = new CopyOnWriteArrayList<>();
        gate.observe((head, user) -> seen.add(head.appId() + ":" + user.identity().map(SsoIdentity::upn).orElse("-")));

        Optional<SsoStep.Outcome.Proceed> admitted = gate.admit(stream(1, HEADERS), new Verification.Verified(ALICE));
        assertThat(admitted).isPresent();
        assertThat(admitted.get().auth()).isNull();
        assertThat(admitted.get().head().headers()).containsExactly(new HeaderField("X-Remote-User", "alice@corp.example"));
        assertThat(gate.admit(stream(3, HEADERS), Verification.ABSENT)).isEmpty();
        assertThat(gate.admit(stream(5, HEADERS), new Verification.Refused("issued for another stream or tunnel"))).isEmpty();

        assertThat(sent).containsExactly(
                new Frame.Reset(3, ResetCode.SSO_REFUSED, "single sign-on refused: no identity came with the request"),
                new Frame.Reset(5, ResetCode.SSO_REFUSED, "single sign-on refused: issued for another stream or tunnel"));
        assertThat(seen).containsExactly("app:alice@corp.example", "app:-", "app:-");
    }

    @Test
    void anInstructionThatCannotBeCarriedOutIsRefusedEvenForAVerifiedUser() {
        SsoGate gate = new SsoGate();
        Verification alice = new Verification.Verified(ALICE);
        assertThat(gate.admit(stream(1, "{not json"), alice)).isEmpty();
        assertThat(gate.admit(stream(3, "{\"settings\":{\"method\":\"TELEPATHY\",\"headers\":[]}}"), alice)).isEmpty();
        String futureField = "{\"settings\":{\"method\":\"HEADERS\",\"headers\":[{\"name\":\"X-A\",\"source\":\"UPN\"}]},\"futureField\":1}";
        assertThat(gate.admit(stream(5, futureField), alice)).isEmpty();
        assertThat(gate.admit(stream(7, "{\"settings\":{\"method\":\"HEADERS\",\"headers\":[{\"name\":\"Host\",\"source\":\"UPN\"}]}}"), alice))
                .isEmpty();
        assertThat(sent).hasSize(4).allSatisfy(f -> assertThat(((Frame.Reset) f).code()).isEqualTo(ResetCode.SSO_REFUSED));
        assertThat(((Frame.Reset) sent.get(1)).message()).contains("update the connector");
        assertThat(((Frame.Reset) sent.get(3)).message()).contains("invalid").contains("reserved");
    }
}
