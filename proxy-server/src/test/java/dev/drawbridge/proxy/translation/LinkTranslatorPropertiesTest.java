package dev.drawbridge.proxy.translation;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties of {@link LinkTranslator} over many generated documents made of the pieces that matter (tags, quotes,
 * comments, raw-text elements, internal bases whole and cut, look-alikes, control and non-ASCII characters): the output
 * does not depend on where the input is cut into pieces, and with no app published it is the input.
 */
class LinkTranslatorPropertiesTest {
    private static final List<String> TOKENS = List.of("<a href=", "<img srcset=\"", "<p>", "</p>", "\"", "'", " ", ">", "=", "x",
            "h", "/", ":", ",", ";", "(", ")", "<!--", "-->", "-", "<!", "<style>", "</style>", "</style", "<script>", "</script>",
            "<title>", "</title>", "<textarea>", "</textarea>", " onclick=", " style=", "url(", "@import ", "http://benefits/",
            "http://benefits", "//benefits/", "HTTP://BENEFITS:80/", "http://expenses.corp.local/", "http://intranet:8080/travel/",
            "http://intranet:8080/travel", "http://intranet:8080/", "http://feedback/", "http://benefitsx/", "http:/", "http://bene",
            "&#58;", "\\", "é", "\u0000", "<plaintext>", "<?", "</", "<");

    /** Pieces of scripts: quotes, templates, comments, regular expressions, escapes, links plain and with escaped slashes. */
    private static final List<String> SCRIPT_TOKENS = List.of("\"", "'", "`", "${", "}", "{", "\n", "//", "/*", "*/", "/", "\\",
            "\\/", "\\\"", "(", ")", "x", "return ", " ", "=", "[", "]", "http://benefits/", "http:\\/\\/benefits\\/", "\\/\\/benefits\\/",
            "http://expenses.corp.local/", "http://benefits", "http:\\/\\/bene", "<script>", "</script>", "<a href='", "é", "$");

    private static String document(Random r) {
        return document(r, TOKENS);
    }

    private static String document(Random r, List<String> tokens) {
        StringBuilder b = new StringBuilder();
        int n = r.nextInt(60);
        for (int i = 0; i < n; i++) {
            b.append(tokens.get(r.nextInt(tokens.size())));
        }
        return b.toString();
    }

    private static String translateCutAt(LinkTranslator.Kind kind, LinkMap map, String text, int[] cuts) throws IOException {
        return translateCutAt(kind, map, text, cuts, false);
    }

    private static String translateCutAt(LinkTranslator.Kind kind, LinkMap map, String text, int[] cuts, boolean scripts) throws IOException {
        StringWriter out = new StringWriter();
        LinkTranslator t = new LinkTranslator(kind, map, "Benefits", "http", out, scripts);
        char[] chars = text.toCharArray();
        int from = 0;
        for (int cut : cuts) {
            t.write(chars, from, cut - from);
            from = cut;
        }
        t.write(chars, from, chars.length - from);
        t.finish();
        return out.toString();
    }

    @Test
    void whereTheInputIsCutDoesNotMatterAndNoAppsMeansNoChange() throws IOException {
        Random r = new Random(20261206);
        for (int round = 0; round < 20_000; round++) {
            String doc = document(r);
            for (LinkTranslator.Kind kind : LinkTranslator.Kind.values()) {
                String whole = translateCutAt(kind, Apps.SEED_MAP, doc, new int[0]);
                int[] cuts = r.ints(r.nextInt(4), 0, doc.length() + 1).sorted().toArray();
                assertThat(translateCutAt(kind, Apps.SEED_MAP, doc, cuts)).as("%s cut at %s: %s", kind, Arrays.toString(cuts), doc)
                        .isEqualTo(whole);
                assertThat(translateCutAt(kind, LinkMap.empty(), doc, cuts)).isEqualTo(doc);
            }
        }
    }

    @Test
    void scriptsToo() throws IOException {
        Random r = new Random(20261207);
        for (int round = 0; round < 20_000; round++) {
            String doc = document(r, round % 2 == 0 ? SCRIPT_TOKENS : TOKENS);
            for (LinkTranslator.Kind kind : List.of(LinkTranslator.Kind.SCRIPT, LinkTranslator.Kind.HTML)) {
                String whole = translateCutAt(kind, Apps.SEED_MAP, doc, new int[0], true);
                int[] cuts = r.ints(r.nextInt(4), 0, doc.length() + 1).sorted().toArray();
                assertThat(translateCutAt(kind, Apps.SEED_MAP, doc, cuts, true)).as("%s cut at %s: %s", kind, Arrays.toString(cuts), doc)
                        .isEqualTo(whole);
                assertThat(translateCutAt(kind, LinkMap.empty(), doc, cuts, true)).isEqualTo(doc);
                // Outside HTML's script elements nothing changes whether inline scripts are translated or not.
                if (kind == LinkTranslator.Kind.HTML && !doc.contains("<script")) {
                    assertThat(whole).isEqualTo(translateCutAt(kind, Apps.SEED_MAP, doc, new int[0], false));
                }
            }
        }
    }
}
