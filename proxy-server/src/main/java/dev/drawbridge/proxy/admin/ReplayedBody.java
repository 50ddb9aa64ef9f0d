package dev.drawbridge.proxy.admin;

import dev.drawbridge.proxy.web.JsonBody;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A request body read once (at most one byte past {@link JsonBody#MAX_BYTES}, so an oversized body still gets
 * JsonBody's answer) and handed to each reader in full: {@link UserGuard} reads the target from it, then the
 * operation reads the very same bytes, so the two cannot see different users.
 */
final class ReplayedBody {
    private final Request request;
    private final byte[] bytes;

    private ReplayedBody(Request request, byte[] bytes) {
        this.request = request;
        this.bytes = bytes;
    }

    static ReplayedBody read(Request request) throws IOException {
        try (InputStream in = Content.Source.asInputStream(request)) {
            return new ReplayedBody(request, in.readNBytes(JsonBody.MAX_BYTES + 1));
        }
    }

    /** A fresh view of the request whose body is the bytes read. */
    Request request() {
        AtomicBoolean served = new AtomicBoolean();
        return new Request.Wrapper(request) {
            @Override
            public Content.Chunk read() {
                return served.getAndSet(true) ? Content.Chunk.EOF : Content.Chunk.from(ByteBuffer.wrap(bytes).asReadOnlyBuffer(), true);
            }

            @Override
            public void demand(Runnable demandCallback) {
                demandCallback.run();
            }
        };
    }
}
