package dev.drawbridge.model.tunnel;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as operators write them in options: {@code 512k}, {@code 16m}, {@code 1g} (also {@code KiB}, {@code MiB},
 * {@code GiB}, {@code KB}...; all binary), or a number of bytes.
 */
public final class ByteSize {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,12})\\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)");

    private ByteSize() {
    }

    /**
     * The number of bytes {@code value} says.
     *
     * @throws IllegalArgumentException naming the value when it is not a size (the caller adds the option's name)
     */
    public static long parse(String value) {
        Matcher m = SIZE.matcher(value == null ? "" : value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a size such as 512k, 16m or 1g");
        }
        long n = Long.parseLong(m.group(1));
        int shift = switch (m.group(2).isEmpty() ? 'b' : m.group(2).charAt(0)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        if (n > Long.MAX_VALUE >> shift) {
            throw new IllegalArgumentException("'" + value + "' is too large");
        }
        return n << shift;
    }

    /** {@code bytes} the way {@link #parse} reads it back: in MiB or KiB when whole, else in bytes. */
    public static String format(long bytes) {
        if (bytes != 0 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + "m";
        }
        if (bytes != 0 && bytes % 1024 == 0) {
            return bytes / 1024 + "k";
        }
        return Long.toString(bytes);
    }
}
