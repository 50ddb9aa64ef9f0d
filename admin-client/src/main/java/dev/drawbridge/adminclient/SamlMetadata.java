package dev.drawbridge.adminclient;

import java.nio.charset.StandardCharsets;

/**
 * SAML metadata (XML) as it goes over the wire ({@code application/samlmetadata+xml}): an app's identity provider
 * metadata that the server answers, or a service provider's metadata sent for the server to read.
 */
public record SamlMetadata(String xml) implements RawContent {
    public SamlMetadata {
        if (xml == null) {
            throw new IllegalArgumentException("metadata needs its XML");
        }
    }

    @Override
    public String contentType() {
        return "application/samlmetadata+xml";
    }

    /** The XML as UTF-8, as it is sent. */
    public byte[] bytes() {
        return xml.getBytes(StandardCharsets.UTF_8);
    }
}
