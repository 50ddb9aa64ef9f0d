package dev.drawbridge.proxy.identity;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The shared sign-in limiter: per address, per account (by the name typed, known or not), refunds, and a spray of addresses. */
class SignInLimiterTest {
    final SettableClock clock = new SettableClock(Instant.parse("2026-11-25T12:00:00Z"));
    final SignInLimiter limiter = new SignInLimiter(new SignInLimiter.Limits(new SignInLimiter.Limit(20, Duration.ofSeconds(3)),
            new SignInLimiter.Limit(10, Duration.ofSeconds(6)), 1_000), clock);

    boolean admitted(String ip, String account) {
        return limiter.admit(ip, Optional.ofNullable(account)) instanceof SignInLimiter.Admission.Admitted;
    }

    @Test
    void oneAddressSprayingManyAccountsIsLimitedThenRefills() {
        for (int i = 0; i < 20; i++) {
            assertThat(admitted("203.0.113.7", "user" + i + "@corp.example")).isTrue();
        }
        var refused = limiter.admit("203.0.113.7", Optional.of("user99@corp.example"));
        assertThat(refused).isInstanceOfSatisfying(SignInLimiter.Admission.Limited.class, l -> {
            assertThat(l.byAddress()).isTrue();
            assertThat(l.retryAfter()).isBetween(Duration.ofMillis(1), Duration.ofSeconds(3));
        });
        // Another address is not affected; after the refill period one more attempt is allowed.
        assertThat(admitted("203.0.113.8", "user99@corp.example")).isTrue();
        clock.advance(Duration.ofSeconds(3));
        assertThat(admitted("203.0.113.7", "user99@corp.example")).isTrue();
        assertThat(admitted("203.0.113.7", "user99@corp.example")).isFalse();
    }

    /**
     * An IPv6 client is handed a /64 (at least): rotating through it must not buy a fresh per-address bucket for each
     * attempt, whatever the spelling of the address (compressed, full, upper case, zone id) or an IPv4 address written
     * as IPv4-mapped IPv6.
     */
    @Test
    void oneIpv6SubnetIsOneAddressWhateverTheInterfaceIdOrSpelling() {
        for (int i = 0; i < 20; i++) {
            assertThat(admitted("2001:db8:1:2:" + Integer.toHexString(i + 1) + "::" + Integer.toHexString(i * 7 + 3),
                    "user" + i + "@corp.example")).as("attempt %d", i).isTrue();
        }
        for (String spelling : new String[]{"2001:db8:1:2:ffff:ffff:ffff:ffff", "2001:0DB8:0001:0002:0:0:0:1",
                "2001:db8:1:2::beef%eth0", "[2001:db8:1:2::cafe]"}) {
            assertThat(limiter.admit(spelling, Optional.of("user99@corp.example")))
                    .as(spelling).isInstanceOfSatisfying(SignInLimiter.Admission.Limited.class, l -> assertThat(l.byAddress()).isTrue());
        }
        // The neighbouring /64 is another client.
        assertThat(admitted("2001:db8:1:3::1", "user99@corp.example")).isTrue();

        for (int i = 0; i < 20; i++) {
            assertThat(admitted("192.0.2.44", "v4user" + i + "@corp.example")).isTrue();
        }
        assertThat(admitted("::ffff:192.0.2.44", "v4user99@corp.example")).as("IPv4-mapped spelling").isFalse();
    }

    @Test
    void manyAddressesOnOneAccountAreLimitedWhetherOrNotItExists() {
        for (String account : new String[]{"alice@corp.example", "no-such-user@corp.example"}) {
            for (int i = 0; i < 10; i++) {
                assertThat(admitted("198.51.100." + i, account)).isTrue();
            }
            var refused = limiter.admit("198.51.100.200", Optional.of(account.toUpperCase()));
            assertThat(refused).isInstanceOfSatisfying(SignInLimiter.Admission.Limited.class, l -> assertThat(l.byAddress()).isFalse());
        }
    }

    @Test
    void successesGiveTheirTokensBack() {
        for (int i = 0; i < 100; i++) {
            var a = (SignInLimiter.Admission.Admitted) limiter.admit("192.0.2.1", Optional.of("alice@corp.example"));
            a.succeeded();
        }
        assertThat(admitted("192.0.2.1", "alice@corp.example")).isTrue();
    }

    @Test
    void aSprayOfAddressesNeverResetsTheAttackersOwnAddress() {
        String attacker = "203.0.113.66";
        while (admitted(attacker, null)) {
            // use up the burst
        }
        // 50 times the map's size in one-off addresses, the attacker's real address trying in between.
        for (int i = 0; i < 50_000; i++) {
            admitted("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255), null);
            if (i % 100 == 0) {
                assertThat(admitted(attacker, null)).as("attempt after %d sprayed addresses", i).isFalse();
            }
        }
        assertThat(limiter.trackedAddresses()).isLessThanOrEqualTo(1_000);
    }

    /**
     * The per-account map is keyed by the name as typed, and the sign-in form takes 16 KiB: without a bound on the key,
     * 50 000 entries of 16 KiB names (one attempt each from enough addresses within a minute) would hold 800 MB of heap.
     * A name no account can have (longer than a UPN's 320 characters) is kept as a fixed-size digest, still one bucket
     * per name, the same for every spelling of its case.
     */
    @Test
    void overlongAccountNamesCostAFixedSizeKey() {
        for (int i = 0; i < 1_000; i++) {
            String name = i + "x".repeat(16 * 1024);
            assertThat(admitted("2001:db8:" + Integer.toHexString(i) + "::1", name)).isTrue();
        }
        assertThat(limiter.trackedAccountKeyChars()).isLessThan(1_000L * 100);
        // Still one bucket per name, whatever its case: the 11th attempt on the same long name is refused.
        String one = "Y".repeat(20_000);
        for (int i = 0; i < 10; i++) {
            assertThat(admitted("198.18.0." + i, i % 2 == 0 ? one : one.toLowerCase())).isTrue();
        }
        assertThat(limiter.admit("198.18.1.1", Optional.of(one))).isInstanceOfSatisfying(SignInLimiter.Admission.Limited.class,
                l -> assertThat(l.byAddress()).isFalse());
        assertThat(admitted("198.18.1.2", "Z".repeat(20_000))).as("another long name").isTrue();
    }

    @Test
    void idleEntriesExpireOnlyOnceTheyHaveRefilled() {
        for (int i = 0; i < 20; i++) {
            admitted("192.0.2.9", null);
        }
        assertThat(admitted("192.0.2.9", null)).isFalse();
        clock.advance(Duration.ofSeconds(59));
        for (int i = 0; i < 19; i++) {
            assertThat(admitted("192.0.2.9", null)).isTrue();
        }
        assertThat(admitted("192.0.2.9", null)).isFalse();
    }
}
