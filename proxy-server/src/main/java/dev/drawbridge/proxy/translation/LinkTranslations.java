package dev.drawbridge.proxy.translation;

import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RouteTable;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Which responses have their links translated, and to what: a response of an app that turned translation on
 * ({@link PublishedApp#translateLinksInBody()}), whose body is HTML or CSS (or JavaScript or JSON, for an app that asked
 * for them: {@link PublishedApp#translateLinksInScripts()}; {@link BodyTranslation#of}), is translated
 * with the internal bases of every app of the current route table ({@link LinkMap}, built once per table: a change of
 * any app takes effect with the next response). Partial content (206) is never translated: a range of a translated
 * body cannot be told from a range of the app's.
 */
public final class LinkTranslations {
    private record Built(RouteTable table, LinkMap map) {
    }

    private final Supplier<RouteTable> routes;
    private final AtomicReference<Built> built = new AtomicReference<>();

    private final boolean on;

    public LinkTranslations(Supplier<RouteTable> routes) {
        this(routes, true);
    }

    private LinkTranslations(Supplier<RouteTable> routes, boolean on) {
        this.routes = routes;
        this.on = on;
    }

    /** Translates nothing (for dispatchers built without routes). */
    public static LinkTranslations none() {
        return new LinkTranslations(RouteTable::empty, false);
    }

    /** The translation of a response of {@code app} with this status and these headers, if it is one to translate. */
    public Optional<BodyTranslation> forResponse(PublishedApp app, int status, List<HeaderField> headers) {
        return forResponse(app, status, headers, "");
    }

    /**
     * As above, for a client whose {@code Accept-Encoding} is {@code clientAcceptEncoding} (a compressed body is sent on
     * compressed with gzip when the client takes it: {@link BodyTranslation#forClient}).
     */
    public Optional<BodyTranslation> forResponse(PublishedApp app, int status, List<HeaderField> headers, String clientAcceptEncoding) {
        if (!on || !app.translateLinksInBody() || status == 206) {
            return Optional.empty();
        }
        return BodyTranslation.of(headers, app.translateLinksInScripts()).map(t -> t.forClient(clientAcceptEncoding));
    }

    /**
     * The link map a page of {@code app} is translated with: {@link #map()}, with its own tag when the app's scripts are
     * translated too (the same page then comes out with other bytes).
     */
    public LinkMap map(PublishedApp app) {
        LinkMap m = map();
        return app.translateLinksInScripts() ? m.withScripts() : m;
    }

    /** The internal bases of every app published now. */
    public LinkMap map() {
        RouteTable table = routes.get();
        Built b = built.get();
        if (b == null || b.table() != table) {
            b = new Built(table, LinkMap.of(table.apps()));
            built.set(b);
        }
        return b.map();
    }
}
