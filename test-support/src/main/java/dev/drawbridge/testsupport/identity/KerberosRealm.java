package dev.drawbridge.testsupport.identity;

import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import dev.drawbridge.testsupport.process.DebianPackages;
import dev.drawbridge.testsupport.process.FreePorts;
import dev.drawbridge.testsupport.process.RunAs;
import dev.drawbridge.testsupport.process.ServerProcess;
import dev.drawbridge.testsupport.process.Tool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real MIT Kerberos realm, {@value #REALM}, for the Kerberos constrained delegation tests: slapd ({@link Slapd})
 * holding the database and {@code krb5kdc} with MIT's LDAP backend (the only MIT backend that keeps
 * {@code krbAllowedToDelegateTo}; Kerby's test KDC ignores S4U2Self), both foreground children of the JVM on free
 * loopback ports ({@link ServerProcess}: gone with the JVM), as {@code nobody} when the tests run as root
 * ({@link RunAs}). Starts in about half a second. Tickets last an hour at most ({@link #MAX_TICKET_LIFE}).
 *
 * <p>One per JVM ({@link #shared()}): the JDK reads one krb5.conf per JVM, so two KDCs for one realm name in one JVM
 * cannot both be reached. Tests add the principals they need ({@link #addUser}, {@link #addService}; both idempotent,
 * so test classes sharing the realm may ask for the same ones), export keytabs without changing keys
 * ({@link #keytab}), set the allow-list of a service ({@link #allowDelegation}), count the KDC's requests
 * ({@link #kdcRequests}) and take the KDC down for a while ({@link #kdcOutage}).
 *
 * <p>Vocabulary, MIT vs. Active Directory: {@link Flag#OK_TO_AUTH_AS_DELEGATE} = "use any authentication protocol"
 * (TrustedToAuthForDelegation), {@code krbAllowedToDelegateTo} = {@code msDS-AllowedToDelegateTo},
 * {@link Flag#NOT_DELEGABLE} = "account is sensitive and cannot be delegated".
 *
 * <p>By hand: {@code KerberosRealm.main()} starts one and prints how to reach it.
 */
public final class KerberosRealm implements AutoCloseable {
    public static final String REALM = "EXAMPLE.TEST";
    /** The password of every user {@link #addUser} creates. */
    public static final String PASSWORD = "kerberos-password-1";
    /** The realm's longest ticket life (kdc.conf {@code max_life}): every ticket ends at most this long after it was issued. */
    public static final Duration MAX_TICKET_LIFE = Duration.ofHours(1);
    /** What the realm needs installed (bin/test-deps.sh installs them). */
    public static final List<DebianPackages.Need> NEEDS = List.of(
            new DebianPackages.Need("/usr/bin/setpriv", "util-linux"),
            new DebianPackages.Need("/usr/sbin/slapd", "slapd"),
            new DebianPackages.Need(Slapd.CORE_SCHEMA, "slapd"),
            new DebianPackages.Need("/usr/sbin/krb5kdc", "krb5-kdc"),
            new DebianPackages.Need("/usr/sbin/kdb5_ldap_util", "krb5-kdc-ldap"),
            new DebianPackages.Need(Slapd.KERBEROS_SCHEMA, "krb5-kdc-ldap"),
            new DebianPackages.Need("/usr/sbin/kadmin.local", "krb5-admin-server"));
    private static final Duration TOOL_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration KDC_START_TIMEOUT = Duration.ofSeconds(10);
    private static KerberosRealm shared;

    /** Principal flags, as kadmin spells them. */
    public enum Flag {
        /** May ask for tickets to itself on behalf of any user (S4U2Self giving forwardable tickets: protocol transition). */
        OK_TO_AUTH_AS_DELEGATE("+ok_to_auth_as_delegate"),
        /** A user whose tickets are never forwardable: no service may act on their behalf. */
        NOT_DELEGABLE("-allow_forwardable");

        private final String kadmin;

        Flag(String kadmin) {
            this.kadmin = kadmin;
        }
    }

    private final Path dir;
    private final Slapd slapd;
    private final Map<String, String> env;
    private final int kdcPort;
    private ServerProcess kdc;

    private KerberosRealm(Path dir, Slapd slapd, Map<String, String> env, int kdcPort, ServerProcess kdc) {
        this.dir = dir;
        this.slapd = slapd;
        this.env = env;
        this.kdcPort = kdcPort;
        this.kdc = kdc;
    }

    /**
     * The JVM's realm, started on first use and stopped when the JVM exits. Skips the calling test when its Debian
     * packages are missing (fails it instead when {@value DebianPackages#REQUIRE}=1).
     */
    public static synchronized KerberosRealm shared() throws IOException, InterruptedException {
        DebianPackages.require("KerberosRealm", NEEDS);
        if (shared == null) {
            KerberosRealm realm = start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    realm.close();
                } catch (InterruptedException | RuntimeException ignored) {
                    // the JVM is going away; pdeathsig ends the servers anyway
                }
            }));
            shared = realm;
        }
        return shared;
    }

    private static KerberosRealm start() throws IOException, InterruptedException {
        Path dir = RunAs.privateDirectory("krb");
        Slapd slapd = null;
        try {
            slapd = Slapd.start(RunAs.directory(dir.resolve("ldap")));
            Path krb5 = RunAs.directory(dir.resolve("krb5"));
            RunAs.directory(dir.resolve("keytabs"));
            Map<String, String> env = Map.of("KRB5_CONFIG", krb5.resolve("krb5.conf").toString(),
                    "KRB5_KDC_PROFILE", krb5.resolve("kdc.conf").toString());
            RunAs.write(krb5.resolve("kadm5.acl"), "");
            int port = FreePorts.pick();
            writeConfig(krb5, port, slapd.url());
            Tool.run(List.of("kdb5_ldap_util", "stashsrvpw", "-f", krb5.resolve("ldap.pw").toString(), Slapd.ADMIN_DN), env, dir,
                    slapd.password() + "\n" + slapd.password() + "\n", TOOL_TIMEOUT);
            Tool.run(List.of("kdb5_ldap_util", "-D", Slapd.ADMIN_DN, "-w", slapd.password(), "-H", slapd.url(),
                    "create", "-r", REALM, "-s", "-P", "master-" + slapd.password()), env, dir, "", TOOL_TIMEOUT);
            for (int attempt = 1; ; attempt++) {
                try {
                    return new KerberosRealm(dir, slapd, env, port, startKdc(dir, env));
                } catch (ServerProcess.Exited e) {
                    if (!e.portTaken() || attempt == FreePorts.ATTEMPTS) {
                        throw e;
                    }
                    port = FreePorts.pick();
                    writeConfig(krb5, port, slapd.url());
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (slapd != null) {
                slapd.close();
            }
            delete(dir);
            throw e;
        }
    }

    private static ServerProcess startKdc(Path dir, Map<String, String> env) throws IOException, InterruptedException {
        Path out = dir.resolve("krb5/kdc.out");
        return ServerProcess.start("krb5kdc", List.of("krb5kdc", "-n", "-r", REALM), env, dir, out, KDC_START_TIMEOUT,
                () -> Files.exists(out) && Files.readString(out).contains("commencing operation"));
    }

    private static void writeConfig(Path krb5, int kdcPort, String ldapUrl) throws IOException {
        RunAs.write(krb5.resolve("krb5.conf"), """
                [libdefaults]
                  default_realm = %1$s
                  dns_lookup_kdc = false
                  dns_lookup_realm = false
                  rdns = false
                  dns_canonicalize_hostname = false
                  udp_preference_limit = 1
                [realms]
                  %1$s = {
                    kdc = 127.0.0.1:%2$d
                  }
                """.formatted(REALM, kdcPort));
        RunAs.write(krb5.resolve("kdc.conf"), """
                [kdcdefaults]
                  kdc_listen = 127.0.0.1:%2$d
                  kdc_tcp_listen = 127.0.0.1:%2$d
                [realms]
                  %1$s = {
                    max_life = 1h
                    database_module = ldapdb
                    key_stash_file = %3$s/stash
                    acl_file = %3$s/kadm5.acl
                  }
                [dbmodules]
                  ldapdb = {
                    db_library = kldap
                    ldap_kerberos_container_dn = %4$s
                    ldap_kdc_dn = %5$s
                    ldap_kadmind_dn = %5$s
                    ldap_service_password_file = %3$s/ldap.pw
                    ldap_servers = %6$s
                  }
                [logging]
                  kdc = FILE:%3$s/kdc.log
                  kdc = STDERR
                """.formatted(REALM, kdcPort, krb5, Slapd.SUFFIX, Slapd.ADMIN_DN, ldapUrl));
    }

    /** {@value #REALM}. */
    public String realm() {
        return REALM;
    }

    /** {@code 127.0.0.1:<port>}, the KDC (TCP and UDP). */
    public String kdcAddress() {
        return "127.0.0.1:" + kdcPort;
    }

    /** The realm's krb5.conf, for MIT's tools (KRB5_CONFIG): {@code kinit}, {@code curl --negotiate} by hand. */
    public Path krb5Conf() {
        return Path.of(env.get("KRB5_CONFIG"));
    }

    /** {@code name@REALM} for a name without a realm. */
    public static String qualified(String name) {
        return name.contains("@") ? name : name + "@" + REALM;
    }

    /** Adds user {@code name} with {@link #PASSWORD} (or sets its flags if it exists); returns {@code name@REALM}. */
    public String addUser(String name, Flag... flags) throws IOException, InterruptedException {
        return add(name, "-pw " + PASSWORD, flags);
    }

    /** Adds service principal {@code spn} ({@code HTTP/host}) with a random key (or sets its flags); returns it qualified. */
    public String addService(String spn, Flag... flags) throws IOException, InterruptedException {
        return add(spn, "-randkey", flags);
    }

    private String add(String name, String key, Flag... flags) throws IOException, InterruptedException {
        String principal = qualified(name);
        String flagArgs = String.join(" ", Arrays.stream(flags).map(f -> f.kadmin).toList());
        String created = kadmin("addprinc " + key + " " + flagArgs + " " + principal);
        if (created.contains("already exists")) {
            // the same principal for another test class: converge on the flags asked for now
            String reset = Stream.of(Flag.values()).filter(f -> !Arrays.asList(flags).contains(f))
                    .map(f -> (f.kadmin.startsWith("+") ? "-" : "+") + f.kadmin.substring(1)).reduce((a, b) -> a + " " + b).orElse("");
            kadmin("modprinc " + reset + " " + flagArgs + " " + principal);
        }
        return principal;
    }

    /** A keytab with the current keys of {@code principal} (exported without new keys: earlier keytabs stay valid). */
    public byte[] keytab(String principal) throws IOException, InterruptedException {
        Path file = dir.resolve("keytabs").resolve(Long.toHexString(System.nanoTime()) + ".keytab");
        kadmin("ktadd -norandkey -k " + file + " " + qualified(principal));
        try {
            return Files.readAllBytes(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Sets the services {@code service} may ask tickets for on a user's behalf (S4U2Proxy), replacing the list:
     * {@code krbAllowedToDelegateTo}, AD's {@code msDS-AllowedToDelegateTo}. None: it may delegate to nothing.
     */
    public void allowDelegation(String service, String... targets) {
        String dn = new RDN("krbPrincipalName", qualified(service)) + ",cn=" + REALM + "," + Slapd.SUFFIX;
        try {
            slapd.replace(dn, "krbAllowedToDelegateTo", Stream.of(targets).map(KerberosRealm::qualified).toList());
        } catch (LDAPException e) {
            throw new IllegalStateException("could not set krbAllowedToDelegateTo of " + service + ": " + e.getMessage(), e);
        }
    }

    /** Runs one kadmin.local query; returns its output, failing on an error other than "already exists". */
    private String kadmin(String query) throws IOException, InterruptedException {
        String out = Tool.run(List.of("kadmin.local", "-r", REALM, "-q", query), env, dir, "", TOOL_TIMEOUT);
        for (String line : out.split("\n")) {
            if (line.contains(" while ") && !line.contains("already exists")) {
                throw new IllegalStateException("kadmin.local " + query + ": " + line);
            }
        }
        return out;
    }

    /** The KDC's requests so far (read from its log: take one before and one after, {@link KdcRequests#since}). */
    public KdcRequests kdcRequests() {
        int as = 0;
        int tgs = 0;
        try (Stream<String> lines = Files.lines(dir.resolve("krb5/kdc.log"), StandardCharsets.UTF_8)) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.contains(": AS_REQ ")) {
                    as++;
                } else if (line.contains(": TGS_REQ ")) {
                    tgs++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new KdcRequests(as, tgs);
    }

    /** The KDC log's lines so far (for a failure message). */
    public List<String> kdcLog() throws IOException {
        return Files.readAllLines(dir.resolve("krb5/kdc.log"), StandardCharsets.UTF_8);
    }

    /** A KDC outage: stops the KDC (its port refuses connections) until {@link Outage#close}, which starts it again. */
    public synchronized Outage kdcOutage() throws InterruptedException {
        kdc.close();
        return new Outage();
    }

    /** The KDC being down; closing it brings the KDC back on the same port. */
    public final class Outage implements AutoCloseable {
        private Outage() {
        }

        @Override
        public void close() throws IOException, InterruptedException {
            synchronized (KerberosRealm.this) {
                kdc = startKdc(dir, env);
            }
        }
    }

    /** Stops the KDC and slapd and deletes the realm's files. */
    @Override
    public synchronized void close() throws InterruptedException {
        try {
            kdc.close();
        } finally {
            slapd.close();
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
        return "Kerberos realm " + REALM + " (KDC " + kdcAddress() + ", " + slapd.url() + ")";
    }

    /** Starts the realm with users alice, bob (not delegable) and carol, and prints how to reach it; Enter stops it. */
    public static void main(String[] args) throws Exception {
        KerberosRealm realm = shared();
        List<String> users = new ArrayList<>();
        users.add(realm.addUser("alice"));
        users.add(realm.addUser("bob", Flag.NOT_DELEGABLE));
        users.add(realm.addUser("carol"));
        System.out.println(realm + "; users " + users + " (password '" + PASSWORD + "'); KRB5_CONFIG=" + realm.krb5Conf()
                + "; Enter stops it");
        System.in.read();
    }
}
