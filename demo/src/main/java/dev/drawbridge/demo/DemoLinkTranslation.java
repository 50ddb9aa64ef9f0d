package dev.drawbridge.demo;

import dev.drawbridge.model.api.AppView;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.LinkTranslationExample;

import java.util.Map;

/**
 * Link translation in the demo. The sample app's home page links to a second published app, Expenses, by its internal
 * URL, and the sample app turns translation on: the page shows Expenses' external URL. Around it, the example of Entra's
 * documentation ({@link LinkTranslationExample}, docs/link-translation.md): four internal apps whose pages hard-code
 * absolute links to each other; Benefits, Expenses and Travel are published (passthrough: the pages hold nothing
 * private), Feedback is not, and Benefits turns translation on (in its scripts too). Its page then links to the
 * external URLs of Expenses and Travel; the link to Feedback keeps its internal URL.
 */
final class DemoLinkTranslation implements AutoCloseable {
    static final String BENEFITS = "Benefits";
    /** The published app the sample app links to. */
    static final String SECOND = "Expenses";

    private final LinkTranslationExample example;
    /** Benefits' external URL. */
    final String benefitsUrl;

    private DemoLinkTranslation(LinkTranslationExample example, String benefitsUrl) {
        this.example = example;
        this.benefitsUrl = benefitsUrl;
    }

    /**
     * Starts the four apps, publishes (or re-points) three and turns translation on for Benefits; links the sample app
     * (published as {@code sampleName}) to Expenses and turns translation on for it.
     */
    static DemoLinkTranslation start(DrawbridgeStack stack, SampleApp sample, String sampleName) throws Exception {
        LinkTranslationExample example = LinkTranslationExample.start();
        try {
            example.publish(stack);
            AppView b = LinkTranslationExample.find(stack, BENEFITS).orElseThrow();
            if (!b.translateLinksInBody() || !b.translateLinksInScripts()) {
                LinkTranslationExample.translate(stack, BENEFITS, true, true);
            }
            sample.linkTo(Map.of(SECOND, example.internal(SECOND)));
            AppView s = LinkTranslationExample.find(stack, sampleName).orElseThrow();
            if (!s.translateLinksInBody()) {
                LinkTranslationExample.translate(stack, sampleName, true, false);
            }
            return new DemoLinkTranslation(example, stack.externalUrl(BENEFITS.toLowerCase()));
        } catch (Exception e) {
            example.close();
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        example.close();
    }
}
