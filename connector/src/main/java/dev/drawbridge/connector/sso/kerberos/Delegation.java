package dev.drawbridge.connector.sso.kerberos;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.sun.security.jgss.ExtendedGSSCredential;
import dev.drawbridge.model.sso.DelegatedLogin;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSCredential;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.GSSName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.security.auth.Subject;
import javax.security.auth.kerberos.KerberosTicket;
import javax.security.auth.login.LoginException;

/**
 * Kerberos constrained delegation with protocol transition, the way an IWA app's users get in without typing a
 * password: for a user the proxy has already signed in, the connector asks the KDC for a ticket to itself on the user's
 * behalf (S4U2Self, {@code ExtendedGSSCredential.impersonate}), then for a ticket to the app's SPN (S4U2Proxy, inside
 * the first {@code initSecContext}), and answers the app's {@code 401 WWW-Authenticate: Negotiate} with
 * {@code Authorization: Negotiate <token>} ({@link Negotiation}), never forwarding a TGT.
 *
 * <p>Tickets are cached per user and SPN until {@link #EXPIRY_MARGIN} before they end, by the injected clock: one
 * S4U2Self and one S4U2Proxy per user and SPN, then no KDC request at all. Each cache entry keeps its service ticket in
 * a Subject of its own (where the JDK stores it), so evicting the entry frees the ticket; the connector's login Subject
 * holds only its TGT. Concurrent first requests for one user and SPN share one exchange.
 *
 * <p>Every failure is a {@link DelegationRefused} with a {@link RefusalReason}; the JDK's own text goes to the log only.
 * Nothing waits on a KDC longer than {@link KerberosSettings#exchangeTimeout()} per exchange.
 */
public final class Delegation implements AutoCloseable {
    /** How long before its tickets end a cached delegation (or the connector's TGT) is replaced. */
    public static final Duration EXPIRY_MARGIN = Duration.ofMinutes(5);
    /** How many users × SPNs are cached at most. */
    public static final int MAX_CACHED = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(Delegation.class);

    private final KerberosLogin login;
    private final Clock clock;
    private final AsyncCache<Key, Loaded> cache;

    private record Key(String user, String spn) {
    }

    /** What one exchange for a user and SPN gave: tickets, or a refusal (kept by no one: it expires at once). */
    private sealed interface Loaded permits Entry, Refused {
    }

    /** An impersonated user for one SPN: the credential, the Subject holding its service ticket, when to drop it. */
    private record Entry(GSSCredential user, Subject tickets, Instant replaceAt) implements Loaded {
    }

    private record Refused(DelegationRefused refusal) implements Loaded {
    }

    public Delegation(KerberosLogin login, Clock clock) {
        this.login = login;
        this.clock = clock;
        this.cache = Caffeine.newBuilder()
                .maximumSize(MAX_CACHED)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .executor(Runnable::run)
                .expireAfter(Expiry.creating((Key key, Loaded loaded) -> {
                    Duration left = loaded instanceof Entry e ? Duration.between(clock.instant(), e.replaceAt()) : Duration.ZERO;
                    return left.isNegative() ? Duration.ZERO : left;
                }))
                .buildAsync();
    }

    /**
     * Starts the Kerberos authentication of {@code user} to {@code spn}: the token for the request's
     * {@code Authorization} header, and the check of the backend's answer.
     *
     * @param user a user of the connector's realm: {@code alice}, {@code alice@CORP.EXAMPLE.COM} (the realm part is
     *             compared case-insensitively and must be the connector's realm)
     * @param spn  the app's service principal, {@code HTTP/intranet.corp.example.com} (its realm, if given, must be
     *             the connector's)
     */
    public Negotiation negotiate(String user, String spn) throws DelegationRefused {
        String realm = login.settings().realm();
        String service = login.settings().qualifiedServicePrincipal();
        String userPrincipal = DelegatedLogin.principal(user, realm).orElse(null);
        if (userPrincipal == null) {
            throw new DelegationRefused(RefusalReason.INVALID_USER, user, spn, service);
        }
        if (spn == null || !KerberosSettings.validPrincipal(spn, realm) || !spn.contains("/")) {
            throw new DelegationRefused(RefusalReason.UNKNOWN_SERVICE, userPrincipal, spn, service);
        }
        String target = DelegatedLogin.service(spn, realm);
        Entry entry = entry(new Key(userPrincipal, target), service);
        try {
            return KerberosLogin.callAs(entry.tickets(), () -> {
                GSSManager manager = GSSManager.getInstance();
                GSSContext context = manager.createContext(manager.createName(target, KerberosLogin.KRB5_PRINCIPAL_NAME),
                        KerberosLogin.SPNEGO, entry.user(), GSSContext.DEFAULT_LIFETIME);
                context.requestMutualAuth(true);
                context.requestCredDeleg(false);
                byte[] token = context.initSecContext(new byte[0], 0, 0);
                return new Negotiation(context, token, userPrincipal, target, service);
            });
        } catch (GSSException | RuntimeException e) {
            throw refused(Refusals.Step.S4U2PROXY, e, userPrincipal, target, service);
        }
    }

    private Entry entry(Key key, String service) throws DelegationRefused {
        CompletableFuture<Loaded> mine = new CompletableFuture<>();
        CompletableFuture<Loaded> shared = cache.get(key, (k, executor) -> mine);
        if (shared == mine) {
            try {
                mine.complete(load(key, service));
            } catch (DelegationRefused e) {
                mine.complete(new Refused(e));
            } catch (RuntimeException e) {
                mine.complete(new Refused(refused(Refusals.Step.S4U2SELF, e, key.user(), key.spn(), service)));
            }
        }
        Loaded loaded;
        try {
            // another request's exchange for this user and SPN: it ends within its own timeouts, plus some slack
            Duration wait = login.settings().exchangeTimeout().multipliedBy(4).plusSeconds(1);
            loaded = shared.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw refused(Refusals.Step.S4U2SELF, e.getCause(), key.user(), key.spn(), service);
        } catch (TimeoutException e) {
            throw new DelegationRefused(RefusalReason.KDC_UNREACHABLE, key.user(), key.spn(), service);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DelegationRefused(RefusalReason.FAILED, key.user(), key.spn(), service);
        }
        return switch (loaded) {
            case Entry e -> e;
            case Refused r -> throw r.refusal();
        };
    }

    /** S4U2Self, then S4U2Proxy through a first context in the entry's own Subject, which keeps the service ticket. */
    private Entry load(Key key, String service) throws DelegationRefused {
        KerberosLogin.Session session;
        try {
            session = login.session();
        } catch (LoginException | GSSException | IOException | RuntimeException e) {
            throw refused(Refusals.Step.LOGIN, e, key.user(), key.spn(), service);
        }
        GSSCredential impersonated;
        try {
            impersonated = KerberosLogin.callAs(session.subject(), () -> ((ExtendedGSSCredential) session.self())
                    .impersonate(GSSManager.getInstance().createName(key.user(), GSSName.NT_USER_NAME)));
        } catch (GSSException | RuntimeException e) {
            throw refused(Refusals.Step.S4U2SELF, e, key.user(), key.spn(), service);
        }
        Subject tickets = new Subject();
        try {
            KerberosLogin.callAs(tickets, () -> {
                GSSManager manager = GSSManager.getInstance();
                GSSContext first = manager.createContext(manager.createName(key.spn(), KerberosLogin.KRB5_PRINCIPAL_NAME),
                        KerberosLogin.SPNEGO, impersonated, GSSContext.DEFAULT_LIFETIME);
                try {
                    first.requestCredDeleg(false);
                    first.initSecContext(new byte[0], 0, 0);
                } finally {
                    first.dispose();
                }
                return null;
            });
        } catch (GSSException | RuntimeException e) {
            throw refused(Refusals.Step.S4U2PROXY, e, key.user(), key.spn(), service);
        }
        Instant ends = tickets.getPrivateCredentials(KerberosTicket.class).stream().map(t -> t.getEndTime().toInstant())
                .min(Comparator.naturalOrder()).orElse(clock.instant());
        return new Entry(impersonated, tickets, ends.minus(EXPIRY_MARGIN));
    }

    private static DelegationRefused refused(Refusals.Step step, Throwable failure, String user, String spn, String service) {
        RefusalReason reason = Refusals.map(step, failure);
        DelegationRefused refused = new DelegationRefused(reason, user, spn, service);
        // the JDK's text is for the operator only; it holds names and Kerberos error codes, never keys or tickets
        LOG.warn("Kerberos delegation for {} to {} refused at {}: {} ({})", KerberosSettings.printable(user),
                KerberosSettings.printable(spn), step, reason, chain(failure));
        return refused;
    }

    private static String chain(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null && text.length() < 2000; t = t.getCause()) {
            text.append(text.isEmpty() ? "" : " <- ").append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return text.toString();
    }

    /** How many users × SPNs are cached now (after dropping the expired ones). */
    public long cached() {
        cache.synchronous().cleanUp();
        return cache.synchronous().estimatedSize();
    }

    /** Drops every cached ticket and signs the connector out. */
    @Override
    public void close() {
        cache.synchronous().invalidateAll();
        login.logout();
    }
}
