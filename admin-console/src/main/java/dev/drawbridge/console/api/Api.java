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

    /**
     * Calls the API with a raw body ({@code contentType}, e.g. image/png) or none, and returns the raw answer; a
     * 404 or other failure is an {@link ApiException} as for {@link #call}.
     */
    Binary exchange(String method, String path, String contentType, byte[] body) throws ApiException;

    /** A raw answer: its content type (without parameters) and bytes. */
    record Binary(String contentType, byte[] bytes) {
        public Binary {
            contentType = contentType == null ? "" : contentType.split(";")[0].strip();
            bytes = bytes == null ? new byte[0] : bytes;
        }
    }

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
