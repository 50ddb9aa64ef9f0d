package dev.drawbridge.proxy.sso;

import dev.drawbridge.model.sso.KerberosConfig;
import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.db.tables.records.ConnectorGroupKerberosRecord;
import org.jooq.DSLContext;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static dev.drawbridge.proxy.store.db.Tables.CONNECTOR_GROUP_KERBEROS;

/** Connector groups' Kerberos settings; the keytab encrypted with the data key, a new version on every change. */
public final class KerberosGroupStore {
    private final DSLContext dsl;
    private final DataKey dataKey;

    /** One group's settings as stored. */
    public record Stored(String groupId, KerberosConfig config, String version, Instant updatedAt) {
    }

    public KerberosGroupStore(Database db, DataKey dataKey) {
        this.dsl = db.dsl();
        this.dataKey = dataKey;
    }

    public Optional<Stored> find(String groupId) {
        return dsl.selectFrom(CONNECTOR_GROUP_KERBEROS).where(CONNECTOR_GROUP_KERBEROS.GROUP_ID.eq(groupId)).fetchOptional(this::toStored);
    }

    /** A group's realm, when it has settings (the keytab left sealed). */
    public Optional<String> realm(String groupId) {
        return dsl.select(CONNECTOR_GROUP_KERBEROS.REALM).from(CONNECTOR_GROUP_KERBEROS).where(CONNECTOR_GROUP_KERBEROS.GROUP_ID.eq(groupId))
                .fetchOptional(CONNECTOR_GROUP_KERBEROS.REALM);
    }

    /** Sets (or replaces) a group's settings. */
    public Stored put(String groupId, KerberosConfig config, Instant at) {
        // As the database keeps it, so the answer equals what a later read gives.
        Instant now = at.truncatedTo(ChronoUnit.MILLIS);
        String version = UUID.randomUUID().toString();
        String sealed = dataKey.encrypt(Base64.getEncoder().encodeToString(config.keytab()));
        ConnectorGroupKerberosRecord r = dsl.newRecord(CONNECTOR_GROUP_KERBEROS);
        r.setGroupId(groupId);
        r.setRealm(config.realm());
        r.setKdcs(String.join(",", config.kdcs()));
        r.setServicePrincipal(config.servicePrincipal());
        r.setKeytabEncrypted(sealed);
        r.setVersion(version);
        r.setUpdatedAt(now.atOffset(ZoneOffset.UTC));
        dsl.transaction(t -> {
            t.dsl().deleteFrom(CONNECTOR_GROUP_KERBEROS).where(CONNECTOR_GROUP_KERBEROS.GROUP_ID.eq(groupId)).execute();
            t.dsl().insertInto(CONNECTOR_GROUP_KERBEROS).set(r).execute();
        });
        return new Stored(groupId, config, version, now);
    }

    public boolean delete(String groupId) {
        return dsl.deleteFrom(CONNECTOR_GROUP_KERBEROS).where(CONNECTOR_GROUP_KERBEROS.GROUP_ID.eq(groupId)).execute() > 0;
    }

    private Stored toStored(ConnectorGroupKerberosRecord r) {
        byte[] keytab = Base64.getDecoder().decode(dataKey.decrypt(r.getKeytabEncrypted()));
        KerberosConfig config = new KerberosConfig(r.getRealm(), List.of(r.getKdcs().split(",")), r.getServicePrincipal(), keytab);
        Arrays.fill(keytab, (byte) 0);
        return new Stored(r.getGroupId(), config, r.getVersion(), r.getUpdatedAt().toInstant());
    }
}
