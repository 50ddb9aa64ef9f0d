package dev.drawbridge.proxy.apps;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The current {@link RouteTable}, an immutable snapshot swapped atomically whenever apps change
 * (and re-read periodically, so changes made on another node arrive too). A failed reload keeps
 * the previous snapshot.
 */
public final class Routes implements Supplier<RouteTable> {
    private static final Logger LOG = LoggerFactory.getLogger(Routes.class);
    private final AppStore store;
    private final AtomicReference<RouteTable> current = new AtomicReference<>(RouteTable.empty());

    public Routes(AppStore store) {
        this.store = store;
        reload();
    }

    public void reload() {
        try {
            current.set(new RouteTable(store.all()));
        } catch (RuntimeException e) {
            LOG.warn("cannot reload published apps, keeping the previous routes: {}", e.toString());
        }
    }

    @Override
    public RouteTable get() {
        return current.get();
    }
}
