package dev.drawbridge.proxy.translation;

import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.proxy.apps.PublishedApp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * The CPU cost of translating a page by the number of published apps (run by hand: {@code main}; not a test). Prints
 * the time per MB for 1, 20 and 200 apps over a page dense with links and near-links.
 */
public final class LinkTranslationBench {
    private LinkTranslationBench() {
    }

    static List<PublishedApp> apps(int n) {
        List<PublishedApp> apps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            apps.add(Apps.app("app" + i, "https://app" + i + ".apps.example.com/", "http://host" + i + ".corp.local/app" + i + "/"));
        }
        return apps;
    }

    /** About {@code mb} MB of HTML: every attribute a URL, a third of them to a published app. */
    static char[] page(int mb, int apps) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (b.length() < mb << 20) {
            int app = i % apps;
            b.append("<p class=item><a href=\"http://host").append(app).append(".corp.local/app").append(app).append("/page/").append(i)
                    .append("\">a link</a> <img src=\"http://elsewhere.example.org/img/").append(i).append(".png\" alt='x'>")
                    .append("<a href=\"/relative/").append(i).append("\">more text in the page, ").append(i).append("</a></p>\n");
            i++;
        }
        return b.toString().toCharArray();
    }

    /** A 10 MB gzip-compressed page relayed to a client that takes gzip (compressed again) and to one that does not. */
    static void recompression() throws IOException {
        byte[] page = new String(page(10, 200)).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write(page);
        }
        LinkMap map = LinkMap.of(apps(200));
        List<HeaderField> headers = List.of(new HeaderField("Content-Type", "text/html"), new HeaderField("Content-Encoding", "gzip"));
        for (int round = 0; round < 3; round++) {
            for (String client : List.of("identity", "gzip")) {
                BodyTranslation t = BodyTranslation.of(headers).orElseThrow().forClient(client);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                long cpu = THREADS.getCurrentThreadCpuTime();
                t.relay(new ByteArrayInputStream(gz.toByteArray()), out, map, apps(1).getFirst());
                double ms = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e6;
                System.out.printf("round %d, client %-8s: %.0f ms CPU for %d MB in (%d KB gzip), %d KB out%n", round, client, ms,
                        page.length >> 20, gz.size() >> 10, out.size() >> 10);
            }
        }
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public static void main(String[] args) throws IOException {
        recompression();
        for (int round = 0; round < 2; round++) {
            for (int n : new int[] {1, 20, 200}) {
                LinkMap map = LinkMap.of(apps(n));
                char[] page = page(10, n);
                long start = System.nanoTime();
                LinkTranslator t = new LinkTranslator(LinkTranslator.Kind.HTML, map, "app0", "http", Writer.nullWriter());
                for (int off = 0; off < page.length; off += 8192) {
                    t.write(page, off, Math.min(8192, page.length - off));
                }
                t.finish();
                double ms = (System.nanoTime() - start) / 1e6;
                System.out.printf("round %d, %3d apps: %.0f ms for 10 MB (%.1f ms/MB)%n", round, n, ms, ms / 10);
            }
        }
    }
}
