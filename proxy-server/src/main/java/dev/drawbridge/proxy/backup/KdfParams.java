package dev.drawbridge.proxy.backup;

/**
 * Argon2id's cost for deriving a backup's keys from its passphrase. The header of every archive carries them, so an
 * archive opens with the parameters it was made with; bounds keep a crafted header from asking for absurd memory or
 * time before its passphrase check can fail.
 *
 * @param memoryKib   memory in KiB (8 MiB to 1 GiB)
 * @param iterations  passes over the memory (1 to 16)
 * @param parallelism lanes (1 to 16)
 */
public record KdfParams(int memoryKib, int iterations, int parallelism) {
    /** 64 MiB, 3 passes, 1 lane: above OWASP's minimum for Argon2id (19 MiB, 2 passes), about a second here. */
    public static final KdfParams DEFAULT = new KdfParams(64 * 1024, 3, 1);

    public KdfParams {
        if (memoryKib < 8 * 1024 || memoryKib > 1024 * 1024) {
            throw new IllegalArgumentException("Argon2 memory " + memoryKib + " KiB is outside 8 MiB to 1 GiB");
        }
        if (iterations < 1 || iterations > 16) {
            throw new IllegalArgumentException("Argon2 iterations " + iterations + " is outside 1 to 16");
        }
        if (parallelism < 1 || parallelism > 16) {
            throw new IllegalArgumentException("Argon2 parallelism " + parallelism + " is outside 1 to 16");
        }
    }
}
