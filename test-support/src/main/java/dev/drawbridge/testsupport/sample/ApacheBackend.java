package dev.drawbridge.testsupport.sample;

import dev.drawbridge.testsupport.identity.KerberosRealm;
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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real Apache httpd as a backend app that signs its users in by itself (IWA and the like), for the single sign-on
 * tests: one foreground process ({@code apache2 -X}: no worker children that could outlive it; see
 * {@link ServerProcess}) on a free loopback port, as {@code nobody} when the tests run as root. One page,
 * {@code /whoami}, is protected by the chosen {@link Auth} and answers, as text, {@code REMOTE_USER=<user>} and
 * {@code AUTH_TYPE=<type>} (a CGI script), plus the user in an {@code X-Remote-User} header; everything else is open
 * ({@code /} is a page linking to {@code /whoami}, for the demo's visitors).
 * Requests are served one at a time, keep-alive off.
 *
 * <p>The sign-in method is a module and its directives ({@link Auth}): {@link Gssapi} (mod_auth_gssapi, Kerberos
 * "Negotiate") today; SAML (mod_auth_mellon) and Basic (mod_auth_basic + htpasswd) fit the same shape.
 *
 * <p>By hand: {@code ApacheBackend.main()} starts one behind a fresh {@code HTTP/backend.example.test} of the shared
 * {@link KerberosRealm}.
 */
public final class ApacheBackend implements AutoCloseable {
    /** What Apache needs installed (bin/test-deps.sh installs it). */
    public static final List<DebianPackages.Need> NEEDS = List.of(
            new DebianPackages.Need("/usr/bin/setpriv", "util-linux"),
            new DebianPackages.Need("/usr/sbin/apache2", "apache2-bin"));
    private static final String MODULES = "/usr/lib/apache2/modules";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    /** How {@code /whoami} signs its users in: the modules to load and the directives of its {@code <Location>}. */
    public sealed interface Auth permits Gssapi {
        /** The packages it needs beyond Apache's. */
        List<DebianPackages.Need> needs();

        /** Module names to load ({@code auth_gssapi} for {@code mod_auth_gssapi.so}). */
        List<String> modules();

        /** Writes its files into {@code dir} (owned by the server's user) and returns the directives for {@code /whoami}. */
        String configure(Path dir) throws IOException;

        /** Environment variables for Apache. */
        Map<String, String> environment(Path dir);
    }

    /**
     * Kerberos "Negotiate" (SPNEGO) with mod_auth_gssapi: accepts tickets for the principals in {@code keytab}
     * (the backend's SPN, {@code HTTP/backend.example.test}), Kerberos only, no Basic fallback, answers with the
     * mutual-authentication token, REMOTE_USER = the client principal ({@code alice@EXAMPLE.TEST}).
     */
    public record Gssapi(byte[] keytab) implements Auth {
        /** The package mod_auth_gssapi comes in (beyond Apache's {@link ApacheBackend#NEEDS}). */
        public static final List<DebianPackages.Need> NEEDS = List.of(
                new DebianPackages.Need(MODULES + "/mod_auth_gssapi.so", "libapache2-mod-auth-gssapi"));

        public Gssapi {
            keytab = keytab.clone();
        }

        @Override
        public List<DebianPackages.Need> needs() {
            return NEEDS;
        }

        @Override
        public List<String> modules() {
            return List.of("auth_gssapi");
        }

        @Override
        public String configure(Path dir) throws IOException {
            Path file = dir.resolve("backend.keytab");
            Files.write(file, keytab);
            RunAs.handOver(file);
            RunAs.write(dir.resolve("krb5.conf"), "[libdefaults]\n  rdns = false\n");
            return """
                    AuthType GSSAPI
                    AuthName "Kerberos backend"
                    GssapiCredStore keytab:%s
                    GssapiAllowedMech krb5
                    GssapiBasicAuth Off
                    GssapiLocalName Off
                    """.formatted(file);
        }

        @Override
        public Map<String, String> environment(Path dir) {
            // an acceptor needs no KDC; no replay cache file (it would be shared by every test backend)
            return Map.of("KRB5_CONFIG", dir.resolve("krb5.conf").toString(), "KRB5RCACHETYPE", "none");
        }
    }

    private final Path dir;
    private final String serverName;
    private final int port;
    private final ServerProcess process;

    private ApacheBackend(Path dir, String serverName, int port, ServerProcess process) {
        this.dir = dir;
        this.serverName = serverName;
        this.port = port;
        this.process = process;
    }

    /**
     * Starts Apache as {@code serverName} (the host name clients use, {@code backend.example.test}) with {@code auth}
     * on {@code /whoami}. Skips the calling test when its Debian packages are missing (fails it when
     * {@value DebianPackages#REQUIRE}=1).
     */
    public static ApacheBackend start(String serverName, Auth auth) throws IOException, InterruptedException {
        List<DebianPackages.Need> needs = new ArrayList<>(NEEDS);
        needs.addAll(auth.needs());
        DebianPackages.require("ApacheBackend", needs);
        Path dir = RunAs.privateDirectory("web");
        try {
            String token = prepare(dir, auth);
            for (int attempt = 1; ; attempt++) {
                int port = FreePorts.pick();
                RunAs.write(dir.resolve("httpd.conf"), config(dir, serverName, port, auth));
                try {
                    ServerProcess process = ServerProcess.start("apache2", List.of("apache2", "-X", "-f", dir.resolve("httpd.conf").toString()),
                            auth.environment(dir), dir, dir.resolve("stdout.log"), START_TIMEOUT, () -> answers(port, token));
                    return new ApacheBackend(dir, serverName, port, process);
                } catch (ServerProcess.Exited e) {
                    if (!e.portTaken() || attempt == FreePorts.ATTEMPTS) {
                        throw e;
                    }
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            delete(dir);
            throw e;
        }
    }

    /** Writes the pages and the method's files; returns the random content of {@code /ready}, which proves it is ours. */
    private static String prepare(Path dir, Auth auth) throws IOException {
        Path htdocs = RunAs.directory(dir.resolve("htdocs"));
        Path cgi = RunAs.directory(dir.resolve("cgi"));
        RunAs.directory(dir.resolve("run"));
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        RunAs.write(htdocs.resolve("ready"), token);
        RunAs.write(htdocs.resolve("index.html"), """
                <!DOCTYPE html>
                <html lang="en">
                <head><meta charset="utf-8"><title>Apache backend</title></head>
                <body>
                <h1>Apache backend</h1>
                <p><a href="whoami">whoami</a> signs you in and shows who Apache sees (<code>REMOTE_USER</code>,
                <code>AUTH_TYPE</code>).</p>
                </body>
                </html>
                """);
        Path whoami = cgi.resolve("whoami");
        Files.writeString(whoami, """
                #!/bin/sh
                printf 'Content-Type: text/plain\\r\\n\\r\\n'
                echo "REMOTE_USER=$REMOTE_USER"
                echo "AUTH_TYPE=$AUTH_TYPE"
                """);
        Files.setPosixFilePermissions(whoami, PosixFilePermissions.fromString("rwx------"));
        RunAs.handOver(whoami);
        RunAs.directory(dir.resolve("auth"));
        return token;
    }

    private static String config(Path dir, String serverName, int port, Auth auth) throws IOException {
        StringBuilder modules = new StringBuilder();
        for (String module : Stream.concat(Stream.of("mpm_prefork", "authz_core", "authn_core", "authz_user", "alias", "cgi", "headers", "dir"),
                auth.modules().stream()).toList()) {
            modules.append("LoadModule ").append(module).append("_module ").append(MODULES).append("/mod_").append(module).append(".so\n");
        }
        return """
                ServerRoot %1$s
                ServerName %2$s
                Listen 127.0.0.1:%3$d
                PidFile %1$s/run/httpd.pid
                DefaultRuntimeDir %1$s/run
                ErrorLog %1$s/error.log
                LogLevel info
                KeepAlive Off
                %4$s
                DocumentRoot %1$s/htdocs
                DirectoryIndex index.html
                ScriptAlias /whoami %1$s/cgi/whoami
                <Location /whoami>
                %5$s
                  Require valid-user
                  Header always set X-Remote-User "expr=%%{REMOTE_USER}"
                </Location>
                """.formatted(dir, serverName, port, modules, auth.configure(dir.resolve("auth")).indent(2).stripTrailing());
    }

    /** Whether our Apache answers {@code /ready} with our token (a plain HTTP/1.0 exchange: polled every 10 ms). */
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

    /** The host name Apache calls itself (and clients use in the SPN: {@code HTTP/<serverName>}). */
    public String serverName() {
        return serverName;
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Apache's error log so far (mod_auth_gssapi says there why it refused a token). */
    public String errorLog() {
        try {
            Path log = dir.resolve("error.log");
            return Files.exists(log) ? Files.readString(log) : "";
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

    @Override
    public String toString() {
        return "Apache " + serverName + " on 127.0.0.1:" + port + " (" + process + ")";
    }

    /** Starts a Kerberos backend {@code HTTP/backend.example.test} in the shared realm and prints its URL; Enter stops it. */
    public static void main(String[] args) throws Exception {
        KerberosRealm realm = KerberosRealm.shared();
        String spn = realm.addService("HTTP/backend.example.test");
        try (ApacheBackend apache = start("backend.example.test", new Gssapi(realm.keytab(spn)))) {
            System.out.println(apache + ": " + apache.uri("/whoami") + " needs a ticket for " + spn + "; KRB5_CONFIG="
                    + realm.krb5Conf() + "; Enter stops it");
            System.in.read();
        }
    }
}
