package dev.drawbridge.proxy.backup;

/**
 * Argon2id's cost for deriving a backup's keys from its passphrase. The header of every archive carries them, so an
 * archive opens with the parameters it was made with; bounds keep a crafted header from asking for much memory or
 * time before its passphrase check can fail: at most four times {@link #DEFAULT} in each (a header asking more is
 * refused before anything is derived), which is all this version ever writes.
 *
 * @param memoryKib   memory in KiB (8 MiB to 256 MiB)
 * @param iterations  passes over the memory (1 to 12)
 * @param parallelism lanes (1 to 4)
 */
public record KdfParams(int memoryKib, int iterations, int parallelism) {
    /** 64 MiB, 3 passes, 1 lane: above OWASP's minimum for Argon2id (19 MiB, 2 passes), about a second here. */
    public static final KdfParams DEFAULT = new KdfParams(64 * 1024, 3, 1);
    static final int MAX_MEMORY_KIB = 4 * 64 * 1024;
    static final int MAX_ITERATIONS = 4 * 3;
    static final int MAX_PARALLELISM = 4;

    public KdfParams {
        if (memoryKib < 8 * 1024 || memoryKib > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("Argon2 memory " + memoryKib + " KiB is outside 8 MiB to " + (MAX_MEMORY_KIB >> 10) + " MiB");
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("Argon2 iterations " + iterations + " is outside 1 to " + MAX_ITERATIONS);
        }
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("Argon2 parallelism " + parallelism + " is outside 1 to " + MAX_PARALLELISM);
        }
    }
}
