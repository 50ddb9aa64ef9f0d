package dev.drawbridge.systemtests.operations;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of a management listener's {@code /metrics}, parsed: each sample ({@code name{labels} value}) by its
 * name and labels as written (Micrometer writes labels sorted by name).
 */
public record Scrape(Map<String, Double> samples, String text) {
    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][\\w:]*(?:\\{[^}]*})?) (\\S+)$");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** Scrapes {@code http://127.0.0.1:<port>/metrics}. */
    public static Scrape of(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("scrape answered " + r.statusCode() + ": " + r.body());
        }
        Map<String, Double> samples = new HashMap<>();
        Matcher m = SAMPLE.matcher(r.body());
        while (m.find()) {
            samples.put(m.group(1), Double.parseDouble(m.group(2)));
        }
        return new Scrape(Map.copyOf(samples), r.body());
    }

    /** The value of {@code name} with these label pairs (name, value, ...), in the order written; 0 when absent. */
    public double value(String name, String... labels) {
        return samples.getOrDefault(key(name, labels), 0.0);
    }

    static String key(String name, String... labels) {
        if (labels.length == 0) {
            return name;
        }
        StringBuilder b = new StringBuilder(name).append('{');
        for (int i = 0; i < labels.length; i += 2) {
            b.append(i == 0 ? "" : ",").append(labels[i]).append("=\"").append(labels[i + 1]).append('"');
        }
        return b.append('}').toString();
    }
}
