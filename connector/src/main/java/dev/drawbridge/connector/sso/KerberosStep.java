package dev.drawbridge.connector.sso;

import dev.drawbridge.connector.sso.kerberos.Delegation;
import dev.drawbridge.connector.sso.kerberos.DelegationRefused;
import dev.drawbridge.connector.sso.kerberos.KerberosLogin;
import dev.drawbridge.connector.sso.kerberos.KerberosSettings;
import dev.drawbridge.connector.sso.kerberos.Negotiation;
import dev.drawbridge.connector.upstream.ChallengeAuth;
import dev.drawbridge.model.api.KerberosSso;
import dev.drawbridge.model.sso.DelegatedLogin;
import dev.drawbridge.model.sso.KerberosConfig;
import dev.drawbridge.model.sso.SsoIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Kerberos constrained delegation as the connector's single sign-on step: the group's settings (from the proxy's
 * CONFIG) become a keytab login and a {@link Delegation} with its ticket cache; each stream of a KERBEROS app gets a
 * {@link ChallengeAuth} for the app's SPN and the user's delegated login identity. Settings that change replace the
 * login (the old one signs out); settings removed delete the keytab.
 */
public final class KerberosStep {
    private static final Logger LOG = LoggerFactory.getLogger(KerberosStep.class);
    private final Path stateDir;
    private final Clock clock;
    private volatile Delegation delegation;
    private volatile KerberosLogin login;
    private volatile String unusable = "this connector's group has no Kerberos settings (connector-groups kerberos set)";

    public KerberosStep(Path stateDir, Clock clock) {
        this.stateDir = stateDir;
        this.clock = clock;
    }

    /** Takes the group's (new) settings; blocking (writes the keytab): call off the tunnel's reader thread. */
    public synchronized void configure(Optional<KerberosConfig> config) {
        Delegation oldDelegation = delegation;
        KerberosLogin oldLogin = login;
        delegation = null;
        login = null;
        if (oldDelegation != null) {
            oldDelegation.close();
        }
        try {
            if (config.isEmpty()) {
                unusable = "this connector's group has no Kerberos settings (connector-groups kerberos set)";
                if (oldLogin != null) {
                    oldLogin.forget();
                }
                return;
            }
            KerberosConfig k = config.get();
            KerberosSettings settings = new KerberosSettings(k.realm(), k.kdcs().stream().map(KerberosSettings.Kdc::parse).toList(),
                    k.servicePrincipal(), k.keytab());
            if (oldLogin != null) {
                oldLogin.logout();
            }
            KerberosLogin next = new KerberosLogin(settings, stateDir, clock, Delegation.EXPIRY_MARGIN);
            login = next;
            delegation = new Delegation(next, clock);
        } catch (IllegalArgumentException | IOException e) {
            unusable = "this connector cannot use its group's Kerberos settings: " + e.getMessage();
            LOG.warn("Kerberos settings not usable: {}", e.getMessage());
        }
    }

    /** Signs out (the connector stops); the keytab stays for the next start, replaced by the proxy's then. */
    public synchronized void close() {
        if (delegation != null) {
            delegation.close();
            delegation = null;
        }
        if (login != null) {
            login.logout();
            login = null;
        }
    }

    /** Whether the group's Kerberos settings are in use (received and usable). */
    public boolean ready() {
        return delegation != null;
    }

    /** The authenticator for one stream of a KERBEROS app; refused with the reason when there can be none. */
    ChallengeAuth prepare(KerberosSso app, SsoIdentity user) throws ChallengeAuth.RefusedException {
        Delegation d = delegation;
        if (d == null) {
            throw new ChallengeAuth.RefusedException(unusable);
        }
        return switch (DelegatedLogin.of(app.loginIdentity(), user)) {
            case DelegatedLogin.Choice.Name n -> new Auth(d, n.name(), app.spn(), app.upFront());
            case DelegatedLogin.Choice.Refused r -> throw new ChallengeAuth.RefusedException(r.reason());
        };
    }

    /** One stream's Kerberos sign-in: the negotiation is started when the exchange asks for the credential. */
    private static final class Auth implements ChallengeAuth {
        private final Delegation delegation;
        private final String user;
        private final String spn;
        private final boolean upFront;
        private Negotiation negotiation;

        Auth(Delegation delegation, String user, String spn, boolean upFront) {
            this.delegation = delegation;
            this.user = user;
            this.spn = spn;
            this.upFront = upFront;
        }

        @Override
        public String scheme() {
            return "Negotiate";
        }

        @Override
        public boolean upFront() {
            return upFront;
        }

        @Override
        public String authorization() throws RefusedException {
            try {
                negotiation = delegation.negotiate(user, spn);
                return negotiation.authorization();
            } catch (DelegationRefused e) {
                throw new RefusedException(e.getMessage());
            }
        }

        @Override
        public void accept(int status, List<String> wwwAuthenticate) throws RefusedException {
            Negotiation n = negotiation;
            if (n == null) {
                throw new RefusedException("no Kerberos negotiation was started");
            }
            try {
                n.verify(wwwAuthenticate);
            } catch (DelegationRefused e) {
                throw new RefusedException(e.getMessage());
            } finally {
                n.close();
            }
        }
    }
}
