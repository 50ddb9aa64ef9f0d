package dev.drawbridge.adminclient;

import java.nio.charset.StandardCharsets;

/**
 * A request or answer body that is not the admin API's JSON, sent and received with its media type: an app's
 * {@link Icon} or {@link SamlMetadata} (as bytes in memory), or a connector update {@link BundleFile} (streamed from its
 * file, sent only). An {@link Operation} parameter of such a type is the raw body; a return type of such a type reads
 * the raw answer.
 */
public sealed interface RawContent permits Icon, SamlMetadata, BundleFile {
    /** The media type sent as Content-Type. */
    String contentType();

    /** The answer {@code body} (of media type {@code contentType}) as {@code type}. */
    static RawContent read(Class<?> type, String contentType, byte[] body) {
        if (type == Icon.class) {
            return new Icon(contentType, body);
        }
        if (type == SamlMetadata.class) {
            return new SamlMetadata(new String(body, StandardCharsets.UTF_8));
        }
        throw new IllegalArgumentException(type + " is not raw content");
    }
}
