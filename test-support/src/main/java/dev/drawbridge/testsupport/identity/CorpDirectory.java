package dev.drawbridge.testsupport.identity;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.util.ssl.SSLUtil;

import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.KeyManager;

/**
 * An in-memory LDAP directory shaped like a small company's, for the directory sync and LDAP sign-in tests:
 * base {@value #BASE_DN}, people ({@code inetOrgPerson}) under {@value #PEOPLE_DN}, groups ({@code groupOfNames})
 * under {@value #GROUPS_DN}, and a service account {@value #SYNC_DN} (password {@value #SYNC_PASSWORD}) for
 * directory sync. Listens on a free loopback port with plain LDAP ({@link #port()}), and with LDAPS too
 * ({@link #ldapsPort()}) when given a key. Tests change entries at any time: {@link #person}, {@link #group},
 * {@link #delete}, or anything else through {@link #server()}.
 *
 * <p>By hand: {@code CorpDirectory.main([port])} starts one with two people and a group and prints how to reach it.
 */
public final class CorpDirectory implements AutoCloseable {
    public static final String BASE_DN = "dc=corp,dc=example";
    public static final String PEOPLE_DN = "ou=people," + BASE_DN;
    public static final String GROUPS_DN = "ou=groups," + BASE_DN;
    /** The bind DN directory sync uses. */
    public static final String SYNC_DN = "cn=sync," + BASE_DN;
    public static final String SYNC_PASSWORD = "sync-secret";

    private final InMemoryDirectoryServer server;
    private final boolean ldaps;

    private CorpDirectory(InMemoryDirectoryServer server, boolean ldaps) {
        this.server = server;
        this.ldaps = ldaps;
    }

    /** A directory on a free loopback port, plain LDAP only, with no people yet. */
    public static CorpDirectory start() throws LDAPException {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What to start: the port, an LDAPS listener, interceptors (to act while a request is in flight). */
    public static final class Builder {
        private int port;
        private Optional<KeyManager[]> ldapsKeys = Optional.empty();
        private final List<InMemoryOperationInterceptor> interceptors = new ArrayList<>();

        private Builder() {
        }

        /** The plain LDAP port on 127.0.0.1; 0 (the default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Also listens with LDAPS (on a free port), presenting the certificate of {@code keys}. */
        public Builder ldaps(KeyManager[] keys) {
            this.ldapsKeys = Optional.of(keys.clone());
            return this;
        }

        public Builder interceptor(InMemoryOperationInterceptor interceptor) {
            interceptors.add(interceptor);
            return this;
        }

        public CorpDirectory start() throws LDAPException {
            InMemoryDirectoryServerConfig cfg = new InMemoryDirectoryServerConfig(BASE_DN);
            cfg.addAdditionalBindCredentials(SYNC_DN, SYNC_PASSWORD);
            InetAddress loopback = InetAddress.getLoopbackAddress();
            List<InMemoryListenerConfig> listeners = new ArrayList<>();
            listeners.add(InMemoryListenerConfig.createLDAPConfig("ldap", loopback, port, null));
            if (ldapsKeys.isPresent()) {
                try {
                    listeners.add(InMemoryListenerConfig.createLDAPSConfig("ldaps", loopback, 0,
                            new SSLUtil(ldapsKeys.get(), null).createSSLServerSocketFactory(), null));
                } catch (GeneralSecurityException e) {
                    throw new IllegalArgumentException("LDAPS key not usable: " + e.getMessage(), e);
                }
            }
            cfg.setListenerConfigs(listeners);
            interceptors.forEach(cfg::addInMemoryOperationInterceptor);
            InMemoryDirectoryServer server = new InMemoryDirectoryServer(cfg);
            server.add(new Entry(BASE_DN, new Attribute("objectClass", "top", "domain"), new Attribute("dc", "corp")));
            server.add(new Entry(PEOPLE_DN, new Attribute("objectClass", "organizationalUnit"), new Attribute("ou", "people")));
            server.add(new Entry(GROUPS_DN, new Attribute("objectClass", "organizationalUnit"), new Attribute("ou", "groups")));
            server.startListening();
            return new CorpDirectory(server, ldapsKeys.isPresent());
        }
    }

    /** The DN of the person {@code uid}. */
    public static String personDn(String uid) {
        return "uid=" + uid + "," + PEOPLE_DN;
    }

    /**
     * Adds a person: mail {@code uid@corp.example}, cn and displayName {@code name}, sn its last word, and
     * departmentNumber unless {@code department} is null. Returns the DN.
     */
    public String person(String uid, String name, String department, String password) throws LDAPException {
        Entry person = new Entry(personDn(uid), new Attribute("objectClass", "inetOrgPerson"), new Attribute("uid", uid),
                new Attribute("cn", name), new Attribute("sn", name.substring(name.lastIndexOf(' ') + 1)),
                new Attribute("displayName", name), new Attribute("mail", uid + "@corp.example"));
        if (department != null) {
            person.addAttribute("departmentNumber", department);
        }
        person.addAttribute("userPassword", password);
        server.add(person);
        return person.getDN();
    }

    /** Adds a group of the given people (by uid). Returns the DN. */
    public String group(String cn, String... memberUids) throws LDAPException {
        Entry group = new Entry("cn=" + cn + "," + GROUPS_DN, new Attribute("objectClass", "groupOfNames"),
                new Attribute("cn", cn));
        for (String uid : memberUids) {
            group.addAttribute("member", personDn(uid));
        }
        server.add(group);
        return group.getDN();
    }

    public void delete(String dn) throws LDAPException {
        server.delete(dn);
    }

    /** The plain LDAP port. */
    public int port() {
        return server.getListenPort("ldap");
    }

    /** The LDAPS port; only when started with {@link Builder#ldaps}. */
    public int ldapsPort() {
        if (!ldaps) {
            throw new IllegalStateException("this directory has no LDAPS listener: start it with builder().ldaps(keys)");
        }
        return server.getListenPort("ldaps");
    }

    /** {@code ldap://127.0.0.1:<port>}. */
    public String ldapUrl() {
        return "ldap://127.0.0.1:" + port();
    }

    /** The server itself, for what the methods above do not cover (modify, search, ...). */
    public InMemoryDirectoryServer server() {
        return server;
    }

    @Override
    public void close() {
        server.shutDown(true);
    }

    public static void main(String[] args) throws Exception {
        try (CorpDirectory dir = builder().port(args.length > 0 ? Integer.parseInt(args[0]) : 0).start()) {
            dir.person("frank", "Frank Fischer", "Finance", "frank-ldap-pass");
            dir.person("gina", "Gina Gruber", "Sales", "gina-ldap-pass");
            dir.group("finance", "frank");
            System.out.printf("LDAP directory: %s  bind %s / %s  people %s  groups %s%n"
                    + "  frank@corp.example / frank-ldap-pass (group finance), gina@corp.example / gina-ldap-pass%n"
                    + "  Enter stops it%n",
                    dir.ldapUrl(), SYNC_DN, SYNC_PASSWORD, PEOPLE_DN, GROUPS_DN);
            System.in.read();
        }
    }
}
