package dev.drawbridge.model.sso;

import dev.drawbridge.model.tunnel.Frame;
import dev.drawbridge.model.tunnel.HeaderField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The CONFIG form of the SSO keys, the feature announcement in every spelling, and the identity record's rules. */
class SsoKeysTest {

    @Test
    void keysRoundTripThroughAConfigFrame() {
        SsoKeys keys = new SsoKeys("tunnel-1", "{\"keys\":[]}");
        assertThat(SsoKeys.from(keys.toFrame())).contains(keys);
    }

    @Test
    void configOfAnotherKindOrWithoutAFieldOrWithBadValuesGivesNothing() {
        assertThat(SsoKeys.from(new Frame.Config("other", new SsoKeys("t", "{}").toFrame().entries()))).isEmpty();
        assertThat(SsoKeys.from(new Frame.Config(SsoKeys.KIND, List.of(new HeaderField("tunnel-id", "t"))))).isEmpty();
        assertThat(SsoKeys.from(new Frame.Config(SsoKeys.KIND, List.of(new HeaderField("jwks", "{}"))))).isEmpty();
        assertThat(SsoKeys.from(new Frame.Config(SsoKeys.KIND, List.of(new HeaderField("tunnel-id", "a/b"),
                new HeaderField("jwks", "{}"))))).isEmpty();
        assertThat(SsoKeys.from(new Frame.Config(SsoKeys.KIND, List.of(new HeaderField("tunnel-id", " "),
                new HeaderField("jwks", "{}"))))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"sso1", "SSO1", " sso1 ", "x,sso1", "sso1,y", "a, Sso1 ,b"})
    void theFeatureIsAnnouncedInAnySpelling(String header) {
        assertThat(SsoWire.announces(header)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "sso", "sso12", "xsso1", "sso1x", "sso 1", "sso2"})
    void otherValuesDoNotAnnounceIt(String header) {
        assertThat(SsoWire.announces(header)).isFalse();
        assertThat(SsoWire.announces(null)).isFalse();
    }

    @Test
    void identityRecordValidatesAndCopies() {
        SsoIdentity id = new SsoIdentity("u1", "alice@corp.example", "Alice", Optional.empty(), Optional.empty(), Optional.empty(),
                List.of("staff"), Map.of("department", "HR"));
        assertThat(id.userPart()).isEqualTo("alice");
        assertThatThrownBy(() -> new SsoIdentity(" ", "a@b", "A", Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(SsoWire.streamBinding("t", 7)).isEqualTo("t/7");
    }
}
