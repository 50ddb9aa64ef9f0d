package dev.drawbridge.systemtests.cluster;

import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A bounded load through the balancer: a fixed number of client threads, each sending one request at a time at most
 * every {@link #PERIOD}, over kept-alive connections and new ones ({@code Connection: close}), to both apps: small
 * answers, streamed bodies with a Content-Length and chunked ones, and long streams (0.6 s) that are in flight whenever a
 * node dies. Every request ends as one {@link Result}: its status and whether its body was exactly the one sent (length
 * and SHA-256), or the exception that ended it. Nothing is retried: what the balancer and the nodes do is what is counted.
 */
final class Load {
    static final Duration PERIOD = Duration.ofMillis(100);
    private static final long LONG_SIZE = 384 * 1024;
    private static final long LONG_PAUSE_MS = 25;

    /** What a request is. */
    enum Kind {
        PING_KEPT_ALIVE, STREAM_KEPT_ALIVE, STREAM_CHUNKED_NEW_CONNECTION, PING_NEW_CONNECTION, LONG_STREAM
    }

    /**
     * One request: when it started and ended (System.nanoTime), its status (0 when it failed) and whether its body was
     * the one the app sent, or the failure that ended it.
     */
    record Result(int thread, Kind kind, String app, long start, long end, int status, boolean bodyOk, String failure) {
        boolean failed() {
            return failure != null;
        }

        boolean badOk() {
            return status == 200 && !bodyOk;
        }

        /** Whether it was under way at some moment between {@code from} and {@code to} (System.nanoTime). */
        boolean overlaps(long from, long to) {
            return start <= to && end >= from;
        }

        @Override
        public String toString() {
            return kind + " " + app + " t" + thread + " " + status + (failure == null ? "" : " " + failure) + (badOk() ? " BAD BODY" : "");
        }
    }

    private final HttpClient client;
    private final Map<String, String> apps;
    private final int threads;
    private final Queue<Result> results = new ConcurrentLinkedQueue<>();
    private final AtomicInteger started = new AtomicInteger();
    private final List<Thread> running = new ArrayList<>();
    private volatile boolean stop;

    /** {@code apps}: name → external URL (ending in /) reached through the balancer. */
    Load(HttpClient client, Map<String, String> apps, int threads) {
        this.client = client;
        this.apps = new TreeMap<>(apps);
        this.threads = threads;
    }

    Load start() {
        for (int t = 0; t < threads; t++) {
            int thread = t;
            running.add(Thread.ofVirtual().name("load-" + t).start(() -> run(thread)));
        }
        return this;
    }

    private void run(int thread) {
        List<String> names = List.copyOf(apps.keySet());
        long next = System.nanoTime();
        for (int i = 0; !stop; i++) {
            String app = names.get((i + thread) % names.size());
            // Two threads keep long streams in flight; the others go round every kind.
            Kind kind = thread < 2 ? Kind.LONG_STREAM : Kind.values()[(i + thread) % 4];
            started.incrementAndGet();
            results.add(send(thread, kind, app, i));
            next += PERIOD.toNanos();
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    // Pacing (a bounded rate), not waiting for something.
                    TimeUnit.NANOSECONDS.sleep(wait);
                } catch (InterruptedException e) {
                    return;
                }
            } else {
                next = System.nanoTime();
            }
        }
    }

    private Result send(int thread, Kind kind, String app, int i) {
        long seed = thread * 1_000_003L + i % 7;
        long size = switch (kind) {
            case STREAM_KEPT_ALIVE -> 96 * 1024;
            case STREAM_CHUNKED_NEW_CONNECTION -> 64 * 1024;
            case LONG_STREAM -> LONG_SIZE;
            default -> 0;
        };
        boolean ping = kind == Kind.PING_KEPT_ALIVE || kind == Kind.PING_NEW_CONNECTION;
        String url = apps.get(app) + (ping ? "ping" : "stream?size=" + size + "&seed=" + seed + "&pauseMs="
                + (kind == Kind.LONG_STREAM ? LONG_PAUSE_MS : 5) + (kind == Kind.STREAM_CHUNKED_NEW_CONNECTION ? "&chunked=true" : ""));
        Request request = client.newRequest(url).timeout(30, TimeUnit.SECONDS);
        if (kind == Kind.STREAM_CHUNKED_NEW_CONNECTION || kind == Kind.PING_NEW_CONNECTION) {
            request.headers(h -> h.put(HttpHeader.CONNECTION, "close"));
        }
        long start = System.nanoTime();
        try {
            ContentResponse r = request.send();
            byte[] body = r.getContent();
            boolean ok = ping ? new String(body, StandardCharsets.UTF_8).equals(app + " /ping")
                    : body.length == size && StreamingBackend.sha256(body).equals(StreamingBackend.sha256(seed, size));
            return new Result(thread, kind, app, start, System.nanoTime(), r.getStatus(), ok, null);
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return new Result(thread, kind, app, start, System.nanoTime(), 0, false,
                    e.getClass().getSimpleName() + (root == e ? "" : " / " + root.getClass().getSimpleName() + ": " + root.getMessage()));
        }
    }

    /** Requests started so far. */
    int started() {
        return started.get();
    }

    /** Requests ended so far that match {@code which}. */
    long count(Predicate<Result> which) {
        return results.stream().filter(which).count();
    }

    /** Stops sending, waits for the requests in flight to end (bounded by their timeout) and returns every result, oldest first. */
    List<Result> stop() throws InterruptedException {
        stop = true;
        for (Thread t : running) {
            if (!t.join(Duration.ofSeconds(40))) {
                throw new AssertionError("a load thread did not end: " + t);
            }
        }
        return results.stream().sorted(Comparator.comparingLong(Result::start)).toList();
    }

    /** A one-line summary: results by status (0: failed) and kind. */
    static String summary(List<Result> all) {
        return all.stream().collect(Collectors.groupingBy(r -> r.status() + (r.badOk() ? "-bad" : "") + " " + r.kind(), TreeMap::new,
                Collectors.counting())).toString();
    }
}
