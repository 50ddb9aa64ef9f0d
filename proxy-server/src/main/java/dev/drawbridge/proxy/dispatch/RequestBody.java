package dev.drawbridge.proxy.dispatch;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.Trailers;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

/**
 * Whether a client's request has a body, and the body as dispatch reads it, with its trailers. On HTTP/1.1 a body is
 * announced (Content-Length, chunked coding). On HTTP/2 a request without Content-Length has a body unless its headers
 * ended the stream (END_STREAM): Jetty then has the end of the content ready at once, so the first chunk is looked at;
 * when it is body bytes or trailers it is kept and read first by {@link #source}.
 */
final class RequestBody {
    private static final String PEEKED = RequestBody.class.getName() + ".peeked";

    private RequestBody() {
    }

    static boolean present(Request request) {
        long length = request.getLength();
        if (length > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
            return true;
        }
        if (length == 0 || request.getConnectionMetaData().getHttpVersion().getVersion() < HttpVersion.HTTP_2.getVersion()) {
            return false;
        }
        if (request.getAttribute(PEEKED) instanceof Content.Chunk seen) {
            return !isEnd(seen);
        }
        Content.Chunk first = request.read();
        if (first == null) {
            // Nothing yet, and no end either: DATA frames will come.
            return true;
        }
        request.setAttribute(PEEKED, first);
        return !isEnd(first);
    }

    private static boolean isEnd(Content.Chunk c) {
        return c.isLast() && !c.hasRemaining() && !(c instanceof Trailers) && !Content.Chunk.isFailure(c);
    }

    /** The body, a chunk {@link #present} looked at first; {@code trailers} gets the client's trailers if it sends any. */
    static Content.Source source(Request request, TrailerSink trailers) {
        Content.Chunk peeked = request.getAttribute(PEEKED) instanceof Content.Chunk c ? c : null;
        request.removeAttribute(PEEKED);
        return new Content.Source() {
            private Content.Chunk first = peeked;

            @Override
            public Content.Chunk read() {
                Content.Chunk c = first;
                if (c != null) {
                    first = null;
                } else {
                    c = request.read();
                }
                if (c instanceof Trailers t) {
                    trailers.accept(t.getTrailers());
                }
                return c;
            }

            @Override
            public void demand(Runnable demandCallback) {
                if (first != null) {
                    demandCallback.run();
                } else {
                    request.demand(demandCallback);
                }
            }

            @Override
            public void fail(Throwable failure) {
                request.fail(failure);
            }

            @Override
            public long getLength() {
                return request.getLength();
            }
        };
    }

    /** Receives the client's trailer fields. */
    @FunctionalInterface
    interface TrailerSink {
        void accept(HttpFields trailers);
    }
}
