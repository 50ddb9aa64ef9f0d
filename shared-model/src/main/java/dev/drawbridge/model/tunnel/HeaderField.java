package dev.drawbridge.model.tunnel;

import java.util.Objects;

/** One HTTP header line as carried through the tunnel, in order, duplicates kept. */
public record HeaderField(String name, String value) {
    public HeaderField {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("header name must not be empty");
        }
    }
}
