package dev.drawbridge.proxy.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.NamedLocation;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.web.Json;
import org.jooq.DSLContext;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static dev.drawbridge.proxy.store.db.Tables.ACCESS_POLICY;
import static dev.drawbridge.proxy.store.db.Tables.NAMED_LOCATION;

/**
 * Named locations and conditional access policies in the database, and the current
 * {@link ConditionalAccess} snapshot built from them (swapped atomically on every change and
 * re-read periodically; a failed reload keeps the previous snapshot).
 */
public final class PolicyStore implements Supplier<ConditionalAccess> {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyStore.class);
    private final DSLContext dsl;
    private final AtomicReference<ConditionalAccess> current = new AtomicReference<>(ConditionalAccess.none());

    public PolicyStore(Database db) {
        this.dsl = db.dsl();
        reload();
    }

    @Override
    public ConditionalAccess get() {
        return current.get();
    }

    public void reload() {
        try {
            current.set(new ConditionalAccess(policies(), locations()));
        } catch (RuntimeException e) {
            LOG.warn("cannot reload conditional access policies, keeping the previous ones: {}", e.toString());
        }
    }

    public List<NamedLocation> locations() {
        return dsl.selectFrom(NAMED_LOCATION).orderBy(NAMED_LOCATION.NAME).fetch(r -> read(r.getBody(), NamedLocation.class));
    }

    public Optional<NamedLocation> location(String id) {
        return dsl.selectFrom(NAMED_LOCATION).where(NAMED_LOCATION.ID.eq(id)).fetchOptional(r -> read(r.getBody(), NamedLocation.class));
    }

    public List<AccessPolicy> policies() {
        return dsl.selectFrom(ACCESS_POLICY).orderBy(ACCESS_POLICY.NAME).fetch(r -> read(r.getBody(), AccessPolicy.class));
    }

    public Optional<AccessPolicy> policy(String id) {
        return dsl.selectFrom(ACCESS_POLICY).where(ACCESS_POLICY.ID.eq(id)).fetchOptional(r -> read(r.getBody(), AccessPolicy.class));
    }

    public void saveLocation(NamedLocation l) throws ConflictException {
        try {
            dsl.insertInto(NAMED_LOCATION).set(NAMED_LOCATION.ID, l.id()).set(NAMED_LOCATION.NAME, l.name())
                    .set(NAMED_LOCATION.BODY, write(l)).onDuplicateKeyUpdate().set(NAMED_LOCATION.NAME, l.name())
                    .set(NAMED_LOCATION.BODY, write(l)).execute();
        } catch (IntegrityConstraintViolationException e) {
            throw new ConflictException("name", "a named location called '" + l.name() + "' already exists");
        }
        reload();
    }

    public void savePolicy(AccessPolicy p) throws ConflictException {
        try {
            dsl.insertInto(ACCESS_POLICY).set(ACCESS_POLICY.ID, p.id()).set(ACCESS_POLICY.NAME, p.name())
                    .set(ACCESS_POLICY.BODY, write(p)).onDuplicateKeyUpdate().set(ACCESS_POLICY.NAME, p.name())
                    .set(ACCESS_POLICY.BODY, write(p)).execute();
        } catch (IntegrityConstraintViolationException e) {
            throw new ConflictException("name", "a policy called '" + p.name() + "' already exists");
        }
        reload();
    }

    public boolean deleteLocation(String id) throws ConflictException {
        if (policies().stream().anyMatch(p -> p.locations().contains(id) || p.excludeLocations().contains(id))) {
            throw new ConflictException("id", "a policy still uses this named location; change the policy first");
        }
        boolean deleted = dsl.deleteFrom(NAMED_LOCATION).where(NAMED_LOCATION.ID.eq(id)).execute() > 0;
        reload();
        return deleted;
    }

    public boolean deletePolicy(String id) {
        boolean deleted = dsl.deleteFrom(ACCESS_POLICY).where(ACCESS_POLICY.ID.eq(id)).execute() > 0;
        reload();
        return deleted;
    }

    private static <T> T read(String json, Class<T> type) {
        try {
            return Json.MAPPER.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored " + type.getSimpleName() + " is not valid JSON", e);
        }
    }

    private static String write(Object o) {
        try {
            return Json.MAPPER.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
