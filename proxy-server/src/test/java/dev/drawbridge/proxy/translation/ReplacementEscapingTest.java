package dev.drawbridge.proxy.translation;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An external URL may hold characters that end the place a link sits in ({@code '}, {@code (}, {@code )}, {@code &}:
 * a path may): the replacement is written escaped for that place, so it never ends a single-quoted attribute, an
 * unquoted {@code url()} or a script's string early, and means the same URL there.
 */
class ReplacementEscapingTest {
    private static final LinkMap MAP = LinkMap.of(List.of(Apps.app("Benefits", "https://apps.example.com/o'neil(1)&co/", "http://benefits/")));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
            "HTML|<a href='http://benefits/x'>|<a href='https://apps.example.com/o&#39;neil(1)&amp;co/x'>",
            "HTML|<a href=\"http://benefits/x\">|<a href=\"https://apps.example.com/o&#39;neil(1)&amp;co/x\">",
            "HTML|<a href=http://benefits/x>|<a href=https://apps.example.com/o&#39;neil(1)&amp;co/x>",
            "HTML|<p style='background:url(http://benefits/x)'>|<p style='background:url(https://apps.example.com/o\\&#39;neil\\(1\\)&amp;co/x)'>",
            "HTML|<style>p{background:url(http://benefits/x)}</style>|<style>p{background:url(https://apps.example.com/o\\'neil\\(1\\)&co/x)}</style>",
            "CSS|p{background:url('http://benefits/x')}|p{background:url('https://apps.example.com/o\\'neil\\(1\\)&co/x')}",
            "SCRIPT|var u = 'http://benefits/x';|var u = 'https://apps.example.com/o\\'neil(1)&co/x';",
            "SCRIPT|var u = \"http://benefits/x\";|var u = \"https://apps.example.com/o'neil(1)&co/x\";",
            "SCRIPT|{\"u\":\"http:\\/\\/benefits\\/x\"}|{\"u\":\"https:\\/\\/apps.example.com\\/o'neil(1)&co\\/x\"}",
    })
    void replacementIsEscapedForItsPlace(LinkTranslator.Kind kind, String in, String out) {
        assertThat(Apps.translateWithScripts(kind, MAP, in, in.length())).isEqualTo(out);
    }
}
