package dev.drawbridge.proxy.apps;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.db.tables.records.AppRecord;
import org.jooq.DSLContext;
import org.jooq.exception.IntegrityConstraintViolationException;

import java.net.URI;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static dev.drawbridge.proxy.store.db.Tables.APP;

/** Published apps in the database. */
public final class AppStore {
    private final DSLContext dsl;

    public AppStore(Database db) {
        this.dsl = db.dsl();
    }

    public List<PublishedApp> all() {
        return dsl.selectFrom(APP).orderBy(APP.NAME).fetch(AppStore::toApp);
    }

    public Optional<PublishedApp> find(String id) {
        return dsl.selectFrom(APP).where(APP.ID.eq(id)).fetchOptional(AppStore::toApp);
    }

    public void insert(PublishedApp a) throws ConflictException {
        try {
            AppRecord r = dsl.newRecord(APP);
            fill(r, a);
            r.setCreatedAt(a.createdAt().atOffset(ZoneOffset.UTC));
            r.insert();
        } catch (IntegrityConstraintViolationException e) {
            throw conflict(a);
        }
    }

    public boolean update(PublishedApp a) throws ConflictException {
        try {
            AppRecord r = dsl.selectFrom(APP).where(APP.ID.eq(a.id())).fetchOne();
            if (r == null) {
                return false;
            }
            fill(r, a);
            r.update();
            return true;
        } catch (IntegrityConstraintViolationException e) {
            throw conflict(a);
        }
    }

    public boolean delete(String id) {
        return dsl.deleteFrom(APP).where(APP.ID.eq(id)).execute() > 0;
    }

    private ConflictException conflict(PublishedApp a) {
        boolean nameTaken = dsl.fetchExists(APP, APP.NAME.eq(a.name()).and(APP.ID.ne(a.id())));
        return nameTaken
                ? new ConflictException("name", "an app named '" + a.name() + "' already exists")
                : new ConflictException("externalUrl", "another app is already published at " + a.externalUrl());
    }

    private static void fill(AppRecord r, PublishedApp a) {
        r.setId(a.id());
        r.setName(a.name());
        r.setExternalUrl(a.externalUrl().toString());
        r.setExternalHost(a.externalHost());
        r.setExternalPath(a.externalPath());
        r.setInternalUrl(a.internalUrl().toString());
        r.setConnectorGroupId(a.connectorGroupId());
        r.setBackendTimeout(a.backendTimeout().name());
        r.setTranslateHostHeader(a.translateHostHeader());
        r.setPreauth(a.preAuthentication().name());
        r.setAssignmentRequired(a.access().assignmentRequired());
        r.setCookieHttpOnly(a.access().cookieHttpOnly());
        r.setCookieSecure(a.access().cookieSecure());
        r.setCookiePersistent(a.access().cookiePersistent());
        r.setCaseInsensitivePaths(a.caseInsensitivePaths());
        r.setSsoSettings(a.hasSso() ? SsoJson.write(a.sso()) : null);
        r.setUpdatedAt(a.updatedAt().atOffset(ZoneOffset.UTC));
    }

    private static PublishedApp toApp(AppRecord r) {
        return new PublishedApp(r.getId(), r.getName(), URI.create(r.getExternalUrl()), r.getExternalHost(),
                r.getExternalPath(), URI.create(r.getInternalUrl()), r.getConnectorGroupId(),
                BackendTimeout.valueOf(r.getBackendTimeout()), r.getTranslateHostHeader(),
                PreAuthentication.valueOf(r.getPreauth()), new AccessSettings(r.getAssignmentRequired(), r.getCookieHttpOnly(),
                        r.getCookieSecure(), r.getCookiePersistent()), r.getCreatedAt().toInstant(), r.getUpdatedAt().toInstant(),
                r.getCaseInsensitivePaths(), r.getSsoSettings() == null ? SsoSettings.NONE : SsoJson.read(r.getSsoSettings()));
    }
}
