package dev.drawbridge.proxy.identity;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.drawbridge.proxy.pki.ServerKeys;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Rate limits on sign-in attempts, shared by the sign-in host and the admin API: a token bucket per client
 * address (one address trying a few passwords on many accounts: spraying) and one per account name (many
 * addresses trying one account, including names that do not exist, which have no lockout). An attempt takes
 * a token from both (an IPv6 client counts by its /64, {@link #addressKey}); a sign-in that succeeds gives them
 * back ({@link Admission#succeeded}), so users behind one NAT who type their passwords right never use up their
 * office's budget, while a flood of parallel guesses is bounded before any of them is checked.
 *
 * <p>The buckets live in two bounded Caffeine caches. An entry idle long enough to have refilled completely is
 * the same as no entry, so expiry forgets nothing; beyond {@code maxEntries} Caffeine evicts by frequency
 * (W-TinyLFU): an address that keeps coming back outlives a spray of one-off addresses, so spraying never resets
 * the limits of the attacker's real address, and the map never grows without bound. Never is everyone forgotten.
 */
public final class SignInLimiter {
    /** A burst and a refill of one token every {@code refill}. */
    public record Limit(int burst, Duration refill) {
        public Limit {
            Objects.requireNonNull(refill);
            if (burst < 1 || !refill.isPositive()) {
                throw new IllegalArgumentException("burst must be at least 1 and refill positive");
            }
        }

        /** How long an untouched bucket takes to become full again. */
        Duration idle() {
            return refill.multipliedBy(burst);
        }
    }

    /** The limits and the size of each map. */
    public record Limits(Limit perAddress, Limit perAccount, int maxEntries) {
        /** 20 at once then one every 3 s per address; 10 at once then one every 6 s per account; 50 000 of each tracked. */
        public static final Limits DEFAULTS = new Limits(new Limit(20, Duration.ofSeconds(3)), new Limit(10, Duration.ofSeconds(6)), 50_000);

        public Limits {
            Objects.requireNonNull(perAddress);
            Objects.requireNonNull(perAccount);
            if (maxEntries < 1) {
                throw new IllegalArgumentException("maxEntries must be at least 1");
            }
        }
    }

    /** The answer to an attempt. */
    public sealed interface Admission {
        /** Go on; call {@link #succeeded} if the sign-in succeeds. */
        record Admitted(Runnable refund) implements Admission {
            public void succeeded() {
                refund.run();
            }
        }

        /** Refused; {@code byAddress} tells which limit (for the log), {@code retryAfter} when to come back. */
        record Limited(boolean byAddress, Duration retryAfter) implements Admission {
        }
    }

    private final Limits limits;
    private final Clock clock;
    private final Cache<String, Bucket> addresses;
    private final Cache<String, Bucket> accounts;

    public SignInLimiter(Limits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
        this.addresses = cache(limits.perAddress(), limits.maxEntries(), clock);
        this.accounts = cache(limits.perAccount(), limits.maxEntries(), clock);
    }

    private static Cache<String, Bucket> cache(Limit limit, int max, Clock clock) {
        Ticker ticker = () -> clock.millis() * 1_000_000L;
        // Maintenance on the caller's thread: eviction happens before the next call returns, deterministic in tests.
        return Caffeine.newBuilder().maximumSize(max).expireAfterAccess(limit.idle()).ticker(ticker).executor(Runnable::run).build();
    }

    /** An attempt by {@code clientIp} on {@code account} (the name as typed; empty if not known yet). */
    public Admission admit(String clientIp, Optional<String> account) {
        Bucket byAddress = addresses.get(addressKey(clientIp), ip -> bucket(limits.perAddress()));
        ConsumptionProbe a = byAddress.tryConsumeAndReturnRemaining(1);
        if (!a.isConsumed()) {
            return new Admission.Limited(true, Duration.ofNanos(a.getNanosToWaitForRefill()));
        }
        Optional<String> key = account.map(SignInLimiter::accountKey).filter(n -> !n.isEmpty());
        if (key.isEmpty()) {
            return new Admission.Admitted(() -> byAddress.addTokens(1));
        }
        Bucket byAccount = accounts.get(key.get(), n -> bucket(limits.perAccount()));
        ConsumptionProbe b = byAccount.tryConsumeAndReturnRemaining(1);
        if (!b.isConsumed()) {
            byAddress.addTokens(1);
            return new Admission.Limited(false, Duration.ofNanos(b.getNanosToWaitForRefill()));
        }
        return new Admission.Admitted(() -> {
            byAddress.addTokens(1);
            byAccount.addTokens(1);
        });
    }

    /**
     * The client a per-address bucket stands for: an IPv4 address (also when written IPv4-mapped), or the /64 of an
     * IPv6 address. One IPv6 subscriber, host or cloud instance is handed a /64 at least, so keying on the whole
     * address would give an attacker 2^64 fresh buckets (and fill the map); the spelling (compressed, upper case,
     * brackets, zone id) never matters. Anything that is not an address literal is its own key.
     */
    static String addressKey(String clientIp) {
        if (clientIp == null) {
            return "";
        }
        try {
            InetAddress a = InetAddress.ofLiteral(clientIp.strip());
            return a instanceof Inet6Address ? HexFormat.of().formatHex(a.getAddress(), 0, 8) + "::/64" : a.getHostAddress();
        } catch (IllegalArgumentException e) {
            return clientIp;
        }
    }

    /** The longest user principal name (RFC 5321's 64 + 1 + 255); a longer name is no account's. */
    private static final int MAX_NAME = 320;

    /**
     * The per-account key of a name as typed: stripped, lower case, and, when longer than any account's name can be,
     * a SHA-256 digest of it, so that the map's memory is bounded by its entry count (the form takes 16 KiB per name).
     */
    static String accountKey(String typed) {
        String n = typed.strip().toLowerCase(Locale.ROOT);
        return n.length() <= MAX_NAME ? n : "sha256:" + HexFormat.of().formatHex(ServerKeys.sha256(n));
    }

    /** Entries tracked now (for tests and metrics). */
    public long trackedAddresses() {
        addresses.cleanUp();
        return addresses.estimatedSize();
    }

    /** The characters of the account keys held now (for tests and metrics: what the per-account map costs in names). */
    public long trackedAccountKeyChars() {
        accounts.cleanUp();
        return accounts.asMap().keySet().stream().mapToLong(String::length).sum();
    }

    private Bucket bucket(Limit limit) {
        return Bucket.builder().withCustomTimePrecision(new ClockTime(clock))
                .addLimit(Bandwidth.builder().capacity(limit.burst()).refillGreedy(1, limit.refill()).build()).build();
    }

    /** Bucket4j's time from the injected clock. */
    private record ClockTime(Clock clock) implements TimeMeter {
        @Override
        public long currentTimeNanos() {
            return clock.millis() * 1_000_000L;
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
