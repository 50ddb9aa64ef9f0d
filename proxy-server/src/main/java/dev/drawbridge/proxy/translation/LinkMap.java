package dev.drawbridge.proxy.translation;

import dev.drawbridge.proxy.apps.PublishedApp;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Every published app's internal base URL and the external one it translates to: an immutable snapshot, built from the
 * route table's apps. Each app is matched under every spelling of its internal base: absolute ({@code http://hr/}),
 * with its default port written out or not ({@code http://hr:80/}), and scheme-relative ({@code //hr/}, only in a page
 * whose own internal scheme is the app's), in any letter case for scheme and host, and for the path as the app's rule
 * says ({@link PublishedApp#caseInsensitivePaths()}). The base without its trailing slash ({@code http://hr},
 * {@code http://intranet/hr}) matches too when what follows cannot continue a host or a path segment. The longest match
 * wins, so an app published at {@code http://x/hr/} takes its links from an app at {@code http://x/}. Between apps
 * published with the same internal base (the same backend under two external URLs), the page's own app wins, else the
 * one whose external URL sorts first.
 */
public final class LinkMap {
    /** What {@link #match} found. */
    public sealed interface Match {
        /** Not the start of a published app's internal URL. */
        record None() implements Match {
        }

        /** Too few characters to tell: wait for more (never at the end of the input). */
        record NeedMore() implements Match {
        }

        /** {@code length} characters are an app's internal base, to be replaced by {@code replacement}. */
        record Found(int length, String replacement) implements Match {
        }
    }

    static final Match NONE = new Match.None();
    static final Match NEED_MORE = new Match.NeedMore();

    /**
     * One spelling of an app's internal base.
     *
     * @param text          the spelling, scheme and host lower case, ending with "/"
     * @param originLength  how many leading characters are the origin (compared ignoring case)
     * @param pathIgnoresCase whether the rest is compared ignoring case
     * @param pageScheme    for a scheme-relative spelling, the internal scheme the page must have; empty for absolute ones
     * @param replacement   the app's external base URL, ending with "/"
     * @param appId         the app's id
     */
    record Spelling(String text, int originLength, boolean pathIgnoresCase, String pageScheme, String replacement, String appId) {
        Spelling {
            Objects.requireNonNull(appId);
            Objects.requireNonNull(text);
            Objects.requireNonNull(pageScheme);
            Objects.requireNonNull(replacement);
            if (!text.endsWith("/")) {
                throw new IllegalArgumentException("a spelling ends with '/': " + text);
            }
        }
    }

    /** How many bytes of the hash {@link #tag} keeps. */
    static final int TAG_BYTES = 6;

    private static final LinkMap EMPTY = new LinkMap(List.of());

    private final List<Spelling> spellings;
    private final int longest;
    private final String tag;

    LinkMap(List<Spelling> spellings) {
        // Longest first, ties in a fixed order: among equally long matches the first is kept, unless the page's app comes later.
        this.spellings = spellings.stream().sorted(Comparator.comparingInt((Spelling s) -> s.text().length()).reversed()
                .thenComparing(Spelling::replacement).thenComparing(Spelling::appId)).toList();
        this.longest = this.spellings.isEmpty() ? 0 : this.spellings.getFirst().text().length();
        this.tag = tagOf(this.spellings);
    }

    /** A hash of every spelling, its page scheme, path rule and replacement, in their fixed order. */
    private static String tagOf(List<Spelling> spellings) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Spelling s : spellings) {
                for (String part : List.of(s.text(), s.pageScheme(), s.pathIgnoresCase() ? "i" : "s", s.replacement(), s.appId())) {
                    sha.update(part.getBytes(StandardCharsets.UTF_8));
                    sha.update((byte) 0);
                }
            }
            return HexFormat.of().formatHex(sha.digest(), 0, TAG_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /**
     * A short tag ({@value #TAG_BYTES} bytes in lower-case hex) of what this map translates to: two maps that translate
     * alike have the same tag, and a change of any app's spellings or external URL changes it (but for a hash collision).
     */
    public String tag() {
        return tag;
    }

    public static LinkMap empty() {
        return EMPTY;
    }

    /**
     * The internal bases of {@code apps}, each translated to its external base. Wildcard apps are left out: their internal
     * URL names no one host, and a link to one of their hosts is left as it is.
     */
    public static LinkMap of(Collection<PublishedApp> apps) {
        List<Spelling> out = new ArrayList<>();
        for (PublishedApp a : apps) {
            if (a.isWildcard()) {
                continue;
            }
            URI in = a.internalUrl();
            String scheme = in.getScheme().toLowerCase(Locale.ROOT);
            String host = in.getHost().toLowerCase(Locale.ROOT);
            int defaultPort = scheme.equals("https") ? 443 : 80;
            String replacement = URI.create(a.externalOrigin() + a.externalPath()).toASCIIString();
            List<String> authorities = in.getPort() == -1 || in.getPort() == defaultPort
                    ? List.of(host, host + ":" + defaultPort) : List.of(host + ":" + in.getPort());
            for (String authority : authorities) {
                String absolute = scheme + "://" + authority;
                out.add(new Spelling(absolute + a.internalPath(), absolute.length(), a.caseInsensitivePaths(), "", replacement, a.id()));
                String relative = "//" + authority;
                out.add(new Spelling(relative + a.internalPath(), relative.length(), a.caseInsensitivePaths(), scheme, replacement,
                        a.id()));
            }
        }
        return new LinkMap(out);
    }

    /** The most characters {@link #match} may need to see past a position to decide. */
    public int lookahead() {
        return longest + 1;
    }

    public boolean isEmpty() {
        return spellings.isEmpty();
    }

    /**
     * Whether {@code buf[pos, end)} starts with an app's internal base, in a page of the app {@code pageApp} whose
     * internal scheme is {@code pageScheme}. With {@code atEnd} false, the input may go on after {@code end}: a spelling
     * cut short there answers {@link Match.NeedMore}.
     */
    public Match match(char[] buf, int pos, int end, boolean atEnd, String pageScheme, String pageApp) {
        boolean needMore = false;
        Match.Found best = null;
        boolean bestIsPage = false;
        for (Spelling s : spellings) {
            if (!s.pageScheme().isEmpty() && !s.pageScheme().equals(pageScheme)) {
                continue;
            }
            String t = s.text();
            int n = t.length();
            int k = 0;
            while (k < n && pos + k < end && same(buf[pos + k], t.charAt(k), k < s.originLength() || s.pathIgnoresCase())) {
                k++;
            }
            boolean ownApp = s.appId().equals(pageApp);
            if (k == n) {
                if (best == null || n > best.length() || n == best.length() && ownApp && !bestIsPage) {
                    best = new Match.Found(n, s.replacement());
                    bestIsPage = ownApp;
                }
                continue;
            }
            if (pos + k == end) {
                // The text ran out while it still matched: the spelling, or its bare form, may follow.
                if (!atEnd) {
                    needMore = true;
                    continue;
                }
            }
            // The base without its trailing slash, when what follows cannot continue it.
            int bare = n - 1;
            if (k >= bare && (pos + bare == end || !continuesUrl(buf[pos + bare]))
                    && (best == null || bare > best.length() || bare == best.length() && ownApp && !bestIsPage)) {
                best = new Match.Found(bare, s.replacement());
                bestIsPage = ownApp;
            }
        }
        if (needMore) {
            return NEED_MORE;
        }
        return best == null ? NONE : best;
    }

    /** Whether {@code c} may go on from a host, a port or a path segment (so a base ending before it is not complete). */
    static boolean continuesUrl(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '.' || c == '_' || c == '~' || c == '%' || c == ':' || c == '@' || c == '/' || c > 0x7f;
    }

    private static boolean same(char a, char b, boolean ignoreCase) {
        return a == b || ignoreCase && Character.toLowerCase(a) == Character.toLowerCase(b);
    }
}
