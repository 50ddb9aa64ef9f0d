package dev.drawbridge.adminclient;

/**
 * Which page of a paged list to fetch: skip {@code offset} items, answer at most {@code limit} (1 to 1000).
 * The answer is a {@code Page} whose {@code total} says how many there are in all.
 */
public record Paging(int offset, int limit) implements Query {
    /** The server's largest page. */
    public static final int MAX_LIMIT = 1000;
    /** The server's default: the first 100. */
    public static final Paging DEFAULT = new Paging(0, 100);
    /** As many as one page holds (1000): what name lookups use. */
    public static final Paging LARGEST = new Paging(0, MAX_LIMIT);

    public Paging {
        if (offset < 0) {
            throw new IllegalArgumentException("offset must be 0 or more");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
    }

    /** The page for options a user may have left out: null takes the server's default (offset 0, limit 100). */
    public static Paging of(Integer offset, Integer limit) {
        return new Paging(offset == null ? DEFAULT.offset() : offset, limit == null ? DEFAULT.limit() : limit);
    }
}
