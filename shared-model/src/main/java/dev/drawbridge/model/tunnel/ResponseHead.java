package dev.drawbridge.model.tunnel;

import java.util.List;
import java.util.Optional;

/** The internal app's response status and headers, as the connector received them. */
public record ResponseHead(int status, List<HeaderField> headers) {
    public ResponseHead {
        if (status < 100 || status > 999) {
            throw new IllegalArgumentException("status out of range: " + status);
        }
        headers = List.copyOf(headers);
    }

    /** First value of a header, case-insensitively. */
    public Optional<String> header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(HeaderField::value).findFirst();
    }
}
