package dev.drawbridge.proxy.web;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;

/**
 * An answer the server writes before it has read the request's body (a 404 for a POST to an unknown group, a 401, a
 * 400 found in the path) must not leave the client a connection that is about to close. Jetty sends such an answer as
 * a persistent one, then closes the HTTP/1.1 connection when the body has not fully arrived by the time the handler is
 * done (it cannot tell where the next request would start); a client that pools connections, such as the JDK's
 * {@code HttpClient} under the admin client, sends its next request on it, which fails ("header parser received no
 * bytes") and, for a POST, is not retried. So, just before such an answer is committed, what has arrived of the body is
 * read and dropped; when that is not all of it, the answer says {@code Connection: close} and the client opens a new
 * connection. The handler below never reads a body after it wrote a whole answer (writes with {@code last}), which is
 * when this reads it; bodies of answers written in parts (streams, proxied responses) are left alone.
 */
public final class UnreadBody {
    /** At most this many chunks are dropped; a body still coming after them closes the connection. */
    private static final int MAX_CHUNKS = 64;

    private UnreadBody() {
    }

    /** {@code response}, or for an HTTP/1.1 request with a body, a view of it that does the above. */
    public static Response guard(Request request, Response response) {
        boolean body = request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        if (!body || request.getConnectionMetaData().getHttpVersion() != HttpVersion.HTTP_1_1) {
            return response;
        }
        return new Response.Wrapper(request, response) {
            @Override
            public void write(boolean last, ByteBuffer content, Callback callback) {
                if (last && !isCommitted() && !drained(request)) {
                    getHeaders().put(HttpHeader.CONNECTION, HttpHeaderValue.CLOSE.asString());
                }
                super.write(last, content, callback);
            }
        };
    }

    /** Reads and drops what has arrived of the body; whether that was all of it. Never waits. */
    static boolean drained(Request request) {
        for (int i = 0; i < MAX_CHUNKS; i++) {
            Content.Chunk chunk = request.read();
            if (chunk == null || Content.Chunk.isFailure(chunk)) {
                return false;
            }
            boolean last = chunk.isLast();
            chunk.release();
            if (last) {
                return true;
            }
        }
        return false;
    }
}
