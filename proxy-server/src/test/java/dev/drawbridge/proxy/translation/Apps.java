package dev.drawbridge.proxy.translation;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.apps.PublishedApp;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Instant;
import java.util.List;

/** Published apps and translations for the tests of this package. */
final class Apps {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private Apps() {
    }

    static PublishedApp app(String name, String external, String internal) {
        return app(name, external, internal, false);
    }

    static PublishedApp app(String name, String external, String internal, boolean caseInsensitivePaths) {
        URI ex = URI.create(external);
        return new PublishedApp(name, name, ex, ex.getHost(), ex.getRawPath(), URI.create(internal), "g", BackendTimeout.DEFAULT,
                true, PreAuthentication.PASSTHROUGH, AccessSettings.DEFAULTS, T, T, caseInsensitivePaths);
    }

    /** The seeds' example: Benefits, Expenses and Travel published; Feedback ({@code http://feedback/}) is not. */
    static final List<PublishedApp> SEEDS = List.of(
            app("Benefits", "https://benefits.apps.example.com/", "http://benefits/"),
            app("Expenses", "https://expenses.apps.example.com/", "http://expenses.corp.local/"),
            app("Travel", "https://apps.example.com/travel/", "http://intranet:8080/travel/"));

    static final LinkMap SEED_MAP = LinkMap.of(SEEDS);

    /** {@code text} translated in one piece. */
    static String translate(LinkTranslator.Kind kind, String text) {
        return translate(kind, SEED_MAP, text, text.length());
    }

    /** {@code text} translated in pieces of {@code piece} characters. */
    static String translate(LinkTranslator.Kind kind, LinkMap map, String text, int piece) {
        StringWriter out = new StringWriter();
        LinkTranslator t = new LinkTranslator(kind, map, "Benefits", "http", out);
        char[] chars = text.toCharArray();
        try {
            for (int off = 0; off < chars.length; off += piece) {
                t.write(chars, off, Math.min(piece, chars.length - off));
            }
            t.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** {@code text} translated in pieces of {@code piece} characters, the string literals of inline scripts too. */
    static String translateWithScripts(LinkTranslator.Kind kind, LinkMap map, String text, int piece) {
        StringWriter out = new StringWriter();
        LinkTranslator t = new LinkTranslator(kind, map, "Benefits", "http", out, true);
        char[] chars = text.toCharArray();
        try {
            for (int off = 0; off < chars.length; off += piece) {
                t.write(chars, off, Math.min(piece, chars.length - off));
            }
            t.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** {@code text} translated in two pieces, cut at {@code at}. */
    static String translateCutAt(LinkTranslator.Kind kind, String text, int at) {
        StringWriter out = new StringWriter();
        LinkTranslator t = new LinkTranslator(kind, SEED_MAP, "Benefits", "http", out);
        char[] chars = text.toCharArray();
        try {
            t.write(chars, 0, at);
            t.write(chars, at, chars.length - at);
            t.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
