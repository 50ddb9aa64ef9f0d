package dev.drawbridge.adminclient;

import java.util.Arrays;
import java.util.Locale;

/**
 * An app's icon as it goes over the wire: its media type ({@code image/png} or {@code image/svg+xml}) and bytes.
 * The server checks the bytes against the type; the client sends and receives them as they are.
 */
public record Icon(String contentType, byte[] bytes) implements RawContent {
    public Icon {
        if (contentType == null || contentType.isBlank()) {
            throw new IllegalArgumentException("an icon needs a media type");
        }
        if (bytes == null) {
            throw new IllegalArgumentException("an icon needs its bytes");
        }
        bytes = bytes.clone();
    }

    /** A copy of the icon's bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The media type without parameters, lower case ({@code image/svg+xml}). */
    public String mediaType() {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Icon i && i.contentType.equals(contentType) && Arrays.equals(i.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return contentType.hashCode() * 31 + Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "Icon[" + contentType + ", " + bytes.length + " bytes]";
    }
}
