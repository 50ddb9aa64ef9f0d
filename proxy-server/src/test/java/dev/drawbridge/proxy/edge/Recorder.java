package dev.drawbridge.proxy.edge;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * Component-test fake for "the next handler": answers 200 with its name and keeps, per request it was handed, what
 * {@code capture} read from the request (typically the attributes the handler under test set).
 */
public final class Recorder<T> extends Handler.Abstract {
    private final String name;
    private final Function<Request, T> capture;
    private final List<T> seen = new CopyOnWriteArrayList<>();

    public Recorder(String name, Function<Request, T> capture) {
        this.name = name;
        this.capture = capture;
    }

    public static Recorder<String> named(String name) {
        return new Recorder<>(name, r -> r.getHttpURI().getPath());
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        seen.add(capture.apply(request));
        response.write(true, ByteBuffer.wrap(name.getBytes(StandardCharsets.UTF_8)), callback);
        return true;
    }

    public String name() {
        return name;
    }

    public List<T> seen() {
        return List.copyOf(seen);
    }

    public T last() {
        return seen.getLast();
    }

    public void clear() {
        seen.clear();
    }
}
