package dev.drawbridge.console.api;

import com.fasterxml.jackson.core.type.TypeReference;

import java.lang.reflect.Type;
import java.net.URI;

/**
 * The admin REST API as the console's view models see it: JSON in, typed records out, failures as
 * {@link ApiException}. Paths are relative to {@code /api/v1/} and carry their own query string.
 */
public interface Api {
    /** Calls the API; {@code body} is serialized to JSON when not null; a 204 answer returns null. */
    <T> T call(String method, String path, Object body, Type type) throws ApiException;

    /** The server's admin URL, e.g. https://admin.apps.example.com:8443. */
    URI server();

    default <T> T get(String path, Class<T> type) throws ApiException {
        return call("GET", path, null, type);
    }

    default <T> T get(String path, TypeReference<T> type) throws ApiException {
        return call("GET", path, null, type.getType());
    }

    default <T> T post(String path, Object body, Class<T> type) throws ApiException {
        return call("POST", path, body, type);
    }

    default <T> T post(String path, Object body, TypeReference<T> type) throws ApiException {
        return call("POST", path, body, type.getType());
    }

    default <T> T put(String path, Object body, Class<T> type) throws ApiException {
        return call("PUT", path, body, type);
    }

    default void delete(String path) throws ApiException {
        call("DELETE", path, null, Void.class);
    }

    /** Percent-encodes a query parameter value or a path segment. */
    static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }
}
