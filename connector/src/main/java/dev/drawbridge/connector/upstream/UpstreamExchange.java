package dev.drawbridge.connector.upstream;

import dev.drawbridge.connector.http.RequestContext;
import dev.drawbridge.model.http.HeaderNames;
import dev.drawbridge.model.http.HopByHop;
import dev.drawbridge.model.tunnel.BodyChunks;
import dev.drawbridge.model.tunnel.Deadlines;
import dev.drawbridge.model.tunnel.FrameCodec;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.ResponseHead;
import dev.drawbridge.model.tunnel.StreamChunk;
import dev.drawbridge.model.tunnel.StreamResetException;
import dev.drawbridge.model.tunnel.TunnelStream;
import dev.drawbridge.tunnel.transport.ChunkWrites;
import org.eclipse.jetty.client.AsyncRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import javax.net.ssl.SSLException;

/**
 * One request carried from a tunnel stream to the internal app ({@code connectorToUpstream}) and
 * its response carried back. Both bodies stream with bounded memory: the tunnel's credit window on
 * one side, Jetty's demand on the other. Small answers to bodyless requests are handled entirely in
 * Jetty's callbacks; everything that streams runs on a virtual thread of its own.
 */
public final class UpstreamExchange {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamExchange.class);
    /** Bodies up to this size (with a Content-Length) go in one WHOLE frame with the head. */
    static final int WHOLE_LIMIT = 16 * 1024;
    private final HttpClient http;
    /** HTTP/2 only, for gRPC requests ({@link GrpcUpstream}); null: they go with {@link #http} too. */
    private final HttpClient h2;

    public UpstreamExchange(HttpClient http) {
        this(http, null);
    }

    /** @param h2 the client for gRPC requests, which need HTTP/2 ({@code Clients.http2Client}) */
    public UpstreamExchange(HttpClient http, HttpClient h2) {
        this.http = http;
        this.h2 = h2;
    }

    /**
     * Starts the exchange without blocking (called on the tunnel's reader thread). A request without a body is sent
     * at once and its response handled in Jetty's callbacks: a small answer (Content-Length up to
     * {@link #WHOLE_LIMIT}, or none by definition) goes back as one WHOLE frame from the client's own thread, with no
     * thread of ours in between unless the tunnel's send budget is used up; anything else continues on a virtual thread,
     * as do requests with a body.
     */
    public void start(TunnelStream stream) {
        start(stream, stream.request());
    }

    /** As {@link #start(TunnelStream)}, sending {@code head} (the stream's, after single sign-on) to the app. */
    public void start(TunnelStream stream, RequestHead head) {
        if (head.body() || GrpcUpstream.isGrpc(head)) {
            Thread.ofVirtual().name("stream-" + stream.id()).start(RequestContext.with(head, () -> run(stream, head)));
            return;
        }
        Request request = newRequest(stream, head);
        if (request == null) {
            return;
        }
        AsyncResponse listener = new AsyncResponse(stream, request);
        listener.armHeadTimeout();
        request.send(listener);
    }

    /**
     * As {@link #start(TunnelStream, RequestHead)}, with {@code interceptor} looking at the app's answer first (on a
     * virtual thread of the stream's own).
     */
    public void start(TunnelStream stream, RequestHead head, ResponseInterceptor interceptor) {
        Thread.ofVirtual().name("stream-" + stream.id()).start(RequestContext.with(head, () -> exchange(stream, head, null, interceptor)));
    }

    /** The whole exchange on the calling (virtual) thread, blocking while bodies stream. */
    public void run(TunnelStream stream) {
        run(stream, stream.request());
    }

    /** As {@link #run(TunnelStream)}, sending {@code head} (the stream's, after single sign-on) to the app. */
    public void run(TunnelStream stream, RequestHead head) {
        exchange(stream, head, null, null);
    }

    /**
     * As {@link #run(TunnelStream, RequestHead)}, signing the user in with {@code auth} (may be null): its credential goes
     * up front (always for a request with a body), or after the app's {@code 401} challenge of its scheme, when the
     * bodyless request is sent once more with it; the app's answer to a request that carried it is checked by
     * {@link ChallengeAuth#accept}. A refusal resets the stream SSO_REFUSED with the reason, and the app's answer (if
     * any) is not relayed.
     */
    public void run(TunnelStream stream, RequestHead head, ChallengeAuth auth) {
        exchange(stream, head, auth, null);
    }

    /** One exchange: {@code auth} signs the user in by challenge, {@code interceptor} looks at the answer first (each may be null). */
    private void exchange(TunnelStream stream, RequestHead head, ChallengeAuth auth, ResponseInterceptor interceptor) {
        boolean sendAuth = auth != null && (auth.upFront() || head.body());
        Request request;
        try {
            // The client's own Authorization never reaches an app the connector signs the user in to (found by the hostile
            // review: the first, unauthenticated request carried it, and a backend that took it answered as whoever it named).
            request = newRequest(stream, sendAuth ? authorized(head, auth) : auth != null ? withoutAuthorization(head) : head);
        } catch (ChallengeAuth.RefusedException e) {
            refuse(stream, e);
            return;
        }
        if (request == null) {
            return;
        }
        AsyncRequestContent content = null;
        if (head.body()) {
            content = new AsyncRequestContent(head.header("Content-Type").orElse(null));
            request.body(content);
            if (GrpcUpstream.isGrpc(head)) {
                // The client's trailers, once its body ended (read by the time the body's end reaches Jetty).
                request.trailersSupplier(() -> GrpcUpstream.jetty(stream.trailers()));
            }
        }
        CountingResponseListener listener = new CountingResponseListener();
        request.send(listener);
        if (content != null) {
            AsyncRequestContent body = content;
            Thread.startVirtualThread(() -> pumpUp(stream, body, request));
        }
        Response response;
        try {
            response = listener.get(head.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            request.abort(e);
            stream.reset(ResetCode.UPSTREAM_TIMEOUT, noResponseWithin(head));
            return;
        } catch (ExecutionException e) {
            failed(stream, e.getCause());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.abort(e);
            stream.reset(ResetCode.CANCEL, "connector stopping");
            return;
        }
        if (auth != null && !sendAuth && response.getStatus() == 401
                && ChallengeAuth.challenge(response.getHeaders().getValuesList(HttpHeader.WWW_AUTHENTICATE), auth.scheme()).isPresent()) {
            // The app asks for the user: answer its challenge with the same (bodyless) request, once.
            request.abort(new ChallengeAuth.RefusedException("challenge answered"));
            exchange(stream, head, new UpFront(auth), interceptor);
            return;
        }
        if (sendAuth) {
            try {
                if (response.getStatus() == 401
                        && ChallengeAuth.challenge(response.getHeaders().getValuesList(HttpHeader.WWW_AUTHENTICATE), auth.scheme()).isPresent()) {
                    throw new ChallengeAuth.RefusedException("the app refused the " + auth.scheme() + " credential (401)");
                }
                auth.accept(response.getStatus(), response.getHeaders().getValuesList(HttpHeader.WWW_AUTHENTICATE));
            } catch (ChallengeAuth.RefusedException e) {
                request.abort(e);
                refuse(stream, e);
                return;
            }
        }
        if (interceptor != null) {
            try {
                if (interceptor.intercept(http, stream, head, response, listener::getInputStream)) {
                    request.abort(new IOException("answered by single sign-on"));
                    return;
                }
            } catch (IOException e) {
                request.abort(e);
                stream.reset(ResetCode.UPSTREAM_ERROR, "the internal app failed during single sign-on: " + e.getMessage());
                return;
            } catch (RuntimeException e) {
                // Never a stream left unanswered; the message could hold what the step handled, so only the kind goes.
                request.abort(e);
                stream.reset(ResetCode.UPSTREAM_ERROR, "single sign-on failed (" + e.getClass().getSimpleName() + ")");
                LOG.warn("stream {}: single sign-on step failed: {}", stream.id(), e.getClass().getName());
                return;
            }
            relayResponse(stream, request, response, listener, interceptor::filter);
            return;
        }
        relayResponse(stream, request, response, listener, h -> h);
    }

    /** {@code head} with the credential of {@code auth} as its only {@code Authorization} (every client spelling removed). */
    public static RequestHead authorized(RequestHead head, ChallengeAuth auth) throws ChallengeAuth.RefusedException {
        String value = auth.authorization();
        List<HeaderField> headers = new ArrayList<>(withoutAuthorization(head).headers());
        headers.add(new HeaderField("Authorization", value));
        return new RequestHead(head.appId(), head.method(), head.upstreamUri(), headers, head.timeout(), head.websocket(), head.body(),
                head.identity(), head.sso());
    }

    /** {@code head} without any spelling of {@code Authorization}. */
    static RequestHead withoutAuthorization(RequestHead head) {
        List<HeaderField> headers = new ArrayList<>(head.headers().size());
        for (HeaderField h : head.headers()) {
            if (!HeaderNames.canonical(h.name()).equals("authorization")) {
                headers.add(h);
            }
        }
        return new RequestHead(head.appId(), head.method(), head.upstreamUri(), headers, head.timeout(), head.websocket(), head.body(),
                head.identity(), head.sso());
    }

    private static void refuse(TunnelStream stream, ChallengeAuth.RefusedException e) {
        LOG.info("app {}: single sign-on refused: {}", stream.request().appId(), e.getMessage());
        stream.reset(ResetCode.SSO_REFUSED, "single sign-on refused: " + e.getMessage());
    }

    /** The same authenticator, sending its credential up front (the answer to a challenge). */
    private record UpFront(ChallengeAuth auth) implements ChallengeAuth {
        @Override
        public String scheme() {
            return auth.scheme();
        }

        @Override
        public boolean upFront() {
            return true;
        }

        @Override
        public String authorization() throws RefusedException {
            return auth.authorization();
        }

        @Override
        public void accept(int status, List<String> wwwAuthenticate) throws RefusedException {
            auth.accept(status, wwwAuthenticate);
        }
    }

    /** The request to the internal app, or null (and the stream reset) when the internal URL is unusable. */
    private Request newRequest(TunnelStream stream, RequestHead head) {
        Request request;
        boolean grpc = GrpcUpstream.isGrpc(head);
        try {
            request = (grpc && h2 != null ? h2 : http).newRequest(URI.create(head.upstreamUri())).method(head.method())
                    .idleTimeout(head.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (IllegalArgumentException e) {
            stream.reset(ResetCode.UPSTREAM_UNREACHABLE, "invalid internal URL: " + e.getMessage());
            return null;
        }
        // The proxy gave up (its client went away, an HTTP/2 reset, a gRPC cancel): so does the app's request.
        Request started = request;
        stream.whenReset(started::abort);
        List<HeaderField> headers = HopByHop.strip(head.headers());
        request.headers(h -> {
            for (HeaderField f : headers) {
                if (!f.name().equalsIgnoreCase("expect")) {
                    h.add(new HttpField(f.name(), f.value()));
                }
            }
            if (grpc) {
                // This hop relays trailers: say so, as gRPC servers expect (the client's TE stopped at the proxy).
                h.put("te", "trailers");
            }
        });
        return request;
    }

    private static String noResponseWithin(RequestHead head) {
        long ms = head.timeout().toMillis();
        return "no response within " + (ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms");
    }

    /**
     * The exchange failed before the app's response head: a timeout then means the app did not answer in time, whichever
     * of the two timers fired first (the head deadline, or the request's idle timeout of the same length).
     */
    private static void failed(TunnelStream stream, Throwable cause) {
        RequestHead head = stream.request();
        stream.reset(classify(cause), failedBeforeHead(head, cause));
        LOG.debug("{} {} failed: {}", head.method(), head.upstreamUri(), cause.toString());
    }

    private static ResponseHead responseHead(Response response) {
        List<HeaderField> out = new ArrayList<>(response.getHeaders().size());
        for (HttpField f : response.getHeaders()) {
            out.add(new HeaderField(f.getName(), f.getValue()));
        }
        return new ResponseHead(response.getStatus(), out);
    }

    /**
     * The body size when the answer goes back as one WHOLE frame: none for a HEAD request or a 204/304 answer, else a
     * Content-Length up to {@link #WHOLE_LIMIT}; -1 when the body has to stream.
     */
    private static int wholeSize(Request request, Response response) {
        if (HttpMethod.HEAD.is(request.getMethod()) || response.getStatus() == 204 || response.getStatus() == 304) {
            return 0;
        }
        long length = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        return length >= 0 && length <= WHOLE_LIMIT ? (int) length : -1;
    }

    /** Head and body back through the tunnel, reading the body from {@code listener}'s stream (blocking). */
    private static void relayResponse(TunnelStream stream, Request request, Response response, CountingResponseListener listener,
                                      UnaryOperator<ResponseHead> filter) {
        try (InputStream in = listener.getInputStream()) {
            boolean grpc = GrpcUpstream.isGrpc(stream.request());
            // A gRPC answer ends with trailers, known only at its end: it never travels WHOLE.
            int whole = grpc ? -1 : wholeSize(request, response);
            if (whole >= 0) {
                // Small answers are the common case: head, body and end travel as one frame.
                byte[] body = in.readNBytes(whole);
                stream.sendWhole(filter.apply(responseHead(response)), body);
                return;
            }
            long length = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
            stream.sendHead(filter.apply(responseHead(response)));
            // Up to one full DATA frame, topped up from what has already arrived (never waiting for more).
            int size = FrameCodec.MAX_DATA_PAYLOAD;
            byte[] buf = new byte[length >= 0 && length < size ? (int) Math.max(length, 1) : size];
            int n;
            while ((n = BodyChunks.readAvailable(in, buf, 0, buf.length)) >= 0) {
                stream.write(buf, 0, n);
            }
            // The body ended, so the response is complete and its trailers (if any) are there.
            stream.endOutput(GrpcUpstream.fields(response.getTrailers()));
        } catch (StreamResetException e) {
            // The proxy gave up (client gone): stop reading from the app.
            request.abort(e);
        } catch (IOException e) {
            request.abort(e);
            stream.reset(ResetCode.UPSTREAM_ERROR, "the internal app failed mid-response: " + e.getMessage());
        }
    }

    /**
     * The response of a bodyless request, handled in Jetty's callbacks. A small body is collected into one array and
     * sent as a WHOLE frame on completion; otherwise, at the headers, the rest is handed to a
     * {@link CountingResponseListener} (every later callback is forwarded to it) and streamed by a virtual thread.
     */
    private static final class AsyncResponse implements Response.Listener {
        private final TunnelStream stream;
        private final Request request;
        private final CountingResponseListener streaming = new CountingResponseListener();
        private final AtomicBoolean headersArrived = new AtomicBoolean();
        private volatile boolean handedOff;
        private volatile boolean completed;
        private byte[] body;
        private int filled;

        AsyncResponse(TunnelStream stream, Request request) {
            this.stream = stream;
            this.request = request;
        }

        /** Aborts the request if no response head arrives within the backend timeout. */
        void armHeadTimeout() {
            RequestHead head = stream.request();
            Deadlines.add(head.timeout().toMillis(), () -> headersArrived.get() || completed, () -> {
                if (headersArrived.compareAndSet(false, true)) {
                    request.abort(new HeadTimeout(noResponseWithin(head)));
                }
            });
        }

        @Override
        public void onHeaders(Response response) {
            if (!headersArrived.compareAndSet(false, true)) {
                return; // the head timeout fired first; the abort completes the exchange
            }
            int whole = wholeSize(request, response);
            if (whole >= 0) {
                body = new byte[whole];
                return;
            }
            handedOff = true;
            streaming.onHeaders(response);
            Thread.ofVirtual().name("stream-" + stream.id()).start(RequestContext.with(stream.request(),
                    () -> relayResponse(stream, request, response, streaming, h -> h)));
        }

        @Override
        public void onContent(Response response, Content.Chunk chunk, Runnable demander) {
            if (handedOff) {
                streaming.onContent(response, chunk, demander);
                return;
            }
            if (body == null) {
                return; // the head timeout won against onHeaders: its abort ends the exchange
            }
            ByteBuffer b = chunk.getByteBuffer();
            int n = b.remaining();
            if (n > body.length - filled) {
                // Jetty enforces Content-Length; this is a guard, not a path.
                response.abort(new IOException("more body than the Content-Length announced"));
                return;
            }
            b.get(body, filled, n);
            filled += n;
            demander.run();
        }

        @Override
        public void onSuccess(Response response) {
            if (handedOff) {
                streaming.onSuccess(response);
            }
        }

        @Override
        public void onFailure(Response response, Throwable failure) {
            if (handedOff) {
                streaming.onFailure(response, failure);
            }
        }

        @Override
        public void onComplete(Result result) {
            if (handedOff) {
                streaming.onComplete(result);
                return;
            }
            completed = true;
            if (body == null && !result.isFailed()) {
                // The head timeout fired just before the head arrived, and the answer completed before its abort did.
                stream.reset(ResetCode.UPSTREAM_TIMEOUT, noResponseWithin(stream.request()));
                return;
            }
            if (result.isFailed()) {
                Throwable cause = result.getFailure();
                if (cause instanceof HeadTimeout) {
                    stream.reset(ResetCode.UPSTREAM_TIMEOUT, cause.getMessage());
                } else if (body != null) {
                    stream.reset(ResetCode.UPSTREAM_ERROR, "the internal app failed mid-response: " + cause.getMessage());
                } else {
                    failed(stream, cause);
                }
                return;
            }
            ResponseHead head = responseHead(result.getResponse());
            byte[] whole = filled == body.length ? body : Arrays.copyOf(body, filled);
            if (stream.canSendWithoutWaiting(whole.length + 1024)) {
                sendWhole(head, whole);
            } else {
                // The tunnel's send budget is used up (large bodies queued): wait for it on a thread of our own, not Jetty's.
                Thread.startVirtualThread(() -> sendWhole(head, whole));
            }
        }

        private void sendWhole(ResponseHead head, byte[] whole) {
            try {
                stream.sendWhole(head, whole);
            } catch (IOException e) {
                // The stream was reset (the proxy gave up) or the tunnel closed: nothing to send back to.
                LOG.debug("stream {}: response not sent: {}", stream.id(), e.toString());
            }
        }
    }

    /** The internal app sent no response head within the backend timeout. */
    private static final class HeadTimeout extends TimeoutException {
        HeadTimeout(String message) {
            super(message);
        }
    }

    /**
     * The request body from the tunnel to the app, chunk by chunk: a large chunk is a slice of the tunnel's input buffer,
     * handed to the HTTP client without a copy and released once it was written.
     */
    private static void pumpUp(TunnelStream stream, AsyncRequestContent content, Request request) {
        try {
            StreamChunk chunk;
            while ((chunk = stream.readChunk()) != null) {
                ChunkWrites.writeAndRelease(content, chunk);
            }
            content.close();
        } catch (IOException e) {
            content.fail(e);
            request.abort(e);
        }
    }

    /** The reset's reason when the exchange for {@code head} failed with {@code cause} before the app's response head. */
    static String failedBeforeHead(RequestHead head, Throwable cause) {
        return classify(cause) == ResetCode.UPSTREAM_TIMEOUT ? noResponseWithin(head) : describe(cause);
    }

    static ResetCode classify(Throwable t) {
        Throwable c = t;
        while (c != null) {
            if (c instanceof ConnectException || c instanceof UnknownHostException || c instanceof UnresolvedAddressException
                    || c instanceof SSLException) {
                return ResetCode.UPSTREAM_UNREACHABLE;
            }
            if (c instanceof TimeoutException || c instanceof SocketTimeoutException) {
                return ResetCode.UPSTREAM_TIMEOUT;
            }
            c = c.getCause();
        }
        return ResetCode.UPSTREAM_ERROR;
    }

    static String describe(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getMessage() == null) {
            c = c.getCause();
        }
        String m = c.getMessage();
        String kind = c.getClass().getSimpleName();
        return switch (classify(t)) {
            case UPSTREAM_UNREACHABLE -> "connection failed (" + kind + (m == null ? "" : ": " + m) + ")";
            case UPSTREAM_TIMEOUT -> "timed out";
            default -> kind + (m == null ? "" : ": " + m);
        };
    }
}
