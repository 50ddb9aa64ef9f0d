package dev.drawbridge.proxy.apps;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Unit test of {@link RequestPath}: each normalisation step on its own (percent-decoding of every character, repeated;
 * backslashes and encoded separators; {@code ;} parameters; Windows' trailing dots and spaces; repeated slashes), and
 * Unicode compatibility forms of path syntax folded (NFKC) before splitting, and
 * every refusal (dot segments in all spellings, compatibility forms included, overlong and malformed UTF-8, NUL and other control characters,
 * endless encoding, a path not starting with "/"). The raw reading keeps the path exactly as sent.
 */
class RequestPathTest {
    private static String normalised(String raw) throws Exception {
        return RequestPath.parse(raw).normalised();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "/hr/salaries | /hr/salaries", "/ | /", "'' | /", "/hr/ | /hr",
            "/%68r/salaries | /hr/salaries", "/%68%72 | /hr", "/%48%52 | /HR", "/h%7e%7E | /h~~",
            "/hr%2Fsalaries | /hr/salaries", "/hr%2fsalaries | /hr/salaries", "/hr%5Csalaries | /hr/salaries", "/hr%5csalaries | /hr/salaries",
            "/hr\\salaries | /hr/salaries", "/%2Fhr | /hr",
            "/hr;x/salaries | /hr/salaries", "/hr;/salaries | /hr/salaries", "/;x/hr | /hr", "/hr/salaries;jsessionid=1 | /hr/salaries",
            "/hr%3Bx/salaries | /hr/salaries",
            "//hr//salaries/// | /hr/salaries",
            "/%2568r | /hr", "/%252568r | /hr", "/%25%36%38r | /hr", "/hr%252Fsalaries | /hr/salaries",
            "/hr./salaries | /hr/salaries", "/hr%20/salaries | /hr/salaries", "/hr. . /x | /hr/x", "/v1.2/x | /v1.2/x",
            "/a%20b/c | /a b/c", "/%C3%A9t%C3%A9 | /été", "/100% | /100%", "/%EF%BD%88r | /hr", "/.well-known/x | /.well-known/x",
            "/hr%EF%BC%8Fsalaries | /hr/salaries", "/hr%EF%BC%BCsalaries | /hr/salaries", "/hr%EF%B9%A8salaries | /hr/salaries",
            "/hr%EF%BC%9Bx/salaries | /hr/salaries", "/hr%EF%BC%8E/x | /hr/x", "/hr%E3%80%80/x | /hr/x", "/%EF%BC%8568r | /hr",
            "/caf%C3%A9 | /café", "/x%E2%80%A5y | /x..y"})
    void normalisesAsLenientBackendsRead(String raw, String expected) throws Exception {
        assertThat(normalised(raw)).isEqualTo(expected);
    }

    @Test
    void theRawReadingIsTheSentPathSplitOnSlashesOnly() throws Exception {
        RequestPath p = RequestPath.parse("/%68r;x//a%2Fb/");
        assertThat(p.raw()).isEqualTo("/%68r;x//a%2Fb/");
        assertThat(p.rawSegments()).containsExactly("%68r;x", "", "a%2Fb", "");
        assertThat(p.segments()).containsExactly("hr", "a", "b");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/..", "/.", "/a/../b", "/a/./b", "/a/%2e%2e/b", "/a/%2E%2E/b", "/a/%2e./b", "/a/.%2e/b", "/a/%2e/b",
            "/a/..;/b", "/a/..;x/b", "/a/.;/b", "/a/%2e%2e;/b", "/a/..%2fb", "/a/..%5Cb", "/a/..\\b", "/a%2F..%2Fb", "/a/%252e%252e/b",
            "/a/.../b", "/a/.. /b", "/a/..%20/b", "/a/%2e%2e%2e/b", "/..;/hr",
            "/a/%E2%80%A5/b", "/a/%EF%BC%8E%EF%BC%8E/b", "/a/.%EF%BC%8E/b", "/a/%E2%80%A4%E2%80%A4/b", "/a/%E2%80%A6/b", "/a/%EF%B9%92/b",
            "/a/%EF%BC%8E%EF%BC%8E%EF%BC%8Fb", "/a/..%EF%BC%BCb", "/a/..%EF%BC%9Bx/b"})
    void dotSegmentsAreRefusedInEverySpelling(String raw) {
        assertThatThrownBy(() -> RequestPath.parse(raw)).isInstanceOf(RequestPath.BadPathException.class)
                .hasMessageContaining("'..'");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/hr%C0%AFsalaries", "/%C1%A8r", "/%E0%80%AF", "/%ED%A0%80", "/%FF", "/%C3", "/%F8%88%80%80%80", "/%25C0%25AF"})
    void malformedOrOverlongUtf8IsRefused(String raw) {
        assertThatThrownBy(() -> RequestPath.parse(raw)).isInstanceOf(RequestPath.BadPathException.class).hasMessageContaining("UTF-8");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/hr%00/x", "/hr%2500/x", "/a%0Ab", "/a%0d", "/a%09", "/a%7F", "/a%C2%85", "/a%1b"})
    void controlCharactersAreRefused(String raw) {
        assertThatThrownBy(() -> RequestPath.parse(raw)).isInstanceOf(RequestPath.BadPathException.class).hasMessageContaining("control");
    }

    @Test
    void endlessEncodingIsRefused() throws Exception {
        String five = "/%2525252568r";
        assertThat(normalised("/%25252568r")).isEqualTo("/hr");
        assertThatThrownBy(() -> RequestPath.parse(five)).isInstanceOf(RequestPath.BadPathException.class).hasMessageContaining("times");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"*", "hr/x", "http://x/"})
    void aPathMustStartWithASlash(String raw) {
        assertThatThrownBy(() -> RequestPath.parse(raw)).isInstanceOf(RequestPath.BadPathException.class);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {"/hr%3F/salaries | hr", "/hr%23x | hr", "/a/b%253Fc/d | a/b", "/x%EF%BC%9Fy | x",
            "/a%3Fb%23c | a", "/a/b | a/b", "/%3F/hr | ''"})
    void theTruncatedReadingEndsAtADecodedQuestionMarkOrHash(String raw, String expected) throws Exception {
        RequestPath p = RequestPath.parse(raw);
        assertThat(String.join("/", p.truncatedSegments())).isEqualTo(expected);
    }

    @Test
    void dotSegmentsAfterADecodedQuestionMarkAreStillRefused() {
        assertThatThrownBy(() -> RequestPath.parse("/hr/a%3F/../../x")).isInstanceOf(RequestPath.BadPathException.class);
    }

    @Test
    void segmentsAreNeverEmpty() throws Exception {
        for (String raw : List.of("///", "/;a/;b/", "/%2F%2F", "/\\\\")) {
            assertThat(RequestPath.parse(raw).segments()).as(raw).isEmpty();
        }
    }
}
