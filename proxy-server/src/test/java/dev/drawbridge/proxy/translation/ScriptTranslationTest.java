package dev.drawbridge.proxy.translation;

import dev.drawbridge.model.tunnel.HeaderField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.drawbridge.proxy.translation.Apps.SEED_MAP;
import static dev.drawbridge.proxy.translation.Apps.translate;
import static dev.drawbridge.proxy.translation.Apps.translateWithScripts;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves the opt-in translation of links in JavaScript and JSON ({@link LinkTranslator.Kind#SCRIPT}, inline scripts of
 * HTML) by class: every kind of string literal, escaped slashes, the places that are never translated (code, comments,
 * regular expressions), a literal cut at every character, long and unterminated literals.
 */
class ScriptTranslationTest {
    private static final String B = "https://benefits.apps.example.com/";
    private static final String BE = B.replace("/", "\\/");
    private static final String E = "https://expenses.apps.example.com/";

    private static String script(String text) {
        return translateWithScripts(LinkTranslator.Kind.SCRIPT, SEED_MAP, text, text.length());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            // every kind of string literal
            "var u = \"http://benefits/x\";|var u = \"" + B + "x\";",
            "var u = 'http://benefits/x';|var u = '" + B + "x';",
            "var u = `http://benefits/x`;|var u = `" + B + "x`;",
            "f('//expenses.corp.local/a', \"HTTP://BENEFITS\")|f('" + E + "a', \"" + B + "\")",
            "var u = \"see http://benefits/x and http://expenses.corp.local/\";|var u = \"see " + B + "x and " + E + "\";",
            // escaped slashes, as JSON writers send them; the replacement is escaped alike
            "{\"u\":\"http:\\/\\/benefits\\/x\"}|{\"u\":\"" + "https:\\/\\/benefits.apps.example.com\\/" + "x\"}",
            "{\"u\":\"\\/\\/benefits\\/x\"}|{\"u\":\"" + "https:\\/\\/benefits.apps.example.com\\/" + "x\"}",
            "{\"u\":\"http:\\/\\/benefits\"}|{\"u\":\"" + "https:\\/\\/benefits.apps.example.com\\/" + "\"}",
            // after an escape that is a character, a link may start; after an escaped quote too
            "var s = \"a\\nhttp://benefits/x\";|var s = \"a\\n" + B + "x\";",
            "var s = \"\\\"http://benefits/x\\\"\";|var s = \"\\\"" + B + "x\\\"\";",
            // templates: their text and the strings of their ${…}, nested
            "`http://benefits/a${x + \"http://benefits/b\"}http://benefits/c`|`" + B + "a${x + \"" + B + "b\"}" + B + "c`",
            "`${`${ {a: 'http://benefits/d'}.a }`}`|`${`${ {a: '" + B + "d'}.a }`}`",
            "`${ {} }http://benefits/e`|`${ {} }" + B + "e`",
            // a '$' before a link is no '${' with a brace after it
            "`$http://benefits/{//x}http://benefits/d`|`$" + B + "{//x}" + B + "d`",
            // division and regular expressions: a quote in a regular expression opens no string
            "var r = /\"/; var s = 'http://benefits/x';|var r = /\"/; var s = '" + B + "x';",
            "var r = /[/\"]/g; var s = 'http://benefits/x';|var r = /[/\"]/g; var s = '" + B + "x';",
            "return /'/.test(x) ? \"http://benefits/\" : 1;|return /'/.test(x) ? \"" + B + "\" : 1;",
            "var q = a / b; var s = 'http://benefits/x'; var t = c / d;|var q = a / b; var s = '" + B + "x'; var t = c / d;",
            "var q = (a) / 2 + \"http://benefits/\";|var q = (a) / 2 + \"" + B + "\";",
    })
    void translatesStringLiterals(String in, String out) {
        assertThat(script(in)).isEqualTo(out);
    }

    @Test
    void anUnterminatedStringEndsWithItsLine() {
        assertThat(script("var s = \"abc\nx = 'http://benefits/y';")).isEqualTo("var s = \"abc\nx = '" + B + "y';");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            // comments
            "// http://benefits/x\n",
            "/* 'http://benefits/x' */",
            "/** \"http://benefits/x\" */ x = 1",
            // code: a lookalike that is no string
            "var benefits = http.benefits; x = a /benefits/ 2",
            "x = y //benefits/\n",
            // a regular expression
            "var r = /http:\\/\\/benefits\\//;",
            // not a link's start; an unpublished app; after an escaped slash
            "var s = 'xhttp://benefits/';",
            "var s = 'http://feedback/';",
            "var s = 'a\\/http://benefits/';",
            // a string that is not closed before the line ends: the next line is code
            "var s = 'abc\nhttp://benefits/x",
    })
    void leavesEverythingElse(String in) {
        assertThat(script(in)).isEqualTo(in);
    }

    @Test
    void jsonStringsAreTranslated() {
        String json = "{\"links\":[\"http://benefits/a\",\"http://expenses.corp.local/b\"],\"text\":\"see http://benefits/\",\"n\":1}";
        assertThat(script(json)).isEqualTo("{\"links\":[\"" + B + "a\",\"" + E + "b\"],\"text\":\"see " + B + "\",\"n\":1}");
    }

    @Test
    void inlineScriptsOfHtmlOnlyWhenAsked() {
        String page = "<script>var u = \"http://benefits/x\"; // http://benefits/c\n</script><a href='http://benefits/'>";
        assertThat(translateWithScripts(LinkTranslator.Kind.HTML, SEED_MAP, page, page.length()))
                .isEqualTo("<script>var u = \"" + B + "x\"; // http://benefits/c\n</script><a href='" + B + "'>");
        assertThat(translate(LinkTranslator.Kind.HTML, page)).isEqualTo(page.replace("href='http://benefits/'", "href='" + B + "'"));
    }

    @Test
    void anEndTagInAStringStillEndsTheScriptAsBrowsersDo() {
        String page = "<script>var s = \"</script><a href=\"http://benefits/\">x</a><script>'http://benefits/y'</script>";
        assertThat(translateWithScripts(LinkTranslator.Kind.HTML, SEED_MAP, page, page.length()))
                .isEqualTo("<script>var s = \"</script><a href=\"" + B + "\">x</a><script>'" + B + "y'</script>");
    }

    @Test
    void aLiteralCutAtEveryCharacterIsTranslatedAlike() {
        String text = "var a = /\"/, b = `x${'http:\\/\\/benefits\\/q'}` + \"http://expenses.corp.local/r\"; // 'http://benefits/'\n"
                + "<script>'http://benefits/s'</script>";
        String whole = script(text);
        assertThat(whole).contains(BE + "q", E + "r", B + "s").contains("// 'http://benefits/'");
        for (int piece = 1; piece < text.length(); piece++) {
            assertThat(translateWithScripts(LinkTranslator.Kind.SCRIPT, SEED_MAP, text, piece)).as("pieces of %d", piece).isEqualTo(whole);
        }
    }

    @Test
    void a64KibLiteralAndAnUnterminatedOneAtTheEnd() {
        String big = "x".repeat(64 * 1024);
        String text = "var s = '" + big + " http://benefits/a" + big + "'; var t = \"http://benefits/b" + big;
        assertThat(translateWithScripts(LinkTranslator.Kind.SCRIPT, SEED_MAP, text, 8192))
                .isEqualTo("var s = '" + big + " " + B + "a" + big + "'; var t = \"" + B + "b" + big);
    }

    @Test
    void scriptAndJsonResponsesOnlyForAnAppThatAskedForThem() {
        for (String type : List.of("application/javascript", "text/javascript; charset=utf-8", "application/json", "application/ld+json")) {
            List<HeaderField> headers = List.of(new HeaderField("Content-Type", type));
            assertThat(BodyTranslation.of(headers, true)).as(type).isPresent();
            assertThat(BodyTranslation.of(headers, false)).as(type).isEmpty();
        }
        assertThat(BodyTranslation.of(List.of(new HeaderField("Content-Type", "text/plain")), true)).isEmpty();
    }
}
