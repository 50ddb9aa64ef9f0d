package dev.drawbridge.proxy.translation;

import dev.drawbridge.model.tunnel.HeaderField;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The validators of a translated page. Its bytes depend on the app's page and on the link map it was translated with,
 * so its {@code ETag} is the app's with a tag of the map ({@link LinkMap#tag}) added, always weak (other bytes than the
 * app's): a strong {@code "abc"} is sent as {@code W/"abc-ls<tag>"}, a weak {@code W/"abc"} as {@code W/"abc-lw<tag>"}.
 * On the way in, an {@code If-None-Match} entry with the current tag goes to the app as the app's own validator again
 * ({@code "abc"}, {@code W/"abc"}), one with another tag is dropped (the copy it names has links the map no longer
 * gives), any other entry passes. A 304 answer to a request that carried an entry with the current tag has its
 * {@code ETag} tagged the same way, so it names the copy the browser holds.
 */
public final class TranslatedEtag {
    /** An entity tag: optional {@code W/}, then a quoted string without quotes (RFC 9110 §8.8.3). */
    private static final Pattern ENTITY_TAG = Pattern.compile("\\s*(W/)?\"([^\"]*)\"\\s*");
    /** What {@link #sent} adds: {@code -l}, {@code s} (strong) or {@code w} (weak), the tag. */
    private static final Pattern SUFFIX = Pattern.compile("(.*)-l([sw])([0-9a-f]{" + 2 * LinkMap.TAG_BYTES + "})");

    private TranslatedEtag() {
    }

    /** The ETag a page translated with {@code map} is sent with, for the app's {@code etag}; a malformed one is kept. */
    public static String sent(String etag, LinkMap map) {
        Matcher m = ENTITY_TAG.matcher(etag);
        if (!m.matches()) {
            return etag;
        }
        return "W/\"" + m.group(2) + "-l" + (m.group(1) == null ? "s" : "w") + map.tag() + "\"";
    }

    /** {@code headers} with each ETag as {@link #sent} says. */
    public static List<HeaderField> sent(List<HeaderField> headers, LinkMap map) {
        List<HeaderField> out = new ArrayList<>(headers.size());
        for (HeaderField h : headers) {
            out.add(h.name().equalsIgnoreCase("etag") ? new HeaderField(h.name(), sent(h.value(), map)) : h);
        }
        return out;
    }

    /**
     * An {@code If-None-Match} value as the app is to see it: entries with the current tag as the app sent them, those
     * with another tag left out; empty when none is left. A value that is not a list of entity tags ({@code *}, or
     * malformed) passes as it is.
     */
    public static Optional<String> forApp(String ifNoneMatch, LinkMap map) {
        Optional<List<Entry>> entries = entries(ifNoneMatch);
        if (entries.isEmpty()) {
            return Optional.of(ifNoneMatch);
        }
        List<String> out = new ArrayList<>();
        for (Entry e : entries.get()) {
            Matcher s = e.weak() ? SUFFIX.matcher(e.opaque()) : null;
            if (s == null || !s.matches()) {
                out.add(e.text());
            } else if (s.group(3).equals(map.tag())) {
                out.add((s.group(2).equals("w") ? "W/\"" : "\"") + s.group(1) + "\"");
            }
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", out));
    }

    /** Whether {@code ifNoneMatch} has an entry {@link #sent} with the current tag (so a 304 to it is for a translated copy). */
    public static boolean namesTranslatedCopy(String ifNoneMatch, LinkMap map) {
        return entries(ifNoneMatch).orElse(List.of()).stream().anyMatch(e -> {
            Matcher s = SUFFIX.matcher(e.opaque());
            return e.weak() && s.matches() && s.group(3).equals(map.tag());
        });
    }

    private record Entry(boolean weak, String opaque, String text) {
    }

    /** The entity tags of a list, or empty when it is not one. */
    private static Optional<List<Entry>> entries(String value) {
        List<Entry> out = new ArrayList<>();
        int i = 0;
        int n = value.length();
        while (i < n) {
            char c = value.charAt(i);
            if (c == ',' || c == ' ' || c == '\t') {
                i++;
                continue;
            }
            int start = i;
            boolean weak = value.startsWith("W/", i);
            i += weak ? 2 : 0;
            if (i >= n || value.charAt(i) != '"') {
                return Optional.empty();
            }
            int close = value.indexOf('"', i + 1);
            if (close < 0) {
                return Optional.empty();
            }
            out.add(new Entry(weak, value.substring(i + 1, close), value.substring(start, close + 1)));
            i = close + 1;
        }
        return out.isEmpty() ? Optional.empty() : Optional.of(out);
    }
}
