package dev.drawbridge.proxy.admin;

import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.web.JsonBody;
import dev.drawbridge.proxy.web.ValidationException;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.Fields;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/** An {@link AdminRequest} over a Jetty request and the path parameters its route's template names. */
final class JettyAdminRequest implements AdminRequest {
    private final Request request;
    private final Map<String, String> path;
    private Fields query;

    JettyAdminRequest(Request request, Map<String, String> path) {
        this.request = request;
        this.path = Map.copyOf(path);
    }

    @Override
    public String path(String name) {
        String v = path.get(name);
        if (v == null) {
            throw new IllegalArgumentException("the route has no path parameter {" + name + "}");
        }
        return v;
    }

    @Override
    public Optional<String> query(String name) {
        if (query == null) {
            query = Request.extractQueryParameters(request);
        }
        return Optional.ofNullable(query.getValue(name));
    }

    @Override
    public <T> T body(Class<T> type) throws ValidationException, IOException {
        return JsonBody.read(request, type);
    }

    @Override
    public byte[] bytes(int max) throws IOException {
        try (InputStream in = Content.Source.asInputStream(request)) {
            return in.readNBytes(max);
        }
    }

    @Override
    public InputStream stream() {
        return Content.Source.asInputStream(request);
    }

    @Override
    public Optional<String> header(String name) {
        return Optional.ofNullable(request.getHeaders().get(name));
    }

    @Override
    public String clientAddress() {
        return Request.getRemoteAddr(request);
    }
}
