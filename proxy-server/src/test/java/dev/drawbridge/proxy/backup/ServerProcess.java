package dev.drawbridge.proxy.backup;

import dev.drawbridge.proxy.cli.ServerCli;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code drawbridge-server} as a real process (as bin/drawbridge-server starts it): a running server, or one command. */
final class ServerProcess implements AutoCloseable {
    private static final Pattern ADMIN_API = Pattern.compile("Admin API: https://admin\\.localhost:(\\d+)/api/v1/");
    private static final Pattern MANAGEMENT = Pattern.compile("Metrics and health: http://127\\.0\\.0\\.1:(\\d+)/metrics");
    private static final Pattern CREDENTIAL = Pattern.compile("Admin credential \\(shown once, keep it safe\\): (\\S+)");

    final Process process;
    final int publicPort;
    final int managementPort;
    final Optional<String> newAdminToken;
    private final StringBuffer output;

    private ServerProcess(Process process, int publicPort, int managementPort, Optional<String> newAdminToken, StringBuffer output) {
        this.process = process;
        this.publicPort = publicPort;
        this.managementPort = managementPort;
        this.newAdminToken = newAdminToken;
        this.output = output;
    }

    /** What a command printed and its exit code. */
    record Run(int exit, String out, String err) {
    }

    private static List<String> java(String... args) {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-cp",
                System.getProperty("java.class.path"), ServerCli.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** {@code serve} on {@code data}, loopback, ephemeral ports; returns once it listens. */
    static ServerProcess serve(Path data) throws Exception {
        Process p = new ProcessBuilder(java("serve", "--data-dir", data.toString(), "--bind", "127.0.0.1", "--port", "0",
                "--tunnel-port", "0", "--management-port", "0")).redirectErrorStream(true).start();
        StringBuffer output = new StringBuffer();
        BufferedReader lines = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        int pub = -1, mgmt = -1;
        Optional<String> credential = Optional.empty();
        String line;
        while (mgmt < 0 && (line = lines.readLine()) != null) {
            output.append(line).append('\n');
            Matcher m;
            if ((m = ADMIN_API.matcher(line)).find()) {
                pub = Integer.parseInt(m.group(1));
            } else if ((m = MANAGEMENT.matcher(line)).find()) {
                mgmt = Integer.parseInt(m.group(1));
            } else if ((m = CREDENTIAL.matcher(line)).find()) {
                credential = Optional.of(m.group(1));
            }
        }
        if (mgmt < 0) {
            throw new IllegalStateException("the server did not start:\n" + output);
        }
        // Keep reading, so that the server never blocks on a full pipe; the test reads what it logged.
        Thread.ofVirtual().start(() -> lines.lines().forEach(l -> output.append(l).append('\n')));
        return new ServerProcess(p, pub, mgmt, credential, output);
    }

    /** One command ({@code backup ...}, {@code restore ...}) with {@code env} added to the environment. */
    static Run run(Map<String, String> env, String... args) throws Exception {
        return run(List.of(), env, args);
    }

    /**
     * As {@link #run(Map, String...)}, bound by file modes like any user: run by root, without its capabilities (setpriv
     * empties its bounding set), so that a folder without write permission is one it cannot write either.
     */
    static Run runBoundByFileModes(Map<String, String> env, String... args) throws Exception {
        boolean root = "root".equals(ProcessHandle.current().info().user().orElse(""));
        return run(root ? List.of("setpriv", "--bounding-set=-all", "--inh-caps=-all", "--") : List.of(), env, args);
    }

    private static Run run(List<String> prefix, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(java(args));
        ProcessBuilder b = new ProcessBuilder(command);
        b.environment().putAll(env);
        b.environment().remove("DRAWBRIDGE_DEBUG");
        Process p = b.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = read(p.getInputStream()), err = read(p.getErrorStream());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the command did not end: " + String.join(" ", args));
        }
        return new Run(p.exitValue(), out.get(), err.get());
    }

    private static CompletableFuture<String> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (Exception e) {
                return "";
            }
        });
    }

    /** Everything the server printed and logged so far. */
    String output() {
        return output.toString();
    }

    /** A client trusting the server CA of {@code data}, connecting every name to 127.0.0.1. */
    static HttpClient client(Path data) throws Exception {
        X509Certificate ca;
        try (InputStream in = Files.newInputStream(data.resolve("pki/server-ca.pem"))) {
            ca = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca);
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setTrustStore(ks);
        ClientConnector cc = new ClientConnector();
        cc.setSslContextFactory(tls);
        HttpClient http = new HttpClient(new HttpClientTransportOverHTTP(cc));
        http.setSocketAddressResolver((host, port, ctx, promise) -> promise.succeeded(List.of(new InetSocketAddress("127.0.0.1", port))));
        http.start();
        return http;
    }

    /** Stops the server as systemd does (SIGTERM) and waits for it. */
    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
