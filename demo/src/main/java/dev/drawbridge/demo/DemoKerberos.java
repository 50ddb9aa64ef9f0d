package dev.drawbridge.demo;

import dev.drawbridge.testsupport.identity.KerberosRealm;
import dev.drawbridge.testsupport.identity.KerberosRealm.Flag;
import dev.drawbridge.testsupport.process.DebianPackages;
import dev.drawbridge.testsupport.sample.ApacheBackend;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The Kerberos world behind the demo's IWA app, when its Debian packages are installed: the JVM's MIT realm
 * {@value KerberosRealm#REALM} ({@link KerberosRealm#shared()}: a KDC and slapd, stopped with the JVM), the connector's
 * account {@value #CONNECTOR} (trusted for protocol transition, allowed to delegate to {@value #INTRANET} only), the
 * demo user's principal, and an Apache with mod_auth_gssapi as {@value #INTRANET} whose {@code /whoami} shows
 * {@code REMOTE_USER}. Every process is a child of the demo's JVM and dies with it; {@link #close()} stops Apache.
 *
 * <p>Each run starts a fresh realm (new keys, new ports): the demo sends the connector group the new keytab and
 * re-points the app every time, so nothing of an earlier run's Kerberos state is kept.
 */
final class DemoKerberos implements AutoCloseable {
    /** The connectors' own principal, the account the KDC trusts to delegate. */
    static final String CONNECTOR = "HTTP/connector.example.test";
    /** The IWA app's service principal. */
    static final String INTRANET = "HTTP/intranet.example.test";
    /** How the notes name it. */
    private static final String APP = "The Kerberos (IWA) app";
    /** Everything the realm and the IWA app need installed. */
    static final List<DebianPackages.Need> NEEDS = Stream.of(KerberosRealm.NEEDS, ApacheBackend.NEEDS, ApacheBackend.Gssapi.NEEDS)
            .flatMap(List::stream).toList();

    final KerberosRealm realm;
    final ApacheBackend apache;
    final String userPrincipal;
    final byte[] connectorKeytab;

    private DemoKerberos(KerberosRealm realm, ApacheBackend apache, String userPrincipal, byte[] connectorKeytab) {
        this.realm = realm;
        this.apache = apache;
        this.userPrincipal = userPrincipal;
        this.connectorKeytab = connectorKeytab.clone();
    }

    /**
     * Starts the realm with {@code user} (a name without realm, e.g. {@code demo}) and the IWA app; when a package of
     * {@code needs} is missing or a server cannot start, says so in one line on {@code notes} (which packages, and the
     * command that installs them) and returns nothing: the demo runs without its IWA app.
     */
    static Optional<DemoKerberos> start(List<DebianPackages.Need> needs, String user, PrintStream notes) throws InterruptedException {
        if (DemoNotes.missing(APP, needs, notes)) {
            return Optional.empty();
        }
        ApacheBackend apache = null;
        try {
            KerberosRealm realm = KerberosRealm.shared();
            realm.addService(CONNECTOR, Flag.OK_TO_AUTH_AS_DELEGATE);
            String intranet = realm.addService(INTRANET);
            realm.allowDelegation(CONNECTOR, INTRANET);
            String principal = realm.addUser(user);
            apache = ApacheBackend.start(INTRANET.substring(INTRANET.indexOf('/') + 1), new ApacheBackend.Gssapi(realm.keytab(intranet)));
            return Optional.of(new DemoKerberos(realm, apache, principal, realm.keytab(CONNECTOR)));
        } catch (IOException | RuntimeException e) {
            if (apache != null) {
                apache.close();
            }
            DemoNotes.couldNotStart(APP, e, notes);
            return Optional.empty();
        }
    }

    /** Stops Apache; the realm stops with the JVM (one per JVM: the JDK reads one krb5.conf). */
    @Override
    public void close() throws InterruptedException {
        apache.close();
    }
}
