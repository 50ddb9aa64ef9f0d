package dev.drawbridge.proxy.operations;

import dev.drawbridge.model.http.RequestIds;
import dev.drawbridge.model.tunnel.Frame;
import dev.drawbridge.model.tunnel.Multiplexer;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResponseHead;
import dev.drawbridge.model.tunnel.TunnelStream;
import org.slf4j.MDC;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A rough measure of what metrics and request ids cost on the request path (not a test; run by hand, see
 * docs/operations.md): nanoseconds per call of what a request adds on the server, single-threaded after a warm-up,
 * and the time of one scrape with many apps.
 * <pre>
 *   java -cp proxy-server/target/test-classes:proxy-server/target/classes:$(cat cp.txt) dev.drawbridge.proxy.operations.MetricsOverheadBench
 * </pre>
 */
public final class MetricsOverheadBench {
    private static final int APPS = 50;
    private static volatile long sink;

    private MetricsOverheadBench() {
    }

    public static void main(String[] args) throws Exception {
        ProxyMetrics metrics = new ProxyMetrics();
        List<String> apps = new ArrayList<>();
        for (int i = 0; i < APPS; i++) {
            apps.add(UUID.randomUUID().toString());
        }
        Multiplexer mux = new Multiplexer(frame -> { }, null, Runnable::run);
        List<TunnelStream> streams = new ArrayList<>();
        for (String app : apps) {
            TunnelStream s = mux.open(new RequestHead(app, "GET", "http://intranet/", List.of(), Duration.ofSeconds(5), false, false));
            mux.receive(new Frame.Whole(s.id(), new ResponseHead(200, List.of()), new byte[0]));
            streams.add(s);
        }
        for (int round = 0; round < 3; round++) {
            System.out.printf("round %d%n", round);
            measure("ProxyMetrics.request (timer lookup + histogram)", 5_000_000, i -> metrics.request(apps.get(i % APPS), 200 + (i & 1) * 100, i));
            measure("ProxyMetrics.streamClosed", 5_000_000, i -> metrics.streamClosed(streams.get(i % APPS)));
            measure("RequestIds.generate", 5_000_000, i -> sink += RequestIds.generate().length());
            measure("MDC put + remove", 5_000_000, i -> {
                MDC.put(RequestIds.MDC_KEY, "7d5c0b9a4f2e41d3a8c61e0f9b2d7a44");
                MDC.remove(RequestIds.MDC_KEY);
            });
            measure("2 x System.nanoTime", 5_000_000, i -> sink += System.nanoTime() - System.nanoTime());
        }
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        int n = 20;
        int size = 0;
        for (int i = 0; i < n; i++) {
            size = metrics.scrape().length();
        }
        long start = System.nanoTime(), startCpu = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            size = metrics.scrape().length();
        }
        System.out.printf("scrape with %d apps: %.2f ms wall, %.2f ms CPU, %d KiB%n", APPS, (System.nanoTime() - start) / 1e6 / n,
                (cpu.getCurrentThreadCpuTime() - startCpu) / 1e6 / n, size / 1024);
        metrics.close();
    }

    private interface Op {
        void run(int i);
    }

    /** Wall-clock and CPU time per operation (CPU time is what other processes on a busy machine do not inflate). */
    private static void measure(String what, int n, Op op) {
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        long start = System.nanoTime(), startCpu = cpu.getCurrentThreadCpuTime();
        for (int i = 0; i < n; i++) {
            op.run(i);
        }
        System.out.printf("  %-50s %6.1f ns/op wall, %6.1f ns/op CPU%n", what, (System.nanoTime() - start) / (double) n,
                (cpu.getCurrentThreadCpuTime() - startCpu) / (double) n);
    }
}
