package dev.drawbridge.testsupport.sample;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The sample app's streaming responses: {@code GET /download} (large deterministic bodies) and {@code GET /sse}
 * (server-sent events). Both write with blocking {@link Content.Sink#asOutputStream} writes on the request's virtual
 * thread, so a slow client simply slows the loop down and memory stays bounded.
 */
final class StreamingEndpoints {

    /** Default {@code /download} size: 1 MiB. */
    static final long DEFAULT_DOWNLOAD_SIZE = 1024 * 1024;
    /** Largest {@code /download} size: 4 GiB. */
    static final long MAX_DOWNLOAD_SIZE = 4L * 1024 * 1024 * 1024;
    /** Size of each download write. Equal to the pattern's period, so every write starts at offset 0 of it. */
    private static final int CHUNK_SIZE = 64 * 1024;

    /**
     * The first 65536 bytes of the download pattern. {@link SampleApp#patternByte(long)} repeats every 65536 bytes
     * ({@code 65536 * 31} and {@code 65536 >>> 8 = 256} are both multiples of 256), so this one block serves every
     * chunk of every download. It is never modified after this initializer.
     */
    private static final byte[] PATTERN_BLOCK = new byte[CHUNK_SIZE];

    static {
        for (int i = 0; i < PATTERN_BLOCK.length; i++) {
            PATTERN_BLOCK[i] = SampleApp.patternByte(i);
        }
    }

    private static final long MAX_SSE_COUNT = 100_000;
    private static final long MAX_SSE_INTERVAL_MS = 60_000;

    private StreamingEndpoints() {
    }

    /**
     * {@code GET /download?size=N[&chunked=true][&cutAfter=M]}: exactly N bytes (default 1 MiB, at most 4 GiB) of the
     * {@link SampleApp#patternByte(long)} pattern as {@code application/octet-stream}, with {@code Content-Length}
     * unless {@code chunked=true}. Written in 64 KiB chunks. With {@code cutAfter} only the first M bytes are sent,
     * then the response is aborted.
     */
    static void download(Request request, Response response, Callback callback) throws Exception {
        Long size = SampleHandler.longParam(request, "size", DEFAULT_DOWNLOAD_SIZE, 0, MAX_DOWNLOAD_SIZE);
        if (size == null) {
            SampleHandler.badRequest(response, callback, "size must be a number of bytes between 0 and "
                    + MAX_DOWNLOAD_SIZE);
            return;
        }
        boolean chunked = "true".equalsIgnoreCase(SampleHandler.queryParam(request, "chunked"));
        // cutAfter=N: send only the first N bytes, then abort (the connection closes mid-body, as a crashing app's would).
        Long cutAfter = SampleHandler.longParam(request, "cutAfter", Long.MAX_VALUE, 0, Long.MAX_VALUE);
        if (cutAfter == null) {
            SampleHandler.badRequest(response, callback, "cutAfter must be a number of bytes");
            return;
        }

        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
        if (!chunked) {
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, size);
        }
        if (HttpMethod.HEAD.is(request.getMethod())) {
            callback.succeeded();
            return;
        }
        // Closed only when whole: closing a chunked answer's stream writes its last chunk, which made a cut one complete.
        OutputStream out = Content.Sink.asOutputStream(response);
        try {
            long remaining = Math.min(size, cutAfter);
            while (remaining > 0) {
                int n = (int) Math.min(CHUNK_SIZE, remaining);
                out.write(PATTERN_BLOCK, 0, n);
                remaining -= n;
            }
            if (cutAfter < size) {
                out.flush();
                throw new IOException("cut after " + cutAfter + " bytes (cutAfter)");
            }
            out.close();
        } catch (Throwable failure) {
            callback.failed(failure);
            return;
        }
        callback.succeeded();
    }

    /**
     * {@code GET /sse?count=N&intervalMs=M}: {@code text/event-stream} with N events (default 5)
     * {@code data: event i} for i = 1..N, each flushed as it is written, M ms apart (default 200), then the response
     * ends.
     */
    static void sse(Request request, Response response, Callback callback) throws Exception {
        Long count = SampleHandler.longParam(request, "count", 5, 0, MAX_SSE_COUNT);
        Long intervalMs = SampleHandler.longParam(request, "intervalMs", 200, 0, MAX_SSE_INTERVAL_MS);
        if (count == null || intervalMs == null) {
            SampleHandler.badRequest(response, callback, "count must be between 0 and " + MAX_SSE_COUNT
                    + " and intervalMs between 0 and " + MAX_SSE_INTERVAL_MS);
            return;
        }

        response.setStatus(HttpStatus.OK_200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        String header = Request.extractQueryParameters(request).getValue("header");
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            out.flush(); // commits the headers at once, so the client sees the stream open before the first event
            if (header != null) {
                // ?header=NAME: a first event with the request's values of that header (what single sign-on set).
                String values = String.join(" | ", request.getHeaders().getValuesList(header));
                out.write(("data: " + header + ": " + values.replaceAll("[\r\n]", " ") + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            for (long i = 1; i <= count; i++) {
                out.write(("data: event " + i + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (i < count) {
                    Thread.sleep(intervalMs);
                }
            }
        } catch (Throwable failure) {
            callback.failed(failure);
            return;
        }
        callback.succeeded();
    }
}
