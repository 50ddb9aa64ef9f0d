package dev.drawbridge.proxy.translation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Optional;

import static dev.drawbridge.proxy.translation.Apps.app;
import static org.assertj.core.api.Assertions.assertThat;

/** The validators of translated pages: tagged with the link map on the way out, given back to the app on the way in. */
class TranslatedEtagTest {
    static final LinkMap MAP = Apps.SEED_MAP;
    static final LinkMap MOVED = LinkMap.of(List.of(app("Benefits", "https://benefits.example.net/", "http://benefits/")));
    static final String TAG = MAP.tag();

    @Test
    void theTagFollowsWhatTheMapTranslatesTo() {
        assertThat(TAG).matches("[0-9a-f]{12}");
        assertThat(LinkMap.of(Apps.SEEDS).tag()).isEqualTo(TAG);
        assertThat(LinkMap.of(List.of(Apps.SEEDS.get(2), Apps.SEEDS.get(0), Apps.SEEDS.get(1))).tag()).isEqualTo(TAG);
        assertThat(MOVED.tag()).isNotEqualTo(TAG);
        assertThat(LinkMap.of(List.of(app("Benefits", "https://benefits.apps.example.com/", "http://benefits/", true))).tag())
                .isNotEqualTo(LinkMap.of(List.of(Apps.SEEDS.get(0))).tag());
        assertThat(LinkMap.empty().tag()).isNotEqualTo(TAG);
    }

    @Test
    void aTranslatedPageIsSentWithTheAppsEtagTaggedAndWeak() {
        assertThat(TranslatedEtag.sent("\"abc\"", MAP)).isEqualTo("W/\"abc-ls" + TAG + "\"");
        assertThat(TranslatedEtag.sent("W/\"abc\"", MAP)).isEqualTo("W/\"abc-lw" + TAG + "\"");
        assertThat(TranslatedEtag.sent("\"\"", MAP)).isEqualTo("W/\"-ls" + TAG + "\"");
        assertThat(TranslatedEtag.sent("not-quoted", MAP)).isEqualTo("not-quoted");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"abc\"", "W/\"abc\"", "\"a,b\"", "W/\"x-lw0\""})
    void whatWasSentGoesBackToTheAppAsTheAppSentIt(String appEtag) {
        String sent = TranslatedEtag.sent(appEtag, MAP);
        assertThat(TranslatedEtag.forApp(sent, MAP)).contains(appEtag);
        assertThat(TranslatedEtag.namesTranslatedCopy(sent, MAP)).isTrue();
        // Translated with another map: the copy's links are stale, the app must not confirm it.
        assertThat(TranslatedEtag.forApp(sent, MOVED)).isEmpty();
        assertThat(TranslatedEtag.namesTranslatedCopy(sent, MOVED)).isFalse();
    }

    @Test
    void aListKeepsOtherEntriesAndDropsStaleOnes() {
        String current = TranslatedEtag.sent("\"v2\"", MAP);
        String stale = TranslatedEtag.sent("\"v1\"", MOVED);
        assertThat(TranslatedEtag.forApp("\"img\", " + stale + " ,W/\"x\"," + current, MAP))
                .contains("\"img\", W/\"x\", \"v2\"");
        assertThat(TranslatedEtag.forApp(stale + ", " + stale, MAP)).isEmpty();
        assertThat(TranslatedEtag.namesTranslatedCopy("\"img\", " + stale, MAP)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "\"abc", "abc", "W/abc", "\"a\" junk", ""})
    void whatIsNotAListOfEntityTagsPassesAsItIs(String value) {
        assertThat(TranslatedEtag.forApp(value, MAP)).isEqualTo(Optional.of(value));
        assertThat(TranslatedEtag.namesTranslatedCopy(value, MAP)).isFalse();
    }

    @Test
    void onlyAWeakEntryCarriesOurTag() {
        // A strong entry with our suffix is the app's own (we only ever send weak ones): it passes.
        String strong = "\"abc-ls" + TAG + "\"";
        assertThat(TranslatedEtag.forApp(strong, MAP)).contains(strong);
        assertThat(TranslatedEtag.namesTranslatedCopy(strong, MAP)).isFalse();
        // A tag of another length or in upper case is not ours either.
        assertThat(TranslatedEtag.forApp("W/\"abc-ls" + TAG.toUpperCase() + "\"", MAP)).contains("W/\"abc-ls" + TAG.toUpperCase() + "\"");
    }
}
