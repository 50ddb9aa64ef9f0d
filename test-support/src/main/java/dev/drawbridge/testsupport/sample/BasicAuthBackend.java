package dev.drawbridge.testsupport.sample;

import dev.drawbridge.testsupport.time.Await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real backend that signs users in with HTTP Basic, the kind password vaulting talks to: Debian's Apache httpd with
 * {@code mod_auth_basic} and an {@code htpasswd} file (bcrypt), in the foreground on a free loopback port, in a temporary
 * folder. Everything under {@code /} needs a valid user; {@code /whoami} (CGI) answers an HTML page with the
 * {@code REMOTE_USER} and {@code AUTH_TYPE} Apache decided on; {@code /public/} needs nobody.
 *
 * <p>As root, Apache would switch its children to {@code www-data}; the server runs as {@code nobody} instead (setpriv),
 * with its folder readable by it, so it behaves the same for root and other users. It is started from a platform thread
 * that lives until {@link #close} with {@code setpriv --pdeathsig KILL}, so a killed test JVM leaves no httpd behind.
 * Tests that need it skip, naming the package, when it is not installed ({@link #unavailable}), and fail instead when
 * {@code DRAWBRIDGE_REQUIRE_SSO_SERVERS=1} ({@link #mustRun}), as in CI.
 */
public final class BasicAuthBackend implements AutoCloseable {
    private static final Path APACHE = Paths.get("/usr/sbin/apache2");
    private static final Path HTPASSWD = Paths.get("/usr/bin/htpasswd");
    private static final Path MODULES = Paths.get("/usr/lib/apache2/modules");
    private static final int NOBODY = 65_534;

    private final Path dir;
    private final int port;
    private final Process process;
    private final CompletableFuture<Void> stopped;

    private BasicAuthBackend(Path dir, int port, Process process, CompletableFuture<Void> stopped) {
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.stopped = stopped;
    }

    /** Why the server cannot run here (naming the Debian package to install); empty when it can. */
    public static Optional<String> unavailable() {
        if (!Files.isExecutable(APACHE) || !Files.isExecutable(HTPASSWD) || !Files.exists(MODULES.resolve("mod_auth_basic.so"))) {
            return Optional.of("Apache httpd with mod_auth_basic is not installed: install the Debian package apache2 "
                    + "(apt-get install apache2; bin/test-deps.sh does it as root)");
        }
        return Optional.empty();
    }

    /** Whether a test must fail rather than skip when the server is unavailable ({@code DRAWBRIDGE_REQUIRE_SSO_SERVERS=1}). */
    public static boolean mustRun() {
        return "1".equals(System.getenv("DRAWBRIDGE_REQUIRE_SSO_SERVERS"));
    }

    /** Starts the server with these users (user name to password, any Unicode: stored as bcrypt of the UTF-8 bytes). */
    public static BasicAuthBackend start(Map<String, String> users) throws IOException, InterruptedException {
        unavailable().ifPresent(reason -> {
            throw new IllegalStateException(reason);
        });
        Path dir = Files.createTempDirectory("basic-backend-");
        boolean root = "root".equals(System.getProperty("user.name"));
        Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(dir.resolve("cgi"));
        Files.createDirectories(dir.resolve("htdocs/public"));
        Files.writeString(dir.resolve("htdocs/public/index.html"), "<p id=\"public\">public page</p>\n");
        Path cgi = dir.resolve("cgi/whoami");
        Files.writeString(cgi, """
                #!/bin/sh
                printf 'Content-Type: text/html; charset=utf-8\\r\\n\\r\\n'
                printf '<!DOCTYPE html><title>Basic backend</title><p>Signed in to the Basic backend as <span id="user">%s</span> \
                (<span id="auth">%s</span>)</p>\\n' "$REMOTE_USER" "$AUTH_TYPE"
                """);
        Files.setPosixFilePermissions(cgi, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("htpasswd"), "");
        for (Map.Entry<String, String> u : users.entrySet()) {
            htpasswd(dir, u.getKey(), u.getValue());
        }
        if (root) {
            // Apache runs as nobody: it must read its folder and write its logs there.
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.toList()) {
                    Files.setAttribute(p, "unix:uid", NOBODY);
                    Files.setAttribute(p, "unix:gid", NOBODY);
                }
            }
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePort();
            Files.writeString(dir.resolve("httpd.conf"), config(dir, port));
            try {
                return launch(dir, port, root);
            } catch (IOException e) {
                // Another process took the port between picking and binding: pick another.
                last = e;
            }
        }
        throw last;
    }

    private static String config(Path dir, int port) {
        StringBuilder modules = new StringBuilder();
        for (String m : List.of("mpm_prefork", "authz_core", "authn_core", "authn_file", "auth_basic", "authz_user", "alias", "cgi",
                "mime", "dir")) {
            modules.append("LoadModule ").append(m).append("_module ").append(MODULES.resolve("mod_" + m + ".so")).append('\n');
        }
        return modules + """
                ServerRoot %1$s
                ServerName backend.example.test
                Listen 127.0.0.1:%2$d
                PidFile %1$s/run/httpd.pid
                DefaultRuntimeDir %1$s/run
                ErrorLog %1$s/error.log
                LogLevel warn auth_basic:debug authn_file:debug
                LogFormat "%%h %%u \\"%%r\\" %%>s" simple
                CustomLog %1$s/access.log simple
                TypesConfig /etc/mime.types
                StartServers 1
                MinSpareServers 1
                MaxSpareServers 2
                DocumentRoot %1$s/htdocs
                ScriptAlias /whoami %1$s/cgi/whoami
                <Location />
                  AuthType Basic
                  AuthName "Drawbridge Basic backend"
                  AuthBasicProvider file
                  AuthUserFile %1$s/htpasswd
                  Require valid-user
                </Location>
                <Location /public>
                  Require all granted
                </Location>
                """.formatted(dir, port);
    }

    private static BasicAuthBackend launch(Path dir, int port, boolean root) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("setpriv"));
        if (root) {
            command.addAll(List.of("--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups"));
        }
        // -X: one process, no children. A forking Apache signals its whole process group when it stops (prefork's
        // killpg), and its group is the JVM's: as root that stopped every other test server running as nobody (the
        // realm's slapd and KDC, the Kerberos Apache), not as root it would signal the test JVM itself.
        command.addAll(List.of("--pdeathsig", "KILL", APACHE.toString(), "-f", dir.resolve("httpd.conf").toString(), "-X"));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile());
        CompletableFuture<Process> started = new CompletableFuture<>();
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        // The launching thread lives as long as the server: --pdeathsig kills it when this thread ends (or the JVM dies).
        Thread.ofPlatform().daemon().name("basic-backend-" + port).start(() -> {
            try {
                Process p = pb.start();
                started.complete(p);
                p.waitFor();
            } catch (IOException e) {
                started.completeExceptionally(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                stopped.complete(null);
            }
        });
        Process process;
        try {
            process = started.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("cannot start " + APACHE + ": " + e.getMessage(), e);
        }
        BasicAuthBackend backend = new BasicAuthBackend(dir, port, process, stopped);
        try {
            Await.until("Apache httpd answers on port " + port, Duration.ofSeconds(20), () -> !process.isAlive() || answers(port));
        } catch (AssertionError e) {
            backend.close();
            throw new IOException("Apache httpd did not answer on port " + port + " within 20 s: " + backend.errorLog());
        }
        if (!process.isAlive()) {
            String output = backend.log("stdout.log") + backend.errorLog();
            throw new IOException("Apache httpd exited (" + process.exitValue() + ") on port " + port + ": " + output.strip());
        }
        return backend;
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void htpasswd(Path dir, String user, String password) throws IOException, InterruptedException {
        // -i: the password from standard input (never an argument), bcrypt at the lowest cost (a test).
        Process p = new ProcessBuilder(HTPASSWD.toString(), "-i", "-B", "-C", "4", dir.resolve("htpasswd").toString(), user)
                .redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(password.getBytes(StandardCharsets.UTF_8));
        }
        String out;
        try (InputStream o = p.getInputStream()) {
            out = new String(o.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("htpasswd failed for " + user + ": " + out.strip());
        }
    }

    /** Sets (or changes) a user's password; Apache reads the file on every request, so it counts at once. */
    public void setPassword(String user, String password) throws IOException, InterruptedException {
        htpasswd(dir, user, password);
        Files.setPosixFilePermissions(dir.resolve("htpasswd"), PosixFilePermissions.fromString("rw-r--r--"));
    }

    /** {@code http://127.0.0.1:<port>/}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port + "/");
    }

    public int port() {
        return port;
    }

    /** The access log: one line per request, {@code <client> <user or -> "<request line>" <status>}. */
    public List<String> accessLog() {
        return log("access.log").lines().toList();
    }

    /** Apache's error log (mod_auth_basic says there why it refused a user). */
    public String errorLog() {
        return log("error.log");
    }

    private String log(String name) {
        try {
            return Files.exists(dir.resolve(name)) ? Files.readString(dir.resolve(name)) : "";
        } catch (IOException e) {
            return "(cannot read " + name + ": " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        stopped.join();
        try (Stream<Path> all = Files.walk(dir)) {
            all.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary folder: best effort
        }
    }

    /** Runs the backend by hand: {@code BasicAuthBackend alice:secret [bob:other ...]}; Enter stops it. */
    public static void main(String[] args) throws Exception {
        Map<String, String> users = new LinkedHashMap<>();
        for (String a : args) {
            int colon = a.indexOf(':');
            users.put(a.substring(0, colon), a.substring(colon + 1));
        }
        try (BasicAuthBackend b = start(users)) {
            System.out.println("Basic backend at " + b.baseUri() + "whoami (users: " + users.keySet() + "); Enter stops it");
            System.in.read();
        }
    }
}
