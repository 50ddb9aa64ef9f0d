package dev.drawbridge.proxy.tunnel;

import dev.drawbridge.model.api.GroupMaintenance;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.db.tables.records.ConnectorGroupRecord;
import dev.drawbridge.proxy.store.db.tables.records.ConnectorRecord;
import dev.drawbridge.proxy.store.db.tables.records.RegistrationTokenRecord;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.exception.IntegrityConstraintViolationException;
import org.jooq.impl.DSL;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static dev.drawbridge.proxy.store.db.Tables.APP;
import static dev.drawbridge.proxy.store.db.Tables.CONNECTOR;
import static dev.drawbridge.proxy.store.db.Tables.CONNECTOR_GROUP;
import static dev.drawbridge.proxy.store.db.Tables.DIRECTORY_SYNC;
import static dev.drawbridge.proxy.store.db.Tables.REGISTRATION_TOKEN;

/** Connector groups, connectors and registration tokens in the database. */
public final class ConnectorStore {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectorStore.class);
    public static final String DEFAULT_GROUP = "Default";

    /** A connector group row; {@code maintenance} present while the group is in maintenance mode. */
    public record Group(String id, String name, Instant createdAt, Optional<GroupMaintenance> maintenance) {
        public Group {
            maintenance = maintenance == null ? Optional.empty() : maintenance;
        }
    }

    /** A connector row. */
    public record Connector(String id, String groupId, String hostName, String version, String certSerial,
                            Instant certNotAfter, Instant registeredAt, Optional<Instant> lastSeenAt,
                            Optional<Instant> revokedAt) {
    }

    /**
     * What decides whether a connector's tunnels may carry traffic, and for which group.
     *
     * @param certSerial     the serial (hex) of the certificate the connector must present
     * @param previousSerial the serial of its previous certificate while that is still accepted (after a renewal)
     */
    public record Standing(String groupId, String certSerial, boolean revoked, Optional<String> previousSerial) {
        public Standing {
            previousSerial = previousSerial == null ? Optional.empty() : previousSerial;
        }

        /** Whether a tunnel authenticated with {@code serial} may carry traffic (revocation aside). */
        public boolean accepts(String serial) {
            return certSerial.equals(serial) || previousSerial.filter(serial::equals).isPresent();
        }
    }

    private final DSLContext dsl;

    public ConnectorStore(Database db) {
        this.dsl = db.dsl();
    }

    // ---- groups ----

    public Group ensureDefaultGroup(Instant now) {
        return findGroup(DEFAULT_GROUP).orElseGet(() -> {
            try {
                return createGroup(DEFAULT_GROUP, now);
            } catch (ConflictException e) {
                return findGroup(DEFAULT_GROUP).orElseThrow();
            }
        });
    }

    public Group createGroup(String name, Instant now) throws ConflictException {
        try {
            ConnectorGroupRecord r = dsl.newRecord(CONNECTOR_GROUP);
            r.setId(UUID.randomUUID().toString());
            r.setName(name);
            r.setCreatedAt(utc(now));
            r.insert();
            return toGroup(r);
        } catch (IntegrityConstraintViolationException e) {
            throw new ConflictException("name", "a connector group named '" + name + "' already exists");
        }
    }

    public List<Group> groups() {
        return dsl.selectFrom(CONNECTOR_GROUP).orderBy(CONNECTOR_GROUP.NAME).fetch(ConnectorStore::toGroup);
    }

    /** By id, or else by exact name. */
    public Optional<Group> findGroup(String idOrName) {
        return dsl.selectFrom(CONNECTOR_GROUP).where(CONNECTOR_GROUP.ID.eq(idOrName))
                .fetchOptional(ConnectorStore::toGroup)
                .or(() -> dsl.selectFrom(CONNECTOR_GROUP).where(CONNECTOR_GROUP.NAME.eq(idOrName))
                        .fetchOptional(ConnectorStore::toGroup));
    }

    public boolean deleteGroup(String id) throws ConflictException {
        if (dsl.fetchExists(APP, APP.CONNECTOR_GROUP_ID.eq(id))) {
            throw new ConflictException("id", "the group still serves published apps; move them first");
        }
        if (dsl.fetchExists(CONNECTOR, CONNECTOR.CONNECTOR_GROUP_ID.eq(id))) {
            throw new ConflictException("id", "the group still has connectors; move or remove them first");
        }
        if (dsl.fetchExists(DIRECTORY_SYNC, DIRECTORY_SYNC.CONNECTOR_GROUP_ID.eq(id))) {
            throw new ConflictException("id", "directory sync reaches LDAP through this group; change its connectorGroup first");
        }
        dsl.deleteFrom(REGISTRATION_TOKEN).where(REGISTRATION_TOKEN.CONNECTOR_GROUP_ID.eq(id)).execute();
        return dsl.deleteFrom(CONNECTOR_GROUP).where(CONNECTOR_GROUP.ID.eq(id)).execute() > 0;
    }

    /**
     * Puts the group in maintenance mode ({@code maintenance} present; a group already in it keeps its start and takes the
     * new message) or out of it; false when there is no such group.
     */
    public boolean setMaintenance(String groupId, Optional<GroupMaintenance> maintenance) {
        if (maintenance.isEmpty()) {
            return dsl.update(CONNECTOR_GROUP).setNull(CONNECTOR_GROUP.MAINTENANCE_SINCE).setNull(CONNECTOR_GROUP.MAINTENANCE_MESSAGE)
                    .where(CONNECTOR_GROUP.ID.eq(groupId)).execute() > 0;
        }
        return dsl.update(CONNECTOR_GROUP)
                .set(CONNECTOR_GROUP.MAINTENANCE_SINCE, DSL.coalesce(CONNECTOR_GROUP.MAINTENANCE_SINCE, DSL.val(utc(maintenance.get().since()))))
                .set(CONNECTOR_GROUP.MAINTENANCE_MESSAGE, maintenance.get().message())
                .where(CONNECTOR_GROUP.ID.eq(groupId)).execute() > 0;
    }

    /** The groups in maintenance mode, by id: one query (the periodic reload of {@link GroupMaintenances}). */
    public Map<String, GroupMaintenance> maintenances() {
        return dsl.selectFrom(CONNECTOR_GROUP).where(CONNECTOR_GROUP.MAINTENANCE_SINCE.isNotNull())
                .fetchMap(CONNECTOR_GROUP.ID, r -> new GroupMaintenance(r.getMaintenanceSince().toInstant(), r.getMaintenanceMessage()));
    }

    // ---- connectors ----

    public void insertConnector(Connector c) {
        ConnectorRecord r = dsl.newRecord(CONNECTOR);
        r.setId(c.id());
        r.setConnectorGroupId(c.groupId());
        r.setHostName(c.hostName());
        r.setVersion(c.version());
        r.setCertSerial(c.certSerial());
        r.setCertNotAfter(utc(c.certNotAfter()));
        r.setRegisteredAt(utc(c.registeredAt()));
        r.insert();
    }

    public List<Connector> connectors() {
        return dsl.selectFrom(CONNECTOR).orderBy(CONNECTOR.REGISTERED_AT).fetch(ConnectorStore::toConnector);
    }

    public Optional<Connector> findConnector(String id) {
        return dsl.selectFrom(CONNECTOR).where(CONNECTOR.ID.eq(id)).fetchOptional(ConnectorStore::toConnector);
    }

    /**
     * The current standing of each of these connectors, in one query; connectors that no longer exist are absent.
     * Nodes call it on every heartbeat for the connectors they hold tunnels of.
     */
    public Map<String, Standing> standings(Collection<String> ids, Instant now) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return dsl.select(CONNECTOR.ID, CONNECTOR.CONNECTOR_GROUP_ID, CONNECTOR.CERT_SERIAL, CONNECTOR.REVOKED_AT,
                        CONNECTOR.PREVIOUS_CERT_SERIAL, CONNECTOR.PREVIOUS_CERT_VALID_UNTIL)
                .from(CONNECTOR).where(CONNECTOR.ID.in(ids))
                .fetchMap(r -> r.get(CONNECTOR.ID),
                        r -> new Standing(r.get(CONNECTOR.CONNECTOR_GROUP_ID), r.get(CONNECTOR.CERT_SERIAL), r.get(CONNECTOR.REVOKED_AT) != null,
                                previous(r.get(CONNECTOR.PREVIOUS_CERT_SERIAL), r.get(CONNECTOR.PREVIOUS_CERT_VALID_UNTIL), now)));
    }

    /** The standing of one connector now (the tunnel handshake and renewal). */
    public Optional<Standing> standing(String id, Instant now) {
        return Optional.ofNullable(standings(List.of(id), now).get(id));
    }

    private static Optional<String> previous(String serial, OffsetDateTime validUntil, Instant now) {
        return serial != null && validUntil != null && now.isBefore(validUntil.toInstant()) ? Optional.of(serial) : Optional.empty();
    }

    /**
     * What the last renewal of a connector issued: the certificate ({@code certPem}) for the key whose SubjectPublicKeyInfo
     * hashes to {@code keySha256} (hex), in answer to a request authenticated by {@code fromSerial}, which stays accepted
     * until {@code previousValidUntil}.
     */
    public record IssuedRenewal(String fromSerial, Instant previousValidUntil, String certPem, String keySha256) {
    }

    /**
     * What decides a certificate renewal, read in one query (so that the rules see one state of the row): the serial the
     * connector must present, whether it was revoked, when it last renewed and what that renewal issued (absent before
     * its first renewal, and for renewals made before the server remembered them).
     */
    public record RenewalState(String certSerial, boolean revoked, Optional<Instant> renewedAt, Optional<IssuedRenewal> last) {
    }

    /** The renewal state of a connector; empty when there is no such connector. */
    public Optional<RenewalState> renewalState(String id) {
        return dsl.select(CONNECTOR.CERT_SERIAL, CONNECTOR.REVOKED_AT, CONNECTOR.CERT_RENEWED_AT, CONNECTOR.PREVIOUS_CERT_SERIAL,
                        CONNECTOR.PREVIOUS_CERT_VALID_UNTIL, CONNECTOR.RENEWED_CERT_PEM, CONNECTOR.RENEWED_KEY_SHA256)
                .from(CONNECTOR).where(CONNECTOR.ID.eq(id))
                .fetchOptional(r -> new RenewalState(r.get(CONNECTOR.CERT_SERIAL), r.get(CONNECTOR.REVOKED_AT) != null,
                        Optional.ofNullable(r.get(CONNECTOR.CERT_RENEWED_AT)).map(OffsetDateTime::toInstant),
                        r.get(CONNECTOR.PREVIOUS_CERT_SERIAL) == null || r.get(CONNECTOR.PREVIOUS_CERT_VALID_UNTIL) == null
                                || r.get(CONNECTOR.RENEWED_CERT_PEM) == null || r.get(CONNECTOR.RENEWED_KEY_SHA256) == null
                                ? Optional.empty()
                                : Optional.of(new IssuedRenewal(r.get(CONNECTOR.PREVIOUS_CERT_SERIAL),
                                r.get(CONNECTOR.PREVIOUS_CERT_VALID_UNTIL).toInstant(), r.get(CONNECTOR.RENEWED_CERT_PEM),
                                r.get(CONNECTOR.RENEWED_KEY_SHA256)))));
    }

    /**
     * Records a renewed certificate: it becomes the one the connector must present, and the one the renewal authenticated
     * with ({@code presentedSerial}) stays accepted until {@code previousValidUntil}; the issued certificate and the hash
     * of the key it certified are kept (see {@link IssuedRenewal}). Only the current certificate renews (atomically: of
     * two renewals racing with it, one wins). False when the connector is gone, was revoked, or renewed meanwhile (the
     * presented certificate is no longer the current one).
     */
    public boolean renew(String id, String presentedSerial, String newSerial, Instant newNotAfter, Instant now, Instant previousValidUntil,
                         String newCertPem, String newKeySha256) {
        return dsl.update(CONNECTOR)
                .set(CONNECTOR.PREVIOUS_CERT_SERIAL, presentedSerial)
                .set(CONNECTOR.PREVIOUS_CERT_VALID_UNTIL, utc(previousValidUntil))
                .set(CONNECTOR.CERT_SERIAL, newSerial)
                .set(CONNECTOR.CERT_NOT_AFTER, utc(newNotAfter))
                .set(CONNECTOR.CERT_RENEWED_AT, utc(now))
                .set(CONNECTOR.RENEWED_CERT_PEM, newCertPem)
                .set(CONNECTOR.RENEWED_KEY_SHA256, newKeySha256)
                .where(CONNECTOR.ID.eq(id)).and(CONNECTOR.REVOKED_AT.isNull())
                .and(CONNECTOR.CERT_SERIAL.eq(presentedSerial))
                .execute() > 0;
    }

    public void touch(String id, String hostName, String version, Instant now) {
        dsl.update(CONNECTOR).set(CONNECTOR.LAST_SEEN_AT, utc(now)).set(CONNECTOR.HOST_NAME, hostName)
                .set(CONNECTOR.VERSION, version).where(CONNECTOR.ID.eq(id)).execute();
    }

    /** The connectors not revoked that some node saw after {@code since} (their tunnels' heartbeats touch them). */
    public Set<String> seenSince(Instant since) {
        return Set.copyOf(dsl.select(CONNECTOR.ID).from(CONNECTOR).where(CONNECTOR.REVOKED_AT.isNull())
                .and(CONNECTOR.LAST_SEEN_AT.gt(utc(since))).fetch(CONNECTOR.ID));
    }

    public void touchAll(List<String> ids, Instant now) {
        if (!ids.isEmpty()) {
            dsl.update(CONNECTOR).set(CONNECTOR.LAST_SEEN_AT, utc(now)).where(CONNECTOR.ID.in(ids)).execute();
        }
    }

    /**
     * What revoking or moving a connector did: whether it changed the row, and the version of the update turn it held in
     * its group's rollout, which was released in the same transaction (empty: it held none).
     */
    public record Change(boolean changed, Optional<String> releasedTurnTo) {
    }

    public boolean revoke(String id, Instant now) {
        return revokeConnector(id, now).changed();
    }

    /** Revokes a connector (if not revoked yet) and releases the update turn it held ({@link UpdateTurns}). */
    public Change revokeConnector(String id, Instant now) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = DSL.using(cfg);
            Optional<String> released = Optional.ofNullable(UpdateTurns.release(tx, List.of(id)).get(id));
            boolean changed = tx.update(CONNECTOR).set(CONNECTOR.REVOKED_AT, utc(now))
                    .where(CONNECTOR.ID.eq(id)).and(CONNECTOR.REVOKED_AT.isNull()).execute() > 0;
            return new Change(changed, released);
        });
    }

    public boolean moveConnector(String id, String groupId) {
        return move(id, groupId).changed();
    }

    /** Moves a connector to another group and releases the update turn it held in its old one ({@link UpdateTurns}). */
    public Change move(String id, String groupId) {
        return dsl.transactionResult(cfg -> {
            DSLContext tx = DSL.using(cfg);
            Optional<String> released = Optional.ofNullable(UpdateTurns.release(tx, List.of(id)).get(id));
            boolean changed = tx.update(CONNECTOR).set(CONNECTOR.CONNECTOR_GROUP_ID, groupId).where(CONNECTOR.ID.eq(id)).execute() > 0;
            return new Change(changed, released);
        });
    }

    /**
     * Deletes connectors not seen since {@code cutoff} (never-seen ones count from registration), releasing the update
     * turns they held ({@link UpdateTurns}, logged).
     */
    public int deleteInactiveSince(Instant cutoff) {
        OffsetDateTime c = utc(cutoff);
        Condition inactive = CONNECTOR.LAST_SEEN_AT.lt(c).or(CONNECTOR.LAST_SEEN_AT.isNull().and(CONNECTOR.REGISTERED_AT.lt(c)));
        return dsl.transactionResult(cfg -> {
            DSLContext tx = DSL.using(cfg);
            List<String> ids = tx.select(CONNECTOR.ID).from(CONNECTOR).where(inactive).fetch(CONNECTOR.ID);
            UpdateTurns.release(tx, ids).forEach((id, to) ->
                    LOG.info("connector {} is removed: the update turn it held (to {}) is released", id, to));
            return ids.isEmpty() ? 0 : tx.deleteFrom(CONNECTOR).where(CONNECTOR.ID.in(ids)).and(inactive).execute();
        });
    }

    // ---- registration tokens ----

    public void insertToken(String id, String hashHex, String groupId, Instant now, Instant expiresAt) {
        RegistrationTokenRecord r = dsl.newRecord(REGISTRATION_TOKEN);
        r.setId(id);
        r.setTokenHash(hashHex);
        r.setConnectorGroupId(groupId);
        r.setCreatedAt(utc(now));
        r.setExpiresAt(utc(expiresAt));
        r.insert();
    }

    /**
     * Marks the token with this hash used, if it exists, is unused and unexpired; returns its
     * group. Atomic: two connectors racing with one token cannot both succeed.
     */
    public Optional<String> consumeToken(String hashHex, Instant now) {
        RegistrationTokenRecord r = dsl.selectFrom(REGISTRATION_TOKEN).where(REGISTRATION_TOKEN.TOKEN_HASH.eq(hashHex)).fetchOne();
        if (r == null || r.getUsedAt() != null || !r.getExpiresAt().toInstant().isAfter(now)) {
            return Optional.empty();
        }
        int n = dsl.update(REGISTRATION_TOKEN).set(REGISTRATION_TOKEN.USED_AT, utc(now))
                .where(REGISTRATION_TOKEN.ID.eq(r.getId())).and(REGISTRATION_TOKEN.USED_AT.isNull()).execute();
        return n == 1 ? Optional.of(r.getConnectorGroupId()) : Optional.empty();
    }

    private static OffsetDateTime utc(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }

    private static Group toGroup(ConnectorGroupRecord r) {
        return new Group(r.getId(), r.getName(), r.getCreatedAt().toInstant(), r.getMaintenanceSince() == null ? Optional.empty()
                : Optional.of(new GroupMaintenance(r.getMaintenanceSince().toInstant(), r.getMaintenanceMessage())));
    }

    private static Connector toConnector(ConnectorRecord r) {
        return new Connector(r.getId(), r.getConnectorGroupId(), r.getHostName(), r.getVersion(), r.getCertSerial(),
                r.getCertNotAfter().toInstant(), r.getRegisteredAt().toInstant(),
                Optional.ofNullable(r.getLastSeenAt()).map(OffsetDateTime::toInstant),
                Optional.ofNullable(r.getRevokedAt()).map(OffsetDateTime::toInstant));
    }
}
