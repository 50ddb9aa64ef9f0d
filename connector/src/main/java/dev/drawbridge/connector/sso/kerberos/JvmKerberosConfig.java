package dev.drawbridge.connector.sso.kerberos;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JVM's one Kerberos configuration. The JDK reads krb5.conf from the JVM-wide property {@value #PROPERTY} and keeps
 * what it read until a login asks it to re-read ({@code refreshKrb5Config}); every Kerberos call in the JVM then uses
 * it. A connector serves one realm, but a JVM may run several connectors (the system tests do), so this class keeps
 * every realm any of them configured, and each writes a krb5.conf naming all of them into its own state directory and
 * points the property there just before its login: whichever file the JDK read last knows every realm. A static
 * registry on purpose, mirroring the JVM-global state it manages.
 */
final class JvmKerberosConfig {
    static final String PROPERTY = "java.security.krb5.conf";
    private static final Map<String, KerberosSettings> REALMS = new TreeMap<>();

    private JvmKerberosConfig() {
    }

    /** What runs while the configuration is in place (a login that re-reads it). */
    interface Action<T, E extends Exception> {
        T run() throws E;
    }

    /**
     * Adds (or replaces) {@code settings}' realm, writes the krb5.conf into {@code files}, points the JVM at it and runs
     * {@code login}, all under one lock so that no other connector's write comes between the file and the re-read.
     */
    static <T, E extends Exception> T withRealm(KerberosSettings settings, KerberosFiles files, Action<T, E> login) throws E, IOException {
        synchronized (REALMS) {
            REALMS.put(settings.realm(), settings);
            files.writeKrb5Conf(KerberosFiles.krb5Conf(settings.realm(), REALMS.values()));
            System.setProperty(PROPERTY, files.krb5Conf().toString());
            return login.run();
        }
    }
}
