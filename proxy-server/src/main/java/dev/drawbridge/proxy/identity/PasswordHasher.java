package dev.drawbridge.proxy.identity;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Argon2id password hashes (BouncyCastle) in the PHC string format
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (OWASP's recommended minimum). Verification
 * reads the parameters from the stored string, so stronger settings later keep old hashes valid.
 *
 * <p>Each hash allocates {@code m} KiB (19 MiB by default) and keeps a core busy, so at most {@code permits}
 * run at once (by default one per core, fewer if a quarter of the heap does not hold that many): a flood of
 * sign-ins queues for at most {@code maxWait}, then is refused with {@link Busy} rather than exhausting memory.
 */
public final class PasswordHasher {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    /** How long a hash may wait for a permit before the caller is told to come back later. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(1);

    /** All permits stayed taken for {@code maxWait}: answer 429 with {@code Retry-After}. */
    public static final class Busy extends RuntimeException {
        public Busy() {
            super("too many password checks at once", null, false, false);
        }
    }

    private final int memoryKiB;
    private final int iterations;
    private final int parallelism;
    private final int permits;
    private final Semaphore gate;
    private final Duration maxWait;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicLong derivations = new AtomicLong();

    public PasswordHasher(int memoryKiB, int iterations, int parallelism) {
        this(memoryKiB, iterations, parallelism, defaultPermits(memoryKiB), DEFAULT_MAX_WAIT);
    }

    public PasswordHasher(int memoryKiB, int iterations, int parallelism, int permits, Duration maxWait) {
        if (permits < 1 || maxWait.isNegative()) {
            throw new IllegalArgumentException("permits must be at least 1 and maxWait not negative");
        }
        this.memoryKiB = memoryKiB;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.permits = permits;
        this.gate = new Semaphore(permits, true);
        this.maxWait = maxWait;
    }

    public static PasswordHasher owaspDefault() {
        return new PasswordHasher(19 * 1024, 2, 1);
    }

    /** One per core, but no more than a quarter of the maximum heap can hold at {@code memoryKiB} each; at least one. */
    static int defaultPermits(int memoryKiB) {
        long byMemory = Runtime.getRuntime().maxMemory() / 4 / (Math.max(1, memoryKiB) * 1024L);
        return (int) Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), byMemory));
    }

    public int permits() {
        return permits;
    }

    /** The most hashes that ever ran at the same time (for tests and metrics). */
    public int peakConcurrency() {
        return peak.get();
    }

    /** How many Argon2id computations ran so far (each sign-in attempt costs exactly one, whatever its outcome). */
    public long derivations() {
        return derivations.get();
    }

    /** A held hashing permit: hash and verify with it as often as needed, then close it. */
    public final class Permit implements AutoCloseable {
        private boolean open = true;

        private Permit() {
        }

        public String hash(String password) {
            byte[] salt = new byte[16];
            RANDOM.nextBytes(salt);
            byte[] h = derive(password, salt, memoryKiB, iterations, parallelism, 32);
            return "$argon2id$v=19$m=" + memoryKiB + ",t=" + iterations + ",p=" + parallelism + "$" + B64.encodeToString(salt)
                    + "$" + B64.encodeToString(h);
        }

        /** Constant-time check; false for malformed hashes rather than an exception. */
        public boolean verify(String password, String phc) {
            if (password == null || phc == null) {
                return false;
            }
            try {
                String[] parts = phc.split("\\$");
                if (parts.length != 6 || !parts[1].equals("argon2id") || !parts[2].equals("v=19")) {
                    return false;
                }
                int m = 0, t = 0, p = 0;
                for (String kv : parts[3].split(",")) {
                    int v = Integer.parseInt(kv.substring(2));
                    switch (kv.charAt(0)) {
                        case 'm' -> m = v;
                        case 't' -> t = v;
                        case 'p' -> p = v;
                        default -> {
                            return false;
                        }
                    }
                }
                byte[] salt = B64D.decode(parts[4]);
                byte[] expected = B64D.decode(parts[5]);
                return MessageDigest.isEqual(expected, derive(password, salt, m, t, p, expected.length));
            } catch (RuntimeException e) {
                return false;
            }
        }

        @Override
        public void close() {
            if (open) {
                open = false;
                gate.release();
            }
        }
    }

    /** Waits up to {@code maxWait} for a permit. */
    public Permit acquire() throws Busy {
        try {
            if (!gate.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new Busy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy();
        }
        return new Permit();
    }

    public String hash(String password) throws Busy {
        try (Permit p = acquire()) {
            return p.hash(password);
        }
    }

    /** Constant-time check; false for malformed hashes rather than an exception. */
    public boolean verify(String password, String phc) throws Busy {
        try (Permit p = acquire()) {
            return p.verify(password, phc);
        }
    }

    private byte[] derive(String password, byte[] salt, int m, int t, int p, int len) {
        derivations.incrementAndGet();
        peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            Argon2Parameters params = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                    .withVersion(Argon2Parameters.ARGON2_VERSION_13).withSalt(salt)
                    .withMemoryAsKB(m).withIterations(t).withParallelism(p).build();
            Argon2BytesGenerator g = new Argon2BytesGenerator();
            g.init(params);
            byte[] out = new byte[len];
            g.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
            return out;
        } finally {
            inFlight.decrementAndGet();
        }
    }
}
