package dev.drawbridge.proxy.apps;

import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.web.ValidationException;
import org.jooq.DSLContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

import static dev.drawbridge.proxy.store.db.Tables.APP_ICON;

/**
 * Apps' icons for My Apps, in the database: PNG or SVG, at most {@value #MAX_BYTES} bytes, the type
 * decided by the bytes themselves (PNG signature; SVG: UTF-8 text whose first element is {@code <svg>})
 * and required to match the type the uploader declared.
 */
public final class AppIcons {
    public static final int MAX_BYTES = 256 * 1024;
    public static final String PNG = "image/png";
    public static final String SVG = "image/svg+xml";
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    /** A stored icon; {@code sha256} (hex) doubles as its ETag and cache-busting version. */
    public record Icon(String contentType, byte[] body, String sha256) {
        public Icon {
            body = body.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }
    }

    private final DSLContext dsl;
    private final Clock clock;

    public AppIcons(Database db, Clock clock) {
        this.dsl = db.dsl();
        this.clock = clock;
    }

    /** Checks an upload; returns the icon, or throws naming the field {@code icon}. */
    public static Icon validate(String declaredType, byte[] body) throws ValidationException {
        String type = declaredType == null ? "" : declaredType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (!type.equals(PNG) && !type.equals(SVG)) {
            throw new ValidationException("icon", "send the icon as image/png or image/svg+xml (Content-Type), not '" + type + "'");
        }
        if (body.length == 0) {
            throw new ValidationException("icon", "the icon is empty");
        }
        if (body.length > MAX_BYTES) {
            throw new ValidationException("icon", "the icon is larger than 256 KiB (" + body.length + " bytes)");
        }
        String actual = isPng(body) ? PNG : isSvg(body) ? SVG : "";
        if (actual.isEmpty()) {
            throw new ValidationException("icon", "the body is neither a PNG nor an SVG image");
        }
        if (!actual.equals(type)) {
            throw new ValidationException("icon", "the body is " + actual + " but was sent as " + type);
        }
        return new Icon(type, body, sha256(body));
    }

    static boolean isPng(byte[] b) {
        return b.length > PNG_SIGNATURE.length && Arrays.equals(b, 0, PNG_SIGNATURE.length, PNG_SIGNATURE, 0, PNG_SIGNATURE.length);
    }

    /** UTF-8 text whose first element, after an optional XML declaration, comments and whitespace, is {@code <svg}. */
    static boolean isSvg(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        if (s.indexOf('\uFFFD') >= 0 || s.indexOf('\0') >= 0) {
            return false;
        }
        int i = s.startsWith("\uFEFF") ? 1 : 0;
        while (true) {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
            if (s.startsWith("<?xml", i)) {
                int end = s.indexOf("?>", i);
                if (end < 0) {
                    return false;
                }
                i = end + 2;
            } else if (s.startsWith("<!--", i)) {
                int end = s.indexOf("-->", i);
                if (end < 0) {
                    return false;
                }
                i = end + 3;
            } else {
                return s.startsWith("<svg", i) && i + 4 < s.length()
                        && (Character.isWhitespace(s.charAt(i + 4)) || s.charAt(i + 4) == '>' || s.charAt(i + 4) == '/');
            }
        }
    }

    public Optional<Icon> find(String appId) {
        return dsl.selectFrom(APP_ICON).where(APP_ICON.APP_ID.eq(appId))
                .fetchOptional(r -> new Icon(r.getContentType(), r.getBody(), r.getSha256()));
    }

    /** The icon's version (its hash), without loading it. */
    public Optional<String> version(String appId) {
        return dsl.select(APP_ICON.SHA256).from(APP_ICON).where(APP_ICON.APP_ID.eq(appId)).fetchOptional(APP_ICON.SHA256);
    }

    public void save(String appId, Icon icon) {
        dsl.transaction(tx -> {
            tx.dsl().deleteFrom(APP_ICON).where(APP_ICON.APP_ID.eq(appId)).execute();
            tx.dsl().insertInto(APP_ICON).set(APP_ICON.APP_ID, appId).set(APP_ICON.CONTENT_TYPE, icon.contentType())
                    .set(APP_ICON.BODY, icon.body()).set(APP_ICON.SHA256, icon.sha256())
                    .set(APP_ICON.UPDATED_AT, clock.instant().atOffset(ZoneOffset.UTC)).execute();
        });
    }

    public boolean delete(String appId) {
        return dsl.deleteFrom(APP_ICON).where(APP_ICON.APP_ID.eq(appId)).execute() > 0;
    }

    private static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
