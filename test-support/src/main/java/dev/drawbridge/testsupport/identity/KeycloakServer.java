package dev.drawbridge.testsupport.identity;

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
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Keycloak (the {@code keycloak-quarkus-dist} zip that the build of system-tests unpacks into its
 * {@code target/keycloak}; {@code -Ddrawbridge.keycloak.home} names it) in dev mode on a free loopback port,
 * with an in-memory database and one realm imported at start: {@value #REALM}, a confidential client
 * {@value #CLIENT_ID} whose only redirect URI is the one given, groups "HR staff" and "Engineering", a
 * group-membership mapper emitting the {@code groups} claim (plain names), and users alice (both groups), bob (none), carol (HR staff), dave
 * (email not verified) and erin (email verified, no groups). {@link #startWithPartner} imports a second realm,
 * {@value #PARTNER_REALM} (another organisation: the same client id and secret, group "Partners", users alice, whose
 * user name is the corp realm's alice's, and frank, both at partner.example), into the same Keycloak: one start for
 * tests of several identity providers.
 * Runs on the JDK running the tests. Start it once per test class: it takes half a minute.
 *
 * <p>By hand: {@code KeycloakServer.main(redirectUri)} starts one and prints its issuer
 * ({@code -Ddrawbridge.keycloak.home=system-tests/target/keycloak/keycloak-<version>} after a build of system-tests).
 */
public final class KeycloakServer implements AutoCloseable {
    /** The one realm. */
    public static final String REALM = "corp";
    /** The second realm of {@link #startWithPartner}. */
    public static final String PARTNER_REALM = "partner";
    /** The confidential client Drawbridge signs in with. */
    public static final String CLIENT_ID = "drawbridge";
    public static final String CLIENT_SECRET = "kc-test-secret-5f1d0c7e";
    /** Every user's password. */
    public static final String PASSWORD = "keycloak password 1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(150);

    private final Process process;
    private final Path log;
    private final int port;

    private KeycloakServer(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    /** The unpacked distribution: {@code -Ddrawbridge.keycloak.home}, set by system-tests' surefire configuration. */
    public static Path home() {
        Path home = Paths.get(System.getProperty("drawbridge.keycloak.home", "target/keycloak/keycloak-26.7.3"));
        if (!Files.isRegularFile(home.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("no Keycloak at " + home.toAbsolutePath() + ": build system-tests with Maven "
                    + "(generate-test-resources unpacks org.keycloak:keycloak-quarkus-dist), or set -Ddrawbridge.keycloak.home");
        }
        return home;
    }

    /** Starts Keycloak with the realm, whose client accepts only {@code redirectUri}, and waits until it answers. */
    public static KeycloakServer start(String redirectUri) throws IOException, InterruptedException {
        return start(redirectUri, false);
    }

    /** Starts Keycloak with both realms, {@value #REALM} and {@value #PARTNER_REALM}, whose clients accept only {@code redirectUri}. */
    public static KeycloakServer startWithPartner(String redirectUri) throws IOException, InterruptedException {
        return start(redirectUri, true);
    }

    private static KeycloakServer start(String redirectUri, boolean partner) throws IOException, InterruptedException {
        Path home = home();
        Path imports = Files.createDirectories(home.resolve("data/import"));
        try (var old = Files.list(imports)) {
            for (Path p : old.toList()) {
                Files.delete(p);
            }
        }
        Files.writeString(imports.resolve(REALM + "-realm.json"), realm(redirectUri), StandardCharsets.UTF_8);
        if (partner) {
            Files.writeString(imports.resolve(PARTNER_REALM + "-realm.json"), partnerRealm(redirectUri), StandardCharsets.UTF_8);
        }
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path log = home.resolve("keycloak-" + port + ".log");
        ProcessBuilder pb = new ProcessBuilder("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host", "127.0.0.1", "--http-port", String.valueOf(port), "--db", "dev-mem", "--import-realm")
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", "admin");
        pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin-" + Long.toHexString(System.nanoTime()));
        pb.environment().remove("JAVA_OPTS");
        // A test Keycloak lives a minute: the quick compiler alone starts it sooner on a busy machine.
        pb.environment().put("JAVA_OPTS_APPEND", "-XX:TieredStopAtLevel=1");
        KeycloakServer kc = new KeycloakServer(pb.start(), log, port);
        try {
            kc.awaitReady();
            return kc;
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            kc.close();
            throw e;
        }
    }

    private void awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpRequest discovery = HttpRequest.newBuilder(URI.create(issuer() + "/.well-known/openid-configuration"))
                    .timeout(Duration.ofSeconds(5)).build();
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Keycloak exited with " + process.exitValue() + " before it answered; its log:\n" + tail());
                }
                try {
                    if (http.send(discovery, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Keycloak did not answer " + discovery.uri() + " within " + START_TIMEOUT
                            + "; its log:\n" + tail());
                }
                Thread.sleep(250);
            }
        }
    }

    /** The realm's issuer, {@code http://127.0.0.1:<port>/realms/corp}. */
    public String issuer() {
        return issuer(REALM);
    }

    /** A realm's issuer, {@code http://127.0.0.1:<port>/realms/<realm>}. */
    public String issuer(String realm) {
        return "http://127.0.0.1:" + port + "/realms/" + realm;
    }

    /** The last 40 lines of Keycloak's log, for a failure message. */
    public String tail() throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** Stops Keycloak and everything it started (kc.sh runs java as a child). */
    @Override
    public void close() throws InterruptedException {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    /** The confidential client Drawbridge signs in with, the same in every realm: only {@code redirectUri}, PKCE, a groups claim. */
    static String client(String redirectUri) {
        return """
                {
                  "clientId": "%s",
                  "enabled": true,
                  "publicClient": false,
                  "clientAuthenticatorType": "client-secret",
                  "secret": "%s",
                  "standardFlowEnabled": true,
                  "directAccessGrantsEnabled": false,
                  "redirectUris": ["%s"],
                  "attributes": {"pkce.code.challenge.method": "S256"},
                  "protocolMappers": [{
                    "name": "groups", "protocol": "openid-connect", "protocolMapper": "oidc-group-membership-mapper",
                    "config": {"claim.name": "groups", "full.path": "false", "id.token.claim": "true",
                               "access.token.claim": "true", "userinfo.token.claim": "true"}
                  }]
                }""".formatted(CLIENT_ID, CLIENT_SECRET, redirectUri);
    }

    static String realm(String redirectUri) {
        return """
                {
                  "realm": "%1$s",
                  "enabled": true,
                  "sslRequired": "none",
                  "groups": [{"name": "HR staff"}, {"name": "Engineering"}],
                  "clients": [%3$s],
                  "users": [{
                    "username": "alice", "enabled": true, "email": "Alice@Corp.Example", "emailVerified": true,
                    "firstName": "Alice", "lastName": "Martin",
                    "credentials": [{"type": "password", "value": "%2$s", "temporary": false}],
                    "groups": ["/HR staff", "/Engineering"]
                  }, {
                    "username": "bob", "enabled": true, "email": "bob@corp.example", "emailVerified": true,
                    "firstName": "Bob", "lastName": "Stone",
                    "credentials": [{"type": "password", "value": "%2$s", "temporary": false}]
                  }, {
                    "username": "carol", "enabled": true, "email": "carol@corp.example", "emailVerified": true,
                    "firstName": "Carol", "lastName": "Diaz",
                    "credentials": [{"type": "password", "value": "%2$s", "temporary": false}],
                    "groups": ["/HR staff"]
                  }, {
                    "username": "dave", "enabled": true, "email": "dave@corp.example", "emailVerified": false,
                    "firstName": "Dave", "lastName": "Unverified",
                    "credentials": [{"type": "password", "value": "%2$s", "temporary": false}]
                  }, {
                    "username": "erin", "enabled": true, "email": "erin@corp.example", "emailVerified": true,
                    "firstName": "Erin", "lastName": "Verified",
                    "credentials": [{"type": "password", "value": "%2$s", "temporary": false}]
                  }]
                }
                """.formatted(REALM, PASSWORD, client(redirectUri));
    }

    static String partnerRealm(String redirectUri) {
        return """
                {
                  "realm": "%1$s",
                  "enabled": true,
                  "sslRequired": "none",
                  "groups": [{"name": "Partners"}],
                  "clients": [%3$s],
                  "users": [{
                    "username": "alice", "enabled": true, "email": "alice@partner.example", "emailVerified": true,
                    "firstName": "Alice", "lastName": "Partner",
                    "credentials": [{"type": "password", "value": "%2$s", "temporary": false}],
                    "groups": ["/Partners"]
                  }, {
                    "username": "frank", "enabled": true, "email": "frank@partner.example", "emailVerified": true,
                    "firstName": "Frank", "lastName": "Partner",
                    "credentials": [{"type": "password", "value": "%2$s", "temporary": false}]
                  }]
                }
                """.formatted(PARTNER_REALM, PASSWORD, client(redirectUri));
    }

    public static void main(String[] args) throws Exception {
        KeycloakServer kc = start(args.length > 0 ? args[0] : "https://login.localhost:8443/federation/callback");
        System.out.println("Keycloak issuer: " + kc.issuer() + " (client " + CLIENT_ID + " / " + CLIENT_SECRET + "); Enter stops it");
        System.in.read();
        kc.close();
    }
}
