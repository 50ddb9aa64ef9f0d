package dev.drawbridge.proxy.translation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.StringWriter;
import java.util.List;

import static dev.drawbridge.proxy.translation.Apps.translate;
import static dev.drawbridge.proxy.translation.Apps.translateCutAt;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves {@link LinkTranslator} by class: every place a link sits in HTML and CSS, every spelling of an internal base
 * (absolute, scheme-relative, default port, letter case, NetBIOS short name, without its trailing slash), the places
 * that are left alone, a link cut at every character, and inputs built to hurt.
 */
class LinkTranslatorTest {
    private static final String B = "https://benefits.apps.example.com/";
    private static final String E = "https://expenses.apps.example.com/";
    private static final String T = "https://apps.example.com/travel/";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            // every attribute form
            "<a href=\"http://benefits/claims\">|<a href=\"" + B + "claims\">",
            "<a href='http://benefits/claims'>|<a href='" + B + "claims'>",
            "<a href=http://benefits/claims>|<a href=" + B + "claims>",
            "<a href = http://benefits/ class=x>|<a href = " + B + " class=x>",
            "<A HREF=\"HTTP://BENEFITS/claims\">|<A HREF=\"" + B + "claims\">",
            "<img src=\"http://expenses.corp.local/logo.png\">|<img src=\"" + E + "logo.png\">",
            "<form action=\"http://intranet:8080/travel/book\" method=post>|<form action=\"" + T + "book\" method=post>",
            "<button formaction='//expenses.corp.local/x'>|<button formaction='" + E + "x'>",
            "<div data-url=\"http://benefits/a\">|<div data-url=\"" + B + "a\">",
            // scheme-relative, default port, bare base
            "<a href=\"//benefits/x\">|<a href=\"" + B + "x\">",
            "<a href=\"http://benefits:80/x\">|<a href=\"" + B + "x\">",
            "<a href=\"//benefits:80/x\">|<a href=\"" + B + "x\">",
            "<a href=\"http://benefits\">|<a href=\"" + B + "\">",
            "<a href=\"http://benefits?q=1\">|<a href=\"" + B + "?q=1\">",
            "<a href=\"http://benefits#top\">|<a href=\"" + B + "#top\">",
            "<a href=\"http://intranet:8080/travel\">|<a href=\"" + T + "\">",
            "<a href=http://benefits>|<a href=" + B + ">",
            // srcset: every candidate
            "<img srcset=\"http://benefits/a.png 1x, http://expenses.corp.local/b.png 2x,//benefits/c.png 3x\">"
                    + "|<img srcset=\"" + B + "a.png 1x, " + E + "b.png 2x," + B + "c.png 3x\">",
            // meta refresh
            "<meta http-equiv=\"refresh\" content=\"0; url=http://benefits/home\">"
                    + "|<meta http-equiv=\"refresh\" content=\"0; url=" + B + "home\">",
            "<meta http-equiv=refresh content='5;URL=\"http://intranet:8080/travel/\"'>"
                    + "|<meta http-equiv=refresh content='5;URL=\"" + T + "\"'>",
            // inline style and <style>
            "<div style=\"background:url(http://benefits/bg.png)\">|<div style=\"background:url(" + B + "bg.png)\">",
            "<div style='background:url(\"//expenses.corp.local/bg.png\")'>|<div style='background:url(\"" + E + "bg.png\")'>",
            "<style>@import \"http://benefits/a.css\"; body{background:url('http://intranet:8080/travel/t.png')}</style>"
                    + "|<style>@import \"" + B + "a.css\"; body{background:url('" + T + "t.png')}</style>",
            "<STYLE type=text/css>@import url(http://benefits/x.css);</STYLE ><p>http://benefits/</p>"
                    + "|<STYLE type=text/css>@import url(" + B + "x.css);</STYLE ><p>http://benefits/</p>",
            // the unpublished Feedback and look-alikes stay
            "<a href=\"http://feedback/\">|<a href=\"http://feedback/\">",
            "<a href=\"http://benefits.evil.com/\">|<a href=\"http://benefits.evil.com/\">",
            "<a href=\"http://benefitsx/\">|<a href=\"http://benefitsx/\">",
            "<a href=\"http://benefits:8080/\">|<a href=\"http://benefits:8080/\">",
            "<a href=\"http://benefits@evil/\">|<a href=\"http://benefits@evil/\">",
            "<a href=\"https://benefits/\">|<a href=\"https://benefits/\">",
            "<a href=\"ftp://benefits/\">|<a href=\"ftp://benefits/\">",
            "<a href=\"xhttp://benefits/\">|<a href=\"xhttp://benefits/\">",
            "<a href=\"http://intranet:8080/travelx/\">|<a href=\"http://intranet:8080/travelx/\">",
            "<a href=\"http://intranet:8080/Travel/\">|<a href=\"http://intranet:8080/Travel/\">",
            "<a href=\"http://intranet:8080/\">|<a href=\"http://intranet:8080/\">",
            "<a href=\"/claims\">|<a href=\"/claims\">",
            // a link inside another URL's query is a link too
            "<a href=\"/go?to=http://benefits/x\">|<a href=\"/go?to=" + B + "x\">",
    })
    void html(String in, String expected) {
        assertThat(translate(LinkTranslator.Kind.HTML, in)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "<p>see http://benefits/ for more</p>",
            "<!-- <a href=\"http://benefits/\"> -->",
            "<!---->http://benefits/",
            "<!DOCTYPE html SYSTEM \"http://benefits/x.dtd\">",
            "<?xml-stylesheet href=\"http://benefits/x.xsl\"?>",
            "<script>location = \"http://benefits/x\"; var s = '<a href=\"http://benefits/\">';</script>",
            "<script>if (a</b) { x = 'http://benefits/' }</script>",
            "<a onclick=\"go('http://benefits/x')\" ONMOUSEOVER='http://benefits/'>",
            "<textarea><a href=\"http://benefits/\"></textarea>",
            "<title>http://benefits/</title>",
            "</a href=\"http://benefits/\">",
            "<plaintext><a href=\"http://benefits/\">",
            "<a href=\"http&#58;//benefits/\">",
    })
    void leftAlone(String in) {
        assertThat(translate(LinkTranslator.Kind.HTML, in)).isEqualTo(in);
    }

    @Test
    void afterRawTextTheMarkupIsReadAgain() {
        String in = "<script>var a = '</scripty>';</script><a href=\"http://benefits/\">"
                + "<title>x</title><img src=http://benefits/i.png><textarea></textarea ><a href=//benefits/>";
        assertThat(translate(LinkTranslator.Kind.HTML, in)).isEqualTo("<script>var a = '</scripty>';</script><a href=\"" + B + "\">"
                + "<title>x</title><img src=" + B + "i.png><textarea></textarea ><a href=" + B + ">");
    }

    @Test
    void commentsEndAsBrowsersEndThem() {
        assertThat(translate(LinkTranslator.Kind.HTML, "<!-- a -- > b --><a href=http://benefits/>"))
                .isEqualTo("<!-- a -- > b --><a href=" + B + ">");
        assertThat(translate(LinkTranslator.Kind.HTML, "<!--><a href=http://benefits/>")).isEqualTo("<!--><a href=" + B + ">");
        assertThat(translate(LinkTranslator.Kind.HTML, "<!---><a href=http://benefits/>")).isEqualTo("<!---><a href=" + B + ">");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "@import \"http://benefits/a.css\";|@import \"" + B + "a.css\";",
            "@import url(//expenses.corp.local/b.css);|@import url(" + E + "b.css);",
            "a{background:url( 'http://intranet:8080/travel/x.png' )}|a{background:url( '" + T + "x.png' )}",
            "@font-face{src:url(http://benefits/f.woff2) format('woff2'),url(http://benefits/f.woff)}"
                    + "|@font-face{src:url(" + B + "f.woff2) format('woff2'),url(" + B + "f.woff)}",
            "a{background:url(http://feedback/x.png)}|a{background:url(http://feedback/x.png)}",
            "a{background:url(http://benefits)}|a{background:url(" + B + ")}",
    })
    void css(String in, String expected) {
        assertThat(translate(LinkTranslator.Kind.CSS, in)).isEqualTo(expected);
    }

    @Test
    void aLinkCutAtEveryCharacterIsStillTranslated() {
        String in = "<p>x</p><a href=\"http://intranet:8080/travel/book?x=1\">t</a><img srcset='//benefits/a 1x'>"
                + "<style>b{background:url(http://benefits)}</style><a href=HTTP://EXPENSES.CORP.LOCAL:80/e>";
        String expected = "<p>x</p><a href=\"" + T + "book?x=1\">t</a><img srcset='" + B + "a 1x'>"
                + "<style>b{background:url(" + B + ")}</style><a href=" + E + "e>";
        for (int at = 0; at <= in.length(); at++) {
            assertThat(translateCutAt(LinkTranslator.Kind.HTML, in, at)).as("cut at %d", at).isEqualTo(expected);
        }
        for (int piece : List.of(1, 2, 3, 7)) {
            assertThat(translate(LinkTranslator.Kind.HTML, Apps.SEED_MAP, in, piece)).as("pieces of %d", piece).isEqualTo(expected);
        }
    }

    @Test
    void aBaseAtTheVeryEndOfTheInputIsTranslated() {
        assertThat(translate(LinkTranslator.Kind.CSS, Apps.SEED_MAP, "url(http://benefits", 1)).isEqualTo("url(" + B);
        assertThat(translate(LinkTranslator.Kind.CSS, Apps.SEED_MAP, "url(http://benefit", 1)).isEqualTo("url(http://benefit");
    }

    @Test
    void theMostSpecificAppWins() {
        LinkMap map = LinkMap.of(List.of(Apps.app("Intranet", "https://intra.example.com/", "http://x.corp/"),
                Apps.app("HR", "https://hr.example.com/", "http://x.corp/hr/")));
        assertThat(translate(LinkTranslator.Kind.HTML, map, "<a href=http://x.corp/hr/a><a href=http://x.corp/hr><a href=http://x.corp/h>", 5))
                .isEqualTo("<a href=https://hr.example.com/a><a href=https://hr.example.com/><a href=https://intra.example.com/h>");
    }

    @Test
    void caseInsensitiveAppsMatchTheirPathInAnyCase() {
        LinkMap map = LinkMap.of(List.of(Apps.app("Iis", "https://iis.example.com/app/", "http://iis/App/", true)));
        assertThat(translate(LinkTranslator.Kind.HTML, map, "<a href=http://IIS/aPP/x>", 100)).isEqualTo("<a href=https://iis.example.com/app/x>");
    }

    @Test
    void schemeRelativeLinksTakeThePageScheme() {
        LinkMap map = LinkMap.of(List.of(Apps.app("Secure", "https://s.example.com/", "https://s.corp/")));
        // In an http page, //s.corp/ is http://s.corp/, which is not the app.
        assertThat(translate(LinkTranslator.Kind.HTML, map, "<a href=//s.corp/x><a href=https://s.corp/y>", 100))
                .isEqualTo("<a href=//s.corp/x><a href=https://s.example.com/y>");
    }

    @Test
    void betweenAppsOfOneBackendThePagesOwnAppWins() throws Exception {
        // One backend published twice (as the demo's sample app is): each app's pages keep their links on its own host.
        LinkMap map = LinkMap.of(List.of(Apps.app("Zeta", "https://zeta.example.com/", "http://shared/"),
                Apps.app("Alpha", "https://alpha.example.com/", "http://shared/"), Apps.app("Other", "https://other.example.com/", "http://o/")));
        for (String page : List.of("Zeta", "Alpha")) {
            StringWriter out = new StringWriter();
            LinkTranslator t = new LinkTranslator(LinkTranslator.Kind.HTML, map, page, "http", out);
            char[] in = "<a href=http://shared/x><a href=http://shared>".toCharArray();
            t.write(in, 0, in.length);
            t.finish();
            String host = "https://" + page.toLowerCase() + ".example.com/";
            assertThat(out).hasToString("<a href=" + host + "x><a href=" + host + ">");
        }
        // In a third app's page, the first external URL in order, whatever the order the apps came in.
        assertThat(translate(LinkTranslator.Kind.HTML, map, "<a href=http://shared/x>", 3)).isEqualTo("<a href=https://alpha.example.com/x>");
    }
}
