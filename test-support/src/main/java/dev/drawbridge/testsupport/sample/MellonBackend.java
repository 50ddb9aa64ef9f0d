package dev.drawbridge.testsupport.sample;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real SAML service provider for tests: Debian's Apache ({@code apache2}) with {@code mod_auth_mellon}
 * ({@code libapache2-mod-auth-mellon}), in the foreground, on a free loopback port, as the backend of a Drawbridge app
 * whose external URL is given. {@code /secret/whoami} needs a mellon session and prints {@code REMOTE_USER} and every
 * {@code MELLON_*} variable (a multi-valued attribute as {@code MELLON_<name>_0}, {@code _1}, ...); {@code /mellon/} is
 * mellon's endpoint (metadata, login, postResponse). Mellon is configured with the external URL
 * ({@code ServerName https://<external host:port>}, {@code UseCanonicalName Off}): it rebuilds its own URL from the
 * Host header the connector forwards, so the app must keep the external Host.
 *
 * <p>Two steps, because each side needs the other's metadata: {@link #prepare} picks the port and makes the service
 * provider's key, certificate and metadata ({@code mellon_create_metadata}); the app is published at
 * {@link Prepared#internalUrl()} and its identity provider set up with {@link Prepared#spMetadata()}; then
 * {@link Prepared#start} starts Apache trusting the identity provider's metadata.
 *
 * <p>As root, Apache runs as {@code nobody} ({@code setpriv}), its directory world-readable: as root its children would
 * become www-data and fail on a private temporary directory. Apache is launched with {@code setpriv --pdeathsig KILL}
 * from a platform thread that lives until {@link #close}, so a killed test JVM leaves no Apache behind. Missing packages:
 * {@link #skipReason()} says why a test should skip (not root, and {@code DRAWBRIDGE_REQUIRE_SSO_SERVERS} unset);
 * otherwise {@link #prepare} fails naming the packages. By hand: {@link #main}.
 */
public final class MellonBackend implements AutoCloseable {
    public static final Path APACHE = Path.of("/usr/sbin/apache2");
    public static final Path MODULES = Path.of("/usr/lib/apache2/modules");
    public static final Path CREATE_METADATA = Path.of("/usr/sbin/mellon_create_metadata");
    /** The Debian packages this needs. */
    public static final String PACKAGES = "apache2-bin libapache2-mod-auth-mellon";
    /** The page mellon protects. */
    public static final String WHOAMI = "secret/whoami";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final String INDEX = "mellon sample service provider";

    private final Path dir;
    private final Process process;
    private final Thread launcher;
    private final int port;

    private MellonBackend(Path dir, Process process, Thread launcher, int port) {
        this.dir = dir;
        this.process = process;
        this.launcher = launcher;
        this.port = port;
    }

    /** Why a test needing mellon should be skipped: the packages are missing, not root, and not required; empty otherwise. */
    public static Optional<String> skipReason() {
        Optional<String> missing = missing();
        if (missing.isEmpty() || isRoot() || "1".equals(System.getenv("DRAWBRIDGE_REQUIRE_SSO_SERVERS"))) {
            return Optional.empty();
        }
        return Optional.of(missing.get() + ": install the Debian packages " + PACKAGES + " (sudo apt-get install -y " + PACKAGES + ")");
    }

    private static Optional<String> missing() {
        if (!Files.isExecutable(APACHE) || !Files.isExecutable(CREATE_METADATA) || !Files.isRegularFile(MODULES.resolve("mod_auth_mellon.so"))) {
            return Optional.of("Apache with mod_auth_mellon is not installed (" + APACHE + ", " + CREATE_METADATA + ", "
                    + MODULES.resolve("mod_auth_mellon.so") + ")");
        }
        return Optional.empty();
    }

    static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * Picks the port and makes the service provider's metadata for an app published at {@code externalUrl} (https, with
     * a trailing slash): entity id {@code <externalUrl>mellon/metadata}, ACS {@code <externalUrl>mellon/postResponse}.
     */
    public static Prepared prepare(URI externalUrl) throws IOException, InterruptedException {
        Optional<String> missing = missing();
        if (missing.isPresent()) {
            throw new IllegalStateException(missing.get() + ": install the Debian packages " + PACKAGES + " (apt-get install -y " + PACKAGES
                    + "; bin/test-deps.sh does it as root)");
        }
        String base = externalUrl.toString().endsWith("/") ? externalUrl.toString() : externalUrl + "/";
        // Short and world-readable: the nobody Apache reads it.
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "mellon");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (String sub : List.of("run", "cgi", "htdocs", "saml", "logs")) {
            Files.createDirectories(dir.resolve(sub));
        }
        run(dir.resolve("saml"), CREATE_METADATA.toString(), base + "mellon/metadata", base + "mellon");
        Path sp = dir.resolve("saml/sp");
        try (Stream<Path> made = Files.list(dir.resolve("saml"))) {
            for (Path f : made.toList()) {
                String name = f.getFileName().toString();
                Files.move(f, sp.resolveSibling("sp" + name.substring(name.lastIndexOf('.'))));
            }
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        return new Prepared(dir, URI.create(base), port);
    }

    /** A service provider made and not started yet. */
    public static final class Prepared {
        private final Path dir;
        private final URI externalUrl;
        private final int port;

        private Prepared(Path dir, URI externalUrl, int port) {
            this.dir = dir;
            this.externalUrl = externalUrl;
            this.port = port;
        }

        /** Where Apache will listen: the app's internal URL. */
        public URI internalUrl() {
            return URI.create("http://127.0.0.1:" + port + "/");
        }

        /** The service provider's metadata (XML). */
        public String spMetadata() throws IOException {
            return Files.readString(dir.resolve("saml/sp.xml"), StandardCharsets.UTF_8);
        }

        public String entityId() {
            return externalUrl + "mellon/metadata";
        }

        public String acsUrl() {
            return externalUrl + "mellon/postResponse";
        }

        /** Starts Apache, trusting the identity provider described by {@code idpMetadata}; returns once it answers. */
        public MellonBackend start(String idpMetadata) throws IOException, InterruptedException {
            Files.writeString(dir.resolve("saml/idp.xml"), idpMetadata, StandardCharsets.UTF_8);
            Path whoami = dir.resolve("cgi/whoami");
            Files.writeString(whoami, """
                    #!/bin/sh
                    printf 'Content-Type: text/plain\\r\\n\\r\\n'
                    echo "REMOTE_USER=$REMOTE_USER"
                    echo "HTTP_HOST=$HTTP_HOST"
                    env | grep '^MELLON_' | sort
                    """, StandardCharsets.US_ASCII);
            Files.writeString(dir.resolve("httpd.conf"), config(dir, externalUrl, port), StandardCharsets.US_ASCII);
            Files.writeString(dir.resolve("htdocs/index.html"), "<html><body>" + INDEX + "</body></html>\n");
            readableByAll(dir);
            Files.setPosixFilePermissions(whoami, PosixFilePermissions.fromString("rwxr-xr-x"));
            // Apache (as nobody when root) writes its logs, pid and runtime files here.
            for (String sub : List.of("run", "logs")) {
                Files.setPosixFilePermissions(dir.resolve(sub), PosixFilePermissions.fromString("rwxrwxrwx"));
            }
            List<String> cmd = new ArrayList<>(List.of("setpriv", "--pdeathsig", "KILL"));
            if (isRoot()) {
                cmd.addAll(List.of("--reuid=65534", "--regid=65534", "--clear-groups"));
            }
            cmd.addAll(List.of(APACHE.toString(), "-f", dir.resolve("httpd.conf").toString(), "-DFOREGROUND"));
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("logs/stdout").toFile());
            // A child launched with --pdeathsig dies with the thread that started it: that thread lives until close().
            CompletableFuture<Process> started = new CompletableFuture<>();
            Thread launcher = Thread.ofPlatform().daemon().name("mellon-apache-" + port).start(() -> {
                try {
                    Process p = pb.start();
                    started.complete(p);
                    p.waitFor();
                } catch (IOException | RuntimeException e) {
                    started.completeExceptionally(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Process process;
            try {
                process = started.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IOException("cannot start " + APACHE + ": " + e.getMessage(), e);
            }
            MellonBackend b = new MellonBackend(dir, process, launcher, port);
            try {
                b.awaitListening();
                return b;
            } catch (IOException | RuntimeException e) {
                b.close();
                throw e;
            }
        }
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Apache exited with " + process.exitValue() + " before it listened on port " + port
                        + "; its output:\n" + log("logs/stdout") + "\nerror.log:\n" + errorLog());
            }
            try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build()) {
                // Its own page, not just an open port: another process may hold a port picked free a moment ago.
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(baseUri().resolve("/index.html")).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.body().contains(INDEX)) {
                    return;
                }
                throw new IllegalStateException("something else answers on port " + port + " (" + r.statusCode() + ")");
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Apache did not listen on port " + port + " within " + START_TIMEOUT + "; error.log:\n" + errorLog());
            }
            Thread.sleep(20);
        }
    }

    static String config(Path d, URI externalUrl, int port) {
        String m = MODULES.toString();
        return """
                ServerRoot %1$s
                ServerName %2$s
                UseCanonicalName Off
                Listen 127.0.0.1:%3$d
                PidFile %1$s/run/httpd.pid
                DefaultRuntimeDir %1$s/run
                ErrorLog %1$s/logs/error.log
                LogLevel info auth_mellon:debug
                LogFormat "%%h %%u \\"%%r\\" %%>s" simple
                CustomLog %1$s/logs/access.log simple
                StartServers 2
                LoadModule mpm_prefork_module %4$s/mod_mpm_prefork.so
                LoadModule authz_core_module  %4$s/mod_authz_core.so
                LoadModule authn_core_module  %4$s/mod_authn_core.so
                LoadModule authz_user_module  %4$s/mod_authz_user.so
                LoadModule alias_module       %4$s/mod_alias.so
                LoadModule cgi_module         %4$s/mod_cgi.so
                LoadModule auth_mellon_module %4$s/mod_auth_mellon.so
                DocumentRoot %1$s/htdocs
                MellonCacheSize 100
                ScriptAlias /%5$s %1$s/cgi/whoami
                <Location />
                  MellonEnable info
                  MellonEndpointPath /mellon
                  MellonSPentityId "%6$smellon/metadata"
                  MellonSPMetadataFile %1$s/saml/sp.xml
                  MellonSPPrivateKeyFile %1$s/saml/sp.key
                  MellonSPCertFile %1$s/saml/sp.cert
                  MellonIdPMetadataFile %1$s/saml/idp.xml
                  MellonSecureCookie On
                  MellonCookieSameSite None
                  MellonVariable mellon-cookie
                  MellonSignatureMethod rsa-sha256
                </Location>
                <Location /secret>
                  AuthType Mellon
                  MellonEnable auth
                  Require valid-user
                </Location>
                """.formatted(d, "https://" + externalUrl.getRawAuthority(), port, m, WHOAMI, externalUrl);
    }

    /** Where Apache listens: the app's internal URL. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** Apache's error log (mellon writes why it refused a response there, e.g. "Invalid Audience"). */
    public String errorLog() throws IOException {
        return log("logs/error.log");
    }

    private String log(String name) throws IOException {
        Path f = dir.resolve(name);
        return Files.exists(f) ? Files.readString(f, StandardCharsets.UTF_8) : "";
    }

    @Override
    public void close() throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        launcher.join(Duration.ofSeconds(10));
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static void readableByAll(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    private static void run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
        }
    }

    /**
     * By hand: {@code MellonBackend <external URL> <IdP metadata file>} prints the internal URL and the service provider's
     * metadata, starts Apache, and runs until Ctrl-C.
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: MellonBackend <app external URL, e.g. https://hr.localhost:8443/> <IdP metadata file>");
            System.exit(2);
        }
        Prepared p = prepare(URI.create(args[0]));
        System.out.println("internal URL: " + p.internalUrl());
        System.out.println(p.spMetadata());
        try (MellonBackend b = p.start(Files.readString(Path.of(args[1])))) {
            System.out.println("listening on " + b.baseUri() + "; Ctrl-C to stop");
            Thread.currentThread().join();
        }
    }
}
