package dev.drawbridge.proxy.translation;

import dev.drawbridge.proxy.apps.PublishedApp;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

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

    public static void main(String[] args) throws IOException {
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
