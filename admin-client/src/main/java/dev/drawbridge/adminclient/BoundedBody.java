package dev.drawbridge.adminclient;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reads one answer's body into memory, never more than a cap: a Content-Length over the cap is refused before a byte of
 * the body is read, and a body that grows past it (chunked, or longer than it said) is cut off there, the connection
 * closed. A hostile or broken server cannot fill the client's heap. One instance per exchange: it remembers the status
 * and how much arrived, so that a deadline that expires mid-body can say so.
 */
final class BoundedBody implements HttpResponse.BodyHandler<byte[]> {
    /** The admin API's JSON answers: pages are bounded by their limit, so far below this. */
    static final long JSON_CAP = 16L << 20;
    /** Raw content: an app's icon (the server stores at most 256 KiB, proxy-server's {@code AppIcons.MAX_BYTES}), SAML metadata. */
    static final long RAW_CAP = 512L << 10;
    /** Problem documents and the body of a redirect: a title, a detail and a few field errors. */
    static final long PROBLEM_CAP = 1L << 20;

    /** The body was larger than the cap: refused by its Content-Length, or cut off while it streamed. */
    static final class TooLarge extends IOException {
        final int status;

        TooLarge(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final long successCap;
    private volatile int status = -1;
    private final AtomicLong received = new AtomicLong();

    /** {@code raw}: a success is {@link RawContent} (an icon's bytes, metadata), else the API's JSON. */
    BoundedBody(boolean raw) {
        this.successCap = raw ? RAW_CAP : JSON_CAP;
    }

    /** The status of the answer, -1 before its headers arrived. */
    int status() {
        return status;
    }

    /** How many bytes of the body arrived so far. */
    long received() {
        return received.get();
    }

    @Override
    public HttpResponse.BodySubscriber<byte[]> apply(HttpResponse.ResponseInfo info) {
        status = info.statusCode();
        long cap = status >= 200 && status < 300 ? successCap : PROBLEM_CAP;
        OptionalLong length;
        try {
            length = info.headers().firstValueAsLong("Content-Length");
        } catch (NumberFormatException e) {
            return new Refused(new IOException("the answer's Content-Length is not a number"));
        }
        if (length.isPresent() && length.getAsLong() > cap) {
            return new Refused(new TooLarge(status, "the server announced a " + status + " answer of " + length.getAsLong()
                    + " bytes, more than the " + cap + " bytes this client reads"));
        }
        return new Capped(cap);
    }

    /** Collects the body up to {@code cap} bytes; past it, cancels the subscription (closing the connection). */
    private final class Capped implements HttpResponse.BodySubscriber<byte[]> {
        private final long cap;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private Flow.Subscription subscription;

        Capped(long cap) {
            this.cap = cap;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (body.isDone()) {
                return;
            }
            for (ByteBuffer b : buffers) {
                if (received.addAndGet(b.remaining()) > cap) {
                    subscription.cancel();
                    body.completeExceptionally(new TooLarge(status, "the server's " + status + " answer grew past the " + cap
                            + " bytes this client reads"));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                bytes.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable t) {
            body.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }
    }

    /** Reads nothing: cancels at once and fails with {@code why}. */
    private static final class Refused implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();

        Refused(IOException why) {
            body.completeExceptionally(why);
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            s.cancel();
        }

        @Override
        public void onNext(List<ByteBuffer> item) {
            // cancelled: nothing is read
        }

        @Override
        public void onError(Throwable t) {
            // already failed
        }

        @Override
        public void onComplete() {
            // already failed
        }
    }
}
