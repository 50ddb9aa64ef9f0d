package dev.drawbridge.proxy.translation;

import dev.drawbridge.proxy.apps.PublishedApp;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The trie {@link LinkMap#match} walks finds what trying every spelling one by one (the algorithm it replaced, kept
 * here as the reference) finds, over random text made of pieces of the spellings, for many apps that share prefixes.
 */
class LinkMapTrieTest {
    private static final String[] PIECES = {"http://", "HTTP://", "//", "hr", "HR", "hr.corp", ":80", ":8080", "/", "/a/", "/A/",
        "/b", "x", "\"", " ", "?", "intranet", "/travel", "/TRAVEL", "/travel/", "-", "."};

    @Test
    void findsWhatTryingEverySpellingFinds() {
        List<PublishedApp> apps = new ArrayList<>(List.of(
                Apps.app("hr", "https://hr.example.com/", "http://hr/"),
                Apps.app("hra", "https://hra.example.com/", "http://hr/a/"),
                Apps.app("hrc", "https://hrc.example.com/", "http://hr.corp:8080/"),
                Apps.app("travel", "https://t.example.com/", "http://intranet/travel/", true),
                Apps.app("travel2", "https://t2.example.com/", "http://intranet/travel/", false),
                Apps.app("secure", "https://s.example.com/", "https://hr/b/")));
        for (int i = 0; i < 50; i++) {
            apps.add(Apps.app("n" + i, "https://n" + i + ".example.com/", "http://hr" + i + "/a/"));
        }
        LinkMap map = LinkMap.of(apps);
        Random random = new Random(12);
        for (int round = 0; round < 20_000; round++) {
            StringBuilder b = new StringBuilder();
            int n = 1 + random.nextInt(6);
            for (int k = 0; k < n; k++) {
                b.append(PIECES[random.nextInt(PIECES.length)]);
            }
            char[] text = b.toString().toCharArray();
            for (boolean atEnd : new boolean[] {true, false}) {
                for (String scheme : List.of("http", "https")) {
                    LinkMap.Match expected = reference(map, text, atEnd, scheme, "travel2");
                    LinkMap.Match actual = map.match(text, 0, text.length, atEnd, scheme, "travel2");
                    if (expected instanceof LinkMap.Match.NeedMore) {
                        assertThat(actual).as(b.toString()).isInstanceOf(LinkMap.Match.NeedMore.class);
                    } else if (!(actual instanceof LinkMap.Match.NeedMore)) {
                        // The trie may wait for more where a case-sensitive path already failed; else it finds the same.
                        assertThat(actual).as("%s at end %s, %s", b, atEnd, scheme).isEqualTo(expected);
                    }
                }
            }
        }
    }

    /** The match as the map found it before the trie: every spelling tried in turn. */
    private static LinkMap.Match reference(LinkMap map, char[] buf, boolean atEnd, String pageScheme, String pageApp) {
        int pos = 0;
        int end = buf.length;
        boolean needMore = false;
        LinkMap.Match.Found best = null;
        boolean bestIsPage = false;
        for (LinkMap.Spelling s : map.spellings()) {
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
                    best = new LinkMap.Match.Found(n, s.replacement());
                    bestIsPage = ownApp;
                }
                continue;
            }
            if (pos + k == end && !atEnd) {
                needMore = true;
                continue;
            }
            int bare = n - 1;
            if (k >= bare && (pos + bare == end || !LinkMap.continuesUrl(buf[pos + bare]))
                    && (best == null || bare > best.length() || bare == best.length() && ownApp && !bestIsPage)) {
                best = new LinkMap.Match.Found(bare, s.replacement());
                bestIsPage = ownApp;
            }
        }
        if (needMore) {
            return LinkMap.NEED_MORE;
        }
        return best == null ? LinkMap.NONE : best;
    }

    private static boolean same(char a, char b, boolean ignoreCase) {
        return a == b || ignoreCase && Character.toLowerCase(a) == Character.toLowerCase(b);
    }
}
