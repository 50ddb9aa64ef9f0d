package dev.drawbridge.proxy.translation;

import dev.drawbridge.proxy.apps.PublishedApp;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
     * @param escaped       whether every slash is written {@code \\/} (in {@code text} and {@code replacement}), as in a
     *                      JSON string; such a spelling is looked for in scripts' string literals only
     */
    record Spelling(String text, int originLength, boolean pathIgnoresCase, String pageScheme, String replacement, String appId,
                    boolean escaped) {
        Spelling {
            Objects.requireNonNull(appId);
            Objects.requireNonNull(text);
            Objects.requireNonNull(pageScheme);
            Objects.requireNonNull(replacement);
            if (!text.endsWith("/")) {
                throw new IllegalArgumentException("a spelling ends with '/': " + text);
            }
        }

        Spelling(String text, int originLength, boolean pathIgnoresCase, String pageScheme, String replacement, String appId) {
            this(text, originLength, pathIgnoresCase, pageScheme, replacement, appId, false);
        }

        /** This spelling with every slash escaped ({@code http:\\/\\/hr\\/}), and its replacement alike. */
        Spelling escapedSlashes() {
            String origin = text.substring(0, originLength).replace("/", "\\/");
            return new Spelling(text.replace("/", "\\/"), origin.length(), pathIgnoresCase, pageScheme, replacement.replace("/", "\\/"),
                    appId, true);
        }

        /** The length of the base without its final slash. */
        int bareLength() {
            return text.length() - (escaped ? 2 : 1);
        }
    }

    /** How many bytes of the hash {@link #tag} keeps. */
    static final int TAG_BYTES = 6;

    private static final LinkMap EMPTY = new LinkMap(List.of());

    private final List<Spelling> spellings;
    private final int longest;
    private final String tag;
    private final Node root;

    LinkMap(List<Spelling> spellings) {
        // Ties in a fixed order: among equally long matches the first is kept, unless the page's app comes later.
        this.spellings = spellings.stream().sorted(Comparator.comparingInt((Spelling s) -> s.text().length()).reversed()
                .thenComparing(Spelling::replacement).thenComparing(Spelling::appId)).toList();
        this.tag = tagOf(this.spellings);
        List<Spelling> all = new ArrayList<>(this.spellings);
        this.spellings.forEach(s -> all.add(s.escapedSlashes()));
        this.longest = all.stream().mapToInt(s -> s.text().length()).max().orElse(0);
        this.root = trie(all);
    }

    private LinkMap(LinkMap map, String tag) {
        this.spellings = map.spellings;
        this.longest = map.longest;
        this.root = map.root;
        this.tag = tag;
    }

    /**
     * This map, for a page whose scripts' and JSON's string literals are translated too: it translates alike, but has
     * another {@link #tag}, since the same page comes out with other bytes.
     */
    public LinkMap withScripts() {
        return new LinkMap(this, digest(List.of(tag, "scripts")));
    }

    /** A hash of every spelling, its page scheme, path rule and replacement, in their fixed order. */
    private static String tagOf(List<Spelling> spellings) {
        List<String> parts = new ArrayList<>();
        for (Spelling s : spellings) {
            parts.addAll(List.of(s.text(), s.pageScheme(), s.pathIgnoresCase() ? "i" : "s", s.replacement(), s.appId()));
        }
        return digest(parts);
    }

    private static String digest(List<String> parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                sha.update(part.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
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

    /** Every plain spelling, longest first (for tests). */
    List<Spelling> spellings() {
        return spellings;
    }

    public boolean isEmpty() {
        return spellings.isEmpty();
    }

    /**
     * Whether {@code buf[pos, end)} starts with an app's internal base, in a page of the app {@code pageApp} whose
     * internal scheme is {@code pageScheme}. With {@code atEnd} false, the input may go on after {@code end}: a spelling
     * cut short there answers {@link Match.NeedMore}. Plain spellings only (not those with escaped slashes).
     */
    public Match match(char[] buf, int pos, int end, boolean atEnd, String pageScheme, String pageApp) {
        return match(buf, pos, end, atEnd, pageScheme, pageApp, false);
    }

    /**
     * As above; with {@code escapedSlashes} (in a script's string literal) also the spellings with every {@code /}
     * written {@code \/}, as JSON writers do, whose replacement is escaped alike.
     *
     * <p>The spellings are found by one walk down a trie of their lower-case text, so the work per position is bounded by
     * the length of the longest base, not the number of apps; each spelling the walk reaches is then checked exactly
     * (letter case of its path, the page's scheme).
     */
    public Match match(char[] buf, int pos, int end, boolean atEnd, String pageScheme, String pageApp, boolean escapedSlashes) {
        Node node = root;
        Match.Found best = null;
        boolean bestIsPage = false;
        int d = 0;
        while (true) {
            // Spellings whose bare form (without the final slash) ends here, when what follows cannot continue it.
            for (Spelling s : node.bare) {
                if ((escapedSlashes || !s.escaped()) && schemeFits(s, pageScheme) && (pos + d == end ? atEnd : !continuesUrl(buf[pos + d]))
                        && same(buf, pos, s, d)) {
                    boolean own = s.appId().equals(pageApp);
                    if (best == null || d > best.length() || d == best.length() && own && !bestIsPage) {
                        best = new Match.Found(d, s.replacement());
                        bestIsPage = own;
                    }
                }
            }
            for (Spelling s : node.whole) {
                if ((escapedSlashes || !s.escaped()) && schemeFits(s, pageScheme) && same(buf, pos, s, d)) {
                    boolean own = s.appId().equals(pageApp);
                    if (best == null || d > best.length() || d == best.length() && own && !bestIsPage) {
                        best = new Match.Found(d, s.replacement());
                        bestIsPage = own;
                    }
                }
            }
            if (node.children.isEmpty()) {
                break;
            }
            if (pos + d == end) {
                // The text ran out while a longer spelling may still follow: wait for more.
                if (!atEnd) {
                    return NEED_MORE;
                }
                break;
            }
            Node next = node.children.get(Character.toLowerCase(buf[pos + d]));
            if (next == null) {
                break;
            }
            node = next;
            d++;
        }
        return best == null ? NONE : best;
    }

    private static boolean schemeFits(Spelling s, String pageScheme) {
        return s.pageScheme().isEmpty() || s.pageScheme().equals(pageScheme);
    }

    /** Whether {@code buf[pos, pos + len)} is the first {@code len} characters of {@code s}, in the letter case its rule asks. */
    private static boolean same(char[] buf, int pos, Spelling s, int len) {
        String t = s.text();
        for (int k = s.pathIgnoresCase() ? len : s.originLength(); k < len; k++) {
            if (buf[pos + k] != t.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** A node of the trie of lower-case spellings: those that end here, whole or bare, and where the text may go on. */
    private static final class Node {
        final Map<Character, Node> children = new HashMap<>();
        final List<Spelling> whole = new ArrayList<>();
        final List<Spelling> bare = new ArrayList<>();
    }

    private static Node trie(List<Spelling> spellings) {
        Node root = new Node();
        for (Spelling s : spellings) {
            Node n = root;
            String lower = s.text().toLowerCase(Locale.ROOT);
            for (int k = 0; k < lower.length(); k++) {
                if (k == s.bareLength()) {
                    n.bare.add(s);
                }
                n = n.children.computeIfAbsent(lower.charAt(k), c -> new Node());
            }
            n.whole.add(s);
        }
        return root;
    }

    /**
     * Whether {@code c} may go on from a host, a port or a path segment (so a base ending before it is not complete); a
     * backslash too, which browsers read as a slash in an http(s) URL and which escapes a slash in a script's string.
     */
    static boolean continuesUrl(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '.' || c == '_' || c == '~' || c == '%' || c == ':' || c == '@' || c == '/' || c == '\\' || c > 0x7f;
    }

}
