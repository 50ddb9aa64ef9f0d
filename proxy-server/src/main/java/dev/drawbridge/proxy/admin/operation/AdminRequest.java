package dev.drawbridge.proxy.admin.operation;

import dev.drawbridge.proxy.web.ValidationException;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * One admin API request as an operation sees it, after routing, authentication and authorization. The body can be
 * read once: as JSON ({@link #body}) or as bytes ({@link #bytes}).
 */
public interface AdminRequest {
    /** The path segment the route's template names {@code {name}} (never empty). */
    String path(String name);

    /** A query parameter, as sent. */
    Optional<String> query(String name);

    /**
     * The JSON body as a {@code type}: a 400 naming the field for a wrong content type, an empty, oversized or
     * malformed body, an unknown field or a value of the wrong type.
     */
    <T> T body(Class<T> type) throws ValidationException, IOException;

    /** At most {@code max} bytes of the body (one more than allowed tells an oversized body). */
    byte[] bytes(int max) throws IOException;

    /** The body as a stream, read as it arrives (an upload too large to hold in memory). */
    InputStream stream() throws IOException;

    /** A request header. */
    Optional<String> header(String name);

    /** The client's address (as the trusted proxies in front report it). */
    String clientAddress();
}
