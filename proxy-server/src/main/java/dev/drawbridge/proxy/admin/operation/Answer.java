package dev.drawbridge.proxy.admin.operation;

import java.util.Map;

/** What an admin API operation answers; the dispatcher writes it (with the header that marks the server's own answers). */
public sealed interface Answer {
    /** A JSON body. */
    record Json(int status, Object body) implements Answer {
    }

    /** 204 No Content. */
    record NoContent() implements Answer {
    }

    /** A 200 with a body that is not JSON (an icon), and headers of its own. */
    record Bytes(String contentType, byte[] body, Map<String, String> headers) implements Answer {
        public Bytes {
            body = body.clone();
            headers = Map.copyOf(headers);
        }
    }

    /** 200 with {@code body} as JSON. */
    static Answer ok(Object body) {
        return new Json(200, body);
    }

    /** 201 with {@code body} as JSON: the resource created. */
    static Answer created(Object body) {
        return new Json(201, body);
    }

    static Answer noContent() {
        return new NoContent();
    }
}
