import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The client of bench/deployed.sh's idle-WebSocket figure: opens COUNT WebSockets to URL (wss://, trusting the CA in
 * CA_PEM; run with -Djdk.net.hosts.file naming the app host as 127.0.0.1), CONCURRENCY handshakes at a time, checks
 * one echo on each, then holds them idle and prints a status line every 2 s: "open=N failed=F closed=C" (closed: by
 * the other side after opening), and "ALL DONE ..." once every handshake finished. Runs until killed.
 * {@code java -Djdk.net.hosts.file=FILE WsHold.java <url> <ca pem> <count> <concurrency>}. A benchmark tool (the JDK's
 * WebSocket client: several connections per HttpClient, each its own TLS connection).
 */
public final class WsHold {
    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int count = Integer.parseInt(args[2]);
        Semaphore inFlight = new Semaphore(Integer.parseInt(args[3]));
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(Path.of(args[1]))) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca" + i++, c);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        List<HttpClient> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            clients.add(HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(30)).build());
        }
        AtomicInteger open = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        List<WebSocket> held = new ArrayList<>();
        Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                System.out.println("open=" + open.get() + " failed=" + failed.get() + " closed=" + closed.get()
                        + (done.get() == count ? " ALL DONE" : ""));
                System.out.flush();
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            WebSocket.Listener listener = new WebSocket.Listener() {
                private boolean echoed;

                @Override
                public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                    if (!echoed) {
                        echoed = true;
                        open.incrementAndGet();
                        done.incrementAndGet();
                        inFlight.release();
                    }
                    ws.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onClose(WebSocket ws, int status, String reason) {
                    closed.incrementAndGet();
                    return null;
                }

                @Override
                public void onError(WebSocket ws, Throwable error) {
                    closed.incrementAndGet();
                }
            };
            clients.get(i % clients.size()).newWebSocketBuilder().connectTimeout(Duration.ofSeconds(30)).buildAsync(uri, listener)
                    .whenComplete((ws, error) -> {
                        if (error != null) {
                            if (failed.incrementAndGet() <= 3) {
                                System.err.println("handshake failed: " + error);
                            }
                            done.incrementAndGet();
                            inFlight.release();
                            return;
                        }
                        synchronized (held) {
                            held.add(ws);
                        }
                        ws.sendText("hello", true);
                    });
        }
        while (true) {
            TimeUnit.HOURS.sleep(1);
        }
    }
}
