package dev.drawbridge.testsupport.stack;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.testsupport.sample.LinkedApp;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The link translation example of Entra's documentation (docs/link-translation.md), on a {@link DrawbridgeStack}: four
 * internal apps ({@link LinkedApp}) whose pages hard-code absolute links to each other; Benefits, Expenses and Travel
 * are published (passthrough: the pages hold nothing private), Feedback is not. Who turns translation on is the
 * caller's ({@link #translate}). Used by the system tests, the browser test and the demo alike.
 */
public final class LinkTranslationExample implements AutoCloseable {
    /** Every app of the example, in this order. */
    public static final List<String> NAMES = List.of("Benefits", "Expenses", "Travel", "Feedback");
    /** The apps the example publishes (Feedback is not). */
    public static final List<String> PUBLISHED = List.of("Benefits", "Expenses", "Travel");

    private final Map<String, LinkedApp> apps;
    private final Map<String, URI> internal;
    private final Map<String, String> external = new LinkedHashMap<>();

    private LinkTranslationExample(Map<String, LinkedApp> apps, Map<String, URI> internal) {
        this.apps = apps;
        this.internal = internal;
    }

    /** Starts the four apps on loopback ports, each linking to all four by their internal URLs (none published yet). */
    public static LinkTranslationExample start() throws Exception {
        Map<String, LinkedApp> apps = new LinkedHashMap<>();
        Map<String, URI> internal = new LinkedHashMap<>();
        try {
            for (String name : NAMES) {
                LinkedApp app = LinkedApp.start(name);
                apps.put(name, app);
                internal.put(name, app.baseUri());
            }
        } catch (Exception e) {
            for (LinkedApp a : apps.values()) {
                a.close();
            }
            throw e;
        }
        apps.values().forEach(a -> a.linkTo(internal));
        return new LinkTranslationExample(apps, internal);
    }

    /** Publishes (or re-points) Benefits, Expenses and Travel on {@code stack}, at label {@code benefits} etc. */
    public LinkTranslationExample publish(DrawbridgeStack stack) throws Exception {
        for (String name : PUBLISHED) {
            external.put(name, stack.publish(name, name.toLowerCase(Locale.ROOT), internal.get(name)));
        }
        return this;
    }

    /** The app {@code name} as the admin API shows it. */
    public static Optional<AppView> find(DrawbridgeStack stack, String name) throws Exception {
        return stack.adminApi().apps().list(Paging.LARGEST).items().stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /**
     * Turns link translation on (or off) for the published app {@code name}, with its scripts and JSON too when
     * {@code scripts}; returns the app as changed.
     */
    public static AppView translate(DrawbridgeStack stack, String name, boolean on, boolean scripts) throws Exception {
        AdminApi api = stack.adminApi();
        AppView a = find(stack, name).orElseThrow(() -> new IllegalStateException(name + " is not published"));
        return api.apps().replace(a.id(), new AppSpec(a.name(), a.externalUrl(), a.internalUrl(), a.connectorGroupId(), a.backendTimeout(),
                a.translateHostHeader(), a.preAuthentication(), a.access(), a.caseInsensitivePaths(), on, on && scripts));
    }

    public LinkedApp app(String name) {
        return apps.get(name);
    }

    /** The internal base URL of every app, by name, in {@link #NAMES} order. */
    public Map<String, URI> internal() {
        return Map.copyOf(internal);
    }

    public URI internal(String name) {
        return internal.get(name);
    }

    /** The external URL of a published app ({@link #publish} first). */
    public String external(String name) {
        return external.get(name);
    }

    /** The external URLs of the published apps, by name. */
    public Map<String, String> external() {
        return new LinkedHashMap<>(external);
    }

    @Override
    public void close() throws Exception {
        List<Exception> failures = new ArrayList<>();
        for (LinkedApp a : apps.values()) {
            try {
                a.close();
            } catch (Exception e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            throw failures.getFirst();
        }
    }
}
