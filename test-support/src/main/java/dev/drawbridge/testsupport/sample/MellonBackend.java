package dev.drawbridge.testsupport.sample;

import dev.drawbridge.testsupport.process.DebianPackages;
import dev.drawbridge.testsupport.process.FreePorts;
import dev.drawbridge.testsupport.process.RunAs;
import dev.drawbridge.testsupport.process.ServerProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real SAML service provider for tests: Apache with {@code mod_auth_mellon} (Debian's {@code apache2-bin} and
 * {@code libapache2-mod-auth-mellon}) as the backend of a Drawbridge app whose external URL is given, one foreground
 * process ({@link ServerProcess}: it dies with the test JVM) on a free loopback port, as {@code nobody} when the tests
 * run as root ({@link RunAs}). {@code /secret/whoami} needs a mellon session and prints {@code REMOTE_USER}, the
 * {@code Host} it saw and every {@code MELLON_*} variable (a multi-valued attribute as {@code MELLON_<name>_0},
 * {@code _1}, ...); {@code /mellon/} is mellon's endpoint (metadata, login, postResponse). Mellon is configured with the
 * external URL ({@code ServerName https://<external host:port>}, {@code UseCanonicalName Off}): it rebuilds its own URL
 * from the Host header the connector forwards, so the app must keep the external Host.
 *
 * <p>Two steps, because each side needs the other's metadata: {@link #prepare} picks the port and makes the service
 * provider's key, certificate and metadata ({@code mellon_create_metadata}); the app is published at
 * {@link Prepared#internalUrl()} and its identity provider set up with {@link Prepared#spMetadata()}; then
 * {@link Prepared#start} starts Apache trusting the identity provider's metadata. (The port is fixed in step one: the
 * app's internal URL names it. Another process taking it in between fails the start, saying so.)
 *
 * <p>Missing packages skip the calling test, naming them, or fail it with {@value DebianPackages#REQUIRE}=1
 * ({@link DebianPackages}). By hand: {@link #main}.
 */
public final class MellonBackend implements AutoCloseable {
    /** What it needs installed (bin/test-deps.sh installs them as root). */
    public static final List<DebianPackages.Need> NEEDS = List.of(
            new DebianPackages.Need("/usr/bin/setpriv", "util-linux"),
            new DebianPackages.Need("/usr/sbin/apache2", "apache2-bin"),
            new DebianPackages.Need("/usr/lib/apache2/modules/mod_auth_mellon.so", "libapache2-mod-auth-mellon"),
            new DebianPackages.Need("/usr/sbin/mellon_create_metadata", "libapache2-mod-auth-mellon"));
    /** The page mellon protects, relative to the app's URL. */
    public static final String WHOAMI = "secret/whoami";
    private static final String MODULES = "/usr/lib/apache2/modules";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    /** The service provider's key, certificate and metadata, as {@code mellon_create_metadata} made them. */
    private static final List<String> SP_FILES = List.of("sp.key", "sp.cert", "sp.xml");

    private final Path dir;
    private final int port;
    private final ServerProcess process;

    private MellonBackend(Path dir, int port, ServerProcess process) {
        this.dir = dir;
        this.port = port;
        this.process = process;
    }

    /**
     * Picks the port and makes the service provider's metadata for an app published at {@code externalUrl} (https):
     * entity id {@code <externalUrl>mellon/metadata}, ACS {@code <externalUrl>mellon/postResponse}. Skips the calling
     * test when the packages are missing.
     */
    public static Prepared prepare(URI externalUrl) throws IOException, InterruptedException {
        return prepare(externalUrl, Optional.empty());
    }

    /**
     * {@link #prepare(URI)}, keeping the service provider's key, certificate and metadata in {@code keep} (made
     * owner-only): a later call for the same external URL reuses them instead of making a new key (seconds of CPU, and
     * new metadata the identity provider would have to read again); for another URL they are made anew and replace
     * them. The demo keeps them in its data directory.
     */
    public static Prepared prepare(URI externalUrl, Optional<Path> keep) throws IOException, InterruptedException {
        DebianPackages.require("MellonBackend", NEEDS);
        String base = externalUrl.toString().endsWith("/") ? externalUrl.toString() : externalUrl + "/";
        Path dir = RunAs.privateDirectory("mellon");
        try {
            Path saml = Files.createDirectories(dir.resolve("saml"));
            if (keep.isPresent() && keptFor(keep.get(), base)) {
                for (String f : SP_FILES) {
                    Files.copy(keep.get().resolve(f), saml.resolve(f));
                }
            } else {
                run(saml, "/usr/sbin/mellon_create_metadata", base + "mellon/metadata", base + "mellon");
                try (Stream<Path> made = Files.list(saml)) {
                    for (Path f : made.toList()) {
                        String name = f.getFileName().toString();
                        Files.move(f, saml.resolve("sp" + name.substring(name.lastIndexOf('.'))));
                    }
                }
                if (keep.isPresent()) {
                    keepCopies(saml, keep.get());
                }
            }
            return new Prepared(dir, URI.create(base), FreePorts.pick());
        } catch (IOException | InterruptedException | RuntimeException e) {
            delete(dir);
            throw e;
        }
    }

    /** Whether {@code keep} holds a service provider made for the app at {@code base}. */
    private static boolean keptFor(Path keep, String base) throws IOException {
        for (String f : SP_FILES) {
            if (!Files.isRegularFile(keep.resolve(f))) {
                return false;
            }
        }
        return Files.readString(keep.resolve("sp.xml"), StandardCharsets.UTF_8).contains("entityID=\"" + base + "mellon/metadata\"");
    }

    /** Copies the service provider's files into {@code keep}, owner-only (the private key is among them). */
    private static void keepCopies(Path saml, Path keep) throws IOException {
        Files.createDirectories(keep);
        Files.setPosixFilePermissions(keep, PosixFilePermissions.fromString("rwx------"));
        for (String f : SP_FILES) {
            Path kept = keep.resolve(f);
            Files.deleteIfExists(kept);
            Files.createFile(kept, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(kept, Files.readAllBytes(saml.resolve(f)));
        }
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

        /** The service provider's metadata (XML), as mellon_create_metadata made it. */
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
            try {
                Files.writeString(dir.resolve("saml/idp.xml"), idpMetadata, StandardCharsets.UTF_8);
                Files.createDirectories(dir.resolve("cgi"));
                Files.createDirectories(dir.resolve("run"));
                Files.createDirectories(dir.resolve("htdocs"));
                byte[] random = new byte[16];
                new SecureRandom().nextBytes(random);
                String token = HexFormat.of().formatHex(random);
                Files.writeString(dir.resolve("htdocs/ready"), token);
                Path whoami = dir.resolve("cgi/whoami");
                Files.writeString(whoami, """
                        #!/bin/sh
                        printf 'Content-Type: text/plain\\r\\n\\r\\n'
                        echo "REMOTE_USER=$REMOTE_USER"
                        echo "HTTP_HOST=$HTTP_HOST"
                        env | grep '^MELLON_' | sort
                        """, StandardCharsets.US_ASCII);
                Files.setPosixFilePermissions(whoami, PosixFilePermissions.fromString("rwx------"));
                Files.writeString(dir.resolve("httpd.conf"), config(dir, externalUrl, port), StandardCharsets.US_ASCII);
                RunAs.handOver(dir);
                ServerProcess process = ServerProcess.start("apache2 (mellon)", List.of("apache2", "-X", "-f", dir.resolve("httpd.conf").toString()),
                        Map.of(), dir, dir.resolve("stdout.log"), START_TIMEOUT, () -> answers(port, token));
                return new MellonBackend(dir, port, process);
            } catch (ServerProcess.Exited e) {
                delete(dir);
                throw e.portTaken() ? new IOException("port " + port + ", picked free for the app's internal URL, was taken before Apache"
                        + " started; run the test again", e) : e;
            } catch (IOException | InterruptedException | RuntimeException e) {
                delete(dir);
                throw e;
            }
        }
    }

    static String config(Path d, URI externalUrl, int port) {
        return """
                ServerRoot %1$s
                ServerName %2$s
                UseCanonicalName Off
                Listen 127.0.0.1:%3$d
                PidFile %1$s/run/httpd.pid
                DefaultRuntimeDir %1$s/run
                ErrorLog %1$s/error.log
                LogLevel info auth_mellon:debug
                KeepAlive Off
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
                """.formatted(d, "https://" + externalUrl.getRawAuthority(), port, MODULES, WHOAMI, externalUrl);
    }

    /** Whether our Apache answers {@code /ready} with our token (another process may hold a port picked free a moment ago). */
    private static boolean answers(int port, String token) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            socket.setSoTimeout(2000);
            socket.getOutputStream().write("GET /ready HTTP/1.0\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            return response.startsWith("HTTP/1.1 200") && response.endsWith("\r\n\r\n" + token);
        } catch (IOException notYet) {
            return false;
        }
    }

    /** Where Apache listens: the app's internal URL. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    /** Apache's error log so far (mellon writes why it refused a response there, e.g. "Invalid Audience"). */
    public String errorLog() {
        try {
            Path log = dir.resolve("error.log");
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops Apache and deletes its files. */
    @Override
    public void close() throws InterruptedException {
        try {
            process.close();
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // best effort: a temp directory
        }
    }

    private static void run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed:\n" + out);
        }
    }

    @Override
    public String toString() {
        return "mod_auth_mellon on 127.0.0.1:" + port + " (" + process + ")";
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
