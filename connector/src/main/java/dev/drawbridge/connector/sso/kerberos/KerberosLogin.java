package dev.drawbridge.connector.sso.kerberos;

import org.ietf.jgss.GSSCredential;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.Oid;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import javax.security.auth.Subject;
import javax.security.auth.kerberos.KerberosPrincipal;
import javax.security.auth.kerberos.KerberosTicket;
import javax.security.auth.kerberos.KeyTab;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

/**
 * The connector's own Kerberos sign-in: a keytab login as its service principal (JAAS {@code Krb5LoginModule},
 * configured in code: no jaas.conf, nothing JVM-wide but the krb5.conf of {@link JvmKerberosConfig}), kept until its
 * ticket-granting ticket is {@link #margin} from its end by the injected clock, then done again. The keytab is written
 * to the state directory (0600) and checked for a key of the principal up front, so a wrong keytab is named at once.
 */
public final class KerberosLogin {
    static final Oid KRB5 = oid("1.2.840.113554.1.2.2");
    static final Oid SPNEGO = oid("1.3.6.1.5.5.2");
    static final Oid KRB5_PRINCIPAL_NAME = oid("1.2.840.113554.1.2.2.1");

    private final KerberosSettings settings;
    private final KerberosFiles files;
    private final Clock clock;
    private final Duration margin;
    private Session session;

    /** A signed-in connector: its Subject (holding the TGT), its initiator credential and when the TGT ends. */
    record Session(LoginContext context, Subject subject, GSSCredential self, Instant ends) {
    }

    /**
     * Writes the keytab (and, at the first login, krb5.conf) into {@code stateDirectory}/kerberos.
     *
     * @param margin how long before its end a TGT is replaced
     * @throws IllegalArgumentException when the keytab holds no key for the service principal
     */
    public KerberosLogin(KerberosSettings settings, Path stateDirectory, Clock clock, Duration margin) throws IOException {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.margin = Objects.requireNonNull(margin, "margin");
        this.files = new KerberosFiles(stateDirectory);
        files.writeKeytab(settings.keytab());
        KerberosPrincipal principal = new KerberosPrincipal(settings.qualifiedServicePrincipal());
        if (KeyTab.getInstance(principal, files.keytab().toFile()).getKeys(principal).length == 0) {
            throw new IllegalArgumentException("Kerberos settings: the keytab holds no key for the service principal "
                    + principal.getName() + " (export the keytab of that account)");
        }
    }

    public KerberosSettings settings() {
        return settings;
    }

    /** The current session, signing in (again) first when there is none or its TGT is within the margin of its end. */
    synchronized Session session() throws LoginException, GSSException, IOException {
        if (session == null || !clock.instant().isBefore(session.ends().minus(margin))) {
            session = login();
        }
        return session;
    }

    private Session login() throws LoginException, GSSException, IOException {
        File keytab = files.keytab().toFile();
        String principal = settings.qualifiedServicePrincipal();
        Configuration jaas = new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return new AppConfigurationEntry[] {new AppConfigurationEntry("com.sun.security.auth.module.Krb5LoginModule",
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED, Map.of(
                        "useKeyTab", "true", "keyTab", keytab.getPath(), "principal", principal, "storeKey", "false",
                        "isInitiator", "true", "doNotPrompt", "true", "useTicketCache", "false", "refreshKrb5Config", "true"))};
            }
        };
        LoginContext context = new LoginContext("drawbridge-connector", new Subject(), null, jaas);
        JvmKerberosConfig.withRealm(settings, files, () -> {
            context.login();
            return null;
        });
        Subject subject = context.getSubject();
        GSSCredential self = callAs(subject, () -> GSSManager.getInstance().createCredential(null, GSSCredential.DEFAULT_LIFETIME,
                new Oid[] {KRB5, SPNEGO}, GSSCredential.INITIATE_ONLY));
        Instant ends = subject.getPrivateCredentials(KerberosTicket.class).stream()
                .filter(t -> t.getServer().getName().startsWith("krbtgt/"))
                .map(t -> t.getEndTime().toInstant()).min(Instant::compareTo)
                .orElseThrow(() -> new LoginException("the login gave no ticket-granting ticket"));
        return new Session(context, subject, self, ends);
    }

    /** Signs out and deletes the keytab from the state directory: these settings are no longer the group's. */
    public synchronized void forget() throws IOException {
        logout();
        files.deleteKeytab();
    }

    /** Signs out (the tickets in the Subject are destroyed). */
    public synchronized void logout() {
        if (session != null) {
            try {
                session.context().logout();
            } catch (LoginException ignored) {
                // nothing to undo
            }
            session = null;
        }
    }

    /** Runs {@code action} as {@code subject}, rethrowing its GSSException as such. */
    static <T> T callAs(Subject subject, Callable<T> action) throws GSSException {
        try {
            return Subject.callAs(subject, action);
        } catch (CompletionException e) {
            if (e.getCause() instanceof GSSException g) {
                throw g;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    private static Oid oid(String dotted) {
        try {
            return new Oid(dotted);
        } catch (GSSException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
