package dev.drawbridge.demo;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.testsupport.sample.LinkedApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Link translation in the demo, on the example of Entra's documentation ({@link LinkedApp}, docs/link-translation.md):
 * four internal apps whose pages hard-code absolute links to each other; Benefits, Expenses and Travel are published
 * (passthrough: the pages hold nothing private), Feedback is not, and Benefits turns link translation on. Its page then
 * links to the external URLs of Expenses and Travel; the link to Feedback keeps its internal URL.
 */
final class DemoLinkTranslation implements AutoCloseable {
    static final String BENEFITS = "Benefits";
    private static final List<String> PUBLISHED = List.of(BENEFITS, "Expenses", "Travel");

    private final List<LinkedApp> apps;
    /** Benefits' external URL. */
    final String benefitsUrl;

    private DemoLinkTranslation(List<LinkedApp> apps, String benefitsUrl) {
        this.apps = apps;
        this.benefitsUrl = benefitsUrl;
    }

    /** Starts the four apps, publishes (or re-points) three and turns translation on for Benefits. */
    static DemoLinkTranslation start(DrawbridgeStack stack) throws Exception {
        List<LinkedApp> started = new ArrayList<>();
        try {
            Map<String, URI> bases = new LinkedHashMap<>();
            for (String name : List.of(BENEFITS, "Expenses", "Travel", "Feedback")) {
                LinkedApp app = LinkedApp.start(name);
                started.add(app);
                bases.put(name, app.baseUri());
            }
            started.forEach(a -> a.linkTo(bases));
            for (String name : PUBLISHED) {
                stack.publish(name, name.toLowerCase(), bases.get(name));
            }
            AdminApi api = stack.adminApi();
            AppView b = DemoSsoApps.find(stack, BENEFITS).orElseThrow();
            if (!b.translateLinksInBody()) {
                api.apps().replace(b.id(), new AppSpec(b.name(), b.externalUrl(), b.internalUrl(), b.connectorGroupId(), b.backendTimeout(),
                        b.translateHostHeader(), b.preAuthentication(), b.access(), b.caseInsensitivePaths(), true));
            }
            return new DemoLinkTranslation(List.copyOf(started), stack.externalUrl(BENEFITS.toLowerCase()));
        } catch (Exception e) {
            for (LinkedApp a : started) {
                a.close();
            }
            throw e;
        }
    }

    @Override
    public void close() throws Exception {
        for (LinkedApp a : apps) {
            a.close();
        }
    }
}
