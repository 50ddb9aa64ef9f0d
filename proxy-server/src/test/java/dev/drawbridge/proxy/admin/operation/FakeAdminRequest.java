package dev.drawbridge.proxy.admin.operation;

import dev.drawbridge.proxy.web.ValidationException;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** An {@link AdminRequest} for unit tests of resource classes: path and query parameters and a body given as a value. */
public final class FakeAdminRequest implements AdminRequest {
    private final Map<String, String> path = new HashMap<>();
    private final Map<String, String> query = new HashMap<>();
    private Object body;

    public FakeAdminRequest path(String name, String value) {
        path.put(name, value);
        return this;
    }

    public FakeAdminRequest query(String name, String value) {
        query.put(name, value);
        return this;
    }

    public FakeAdminRequest body(Object value) {
        body = value;
        return this;
    }

    @Override
    public String path(String name) {
        String v = path.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no path parameter " + name);
        }
        return v;
    }

    @Override
    public Optional<String> query(String name) {
        return Optional.ofNullable(query.get(name));
    }

    @Override
    public <T> T body(Class<T> type) throws ValidationException, IOException {
        if (body == null) {
            throw new ValidationException("body", "a JSON object is required");
        }
        return type.cast(body);
    }

    @Override
    public byte[] bytes(int max) {
        return body instanceof byte[] b ? b : new byte[0];
    }

    @Override
    public InputStream stream() {
        return new ByteArrayInputStream(bytes(Integer.MAX_VALUE));
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.empty();
    }

    @Override
    public String clientAddress() {
        return "127.0.0.1";
    }
}
