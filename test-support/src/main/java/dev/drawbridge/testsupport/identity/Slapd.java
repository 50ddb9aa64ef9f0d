package dev.drawbridge.testsupport.identity;

import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import dev.drawbridge.testsupport.process.FreePorts;
import dev.drawbridge.testsupport.process.RunAs;
import dev.drawbridge.testsupport.process.ServerProcess;
import dev.drawbridge.testsupport.process.Tool;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The OpenLDAP server holding a {@link KerberosRealm}'s database (MIT's kldap backend: the only one of MIT's that
 * keeps {@code krbAllowedToDelegateTo}, which constrained delegation needs): back_mdb under {@value #SUFFIX}, core +
 * Kerberos schema, a root DN with a random password, plain LDAP on a free loopback port. Configured offline with one
 * slapadd, then started in the foreground ({@code slapd -d 0}).
 */
final class Slapd implements AutoCloseable {
    static final String SUFFIX = "cn=krb5";
    static final String ADMIN_DN = "cn=admin," + SUFFIX;
    /** krb5-kdc-ldap's schema; kdb5_ldap_util and the KDC need its attributes. */
    static final String KERBEROS_SCHEMA = "/usr/share/doc/krb5-kdc-ldap/kerberos.openldap.ldif.gz";
    static final String CORE_SCHEMA = "/etc/ldap/schema/core.ldif";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final ServerProcess process;
    private final int port;
    private final String password;

    private Slapd(ServerProcess process, int port, String password) {
        this.process = process;
        this.port = port;
        this.password = password;
    }

    /** Configures an empty directory in {@code dir} (which must be empty) and starts slapd on a free port. */
    static Slapd start(Path dir) throws IOException, InterruptedException {
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        String password = HexFormat.of().formatHex(secret);
        Path config = RunAs.directory(dir.resolve("slapd.d"));
        Path db = RunAs.directory(dir.resolve("db"));
        Tool.run(List.of("slapadd", "-b", "cn=config", "-F", config.toString()), Map.of(), dir,
                configLdif(dir, db, password), Duration.ofSeconds(10));
        for (int attempt = 1; ; attempt++) {
            int port = FreePorts.pick();
            try {
                ServerProcess process = ServerProcess.start("slapd", List.of("slapd", "-d", "0", "-h", "ldap://127.0.0.1:" + port + "/",
                        "-F", config.toString()), Map.of(), dir, dir.resolve("slapd.out"), START_TIMEOUT, () -> answers(port, password));
                return new Slapd(process, port, password);
            } catch (ServerProcess.Exited e) {
                if (!e.portTaken() || attempt == FreePorts.ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** Whether our slapd answers on {@code port}: a bind with our random password proves it is not another's. */
    private static boolean answers(int port, String password) {
        try (LDAPConnection c = new LDAPConnection("127.0.0.1", port, ADMIN_DN, password)) {
            return c.isConnected();
        } catch (LDAPException notYet) {
            return false;
        }
    }

    private static String configLdif(Path dir, Path db, String password) throws IOException {
        String kerberosSchema;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(Path.of(KERBEROS_SCHEMA)))) {
            kerberosSchema = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        return """
                dn: cn=config
                objectClass: olcGlobal
                cn: config
                olcPidFile: %1$s/slapd.pid

                dn: cn=module,cn=config
                objectClass: olcModuleList
                cn: module
                olcModulePath: /usr/lib/ldap
                olcModuleLoad: back_mdb

                dn: cn=schema,cn=config
                objectClass: olcSchemaConfig
                cn: schema

                %2$s

                %3$s

                dn: olcDatabase=mdb,cn=config
                objectClass: olcDatabaseConfig
                objectClass: olcMdbConfig
                olcDatabase: mdb
                olcSuffix: %4$s
                olcRootDN: %5$s
                olcRootPW: %6$s
                olcDbDirectory: %7$s
                olcDbMaxSize: 67108864
                olcDbIndex: krbPrincipalName eq,pres,sub
                """.formatted(dir, Files.readString(Path.of(CORE_SCHEMA)).strip(), kerberosSchema.strip(), SUFFIX,
                ADMIN_DN, password, db);
    }

    /** {@code ldap://127.0.0.1:<port>/}. */
    String url() {
        return "ldap://127.0.0.1:" + port + "/";
    }

    /** The root DN's password (random per realm). */
    String password() {
        return password;
    }

    /** Replaces {@code attribute} of entry {@code dn} by {@code values} (none: removes it). */
    void replace(String dn, String attribute, List<String> values) throws LDAPException {
        try (LDAPConnection c = new LDAPConnection("127.0.0.1", port, ADMIN_DN, password)) {
            c.modify(dn, new Modification(ModificationType.REPLACE, attribute, values.toArray(String[]::new)));
        }
    }

    /** The values of {@code attribute} of entry {@code dn}. */
    List<String> values(String dn, String attribute) throws LDAPException {
        try (LDAPConnection c = new LDAPConnection("127.0.0.1", port, ADMIN_DN, password)) {
            var entry = c.getEntry(dn, attribute);
            if (entry == null) {
                throw new IllegalArgumentException("no entry " + dn);
            }
            String[] values = entry.getAttributeValues(attribute);
            return values == null ? List.of() : List.of(values);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
