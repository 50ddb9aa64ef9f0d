package dev.drawbridge.connector.sso;

import dev.drawbridge.model.sso.KerberosConfig;
import dev.drawbridge.model.tunnel.Frame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The single sign-on settings of this connector's group, as the proxy sends them over the tunnels (CONFIG frames):
 * today the group's Kerberos settings. Every tunnel gets the same frames; the latest wins. A frame that does not parse
 * leaves the settings as they were (and is logged without its content: it holds a keytab).
 */
public final class GroupSettings {
    private static final Logger LOG = LoggerFactory.getLogger(GroupSettings.class);
    private final AtomicReference<Optional<KerberosConfig>> kerberos = new AtomicReference<>(Optional.empty());
    private volatile Consumer<Optional<KerberosConfig>> kerberosListener = k -> { };

    /** The group's Kerberos settings, when it has them. */
    public Optional<KerberosConfig> kerberos() {
        return kerberos.get();
    }

    /** Told (on a tunnel's reader thread: must not block) whenever the Kerberos settings change. */
    public void onKerberos(Consumer<Optional<KerberosConfig>> listener) {
        this.kerberosListener = Objects.requireNonNull(listener, "listener");
    }

    /** A CONFIG frame from the proxy. */
    public void accept(Frame.Config config) {
        if (!KerberosConfig.KIND.equals(config.kind())) {
            LOG.debug("ignoring CONFIG {}", config.kind());
            return;
        }
        Optional<KerberosConfig> next;
        try {
            next = KerberosConfig.from(config);
        } catch (IllegalArgumentException e) {
            LOG.warn("the server sent Kerberos settings this connector cannot read ({}); keeping the previous ones", e.getMessage());
            return;
        }
        Optional<KerberosConfig> previous = kerberos.getAndSet(next);
        if (!previous.equals(next)) {
            LOG.info(next.map(k -> "Kerberos settings received: realm " + k.realm() + ", principal " + k.servicePrincipal()
                    + ", KDCs " + k.kdcs()).orElse("Kerberos settings removed"));
            kerberosListener.accept(next);
        }
    }
}
