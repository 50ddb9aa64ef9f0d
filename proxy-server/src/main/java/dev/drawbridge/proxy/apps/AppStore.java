package dev.drawbridge.proxy.apps;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.db.tables.records.AppRecord;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.exception.IntegrityConstraintViolationException;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static dev.drawbridge.proxy.store.db.Tables.APP;

/**
 * Published apps in the database. An app's single sign-on ({@code sso_settings}) is written by {@link #setSso} only: an
 * {@link #update} of its other settings keeps it. Only a pre-authenticated app may have single sign-on; both writes check
 * that in their {@code UPDATE}'s condition, so two admins changing one app at once cannot leave a passthrough app with
 * single sign-on.
 */
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

    /**
     * Replaces the app's settings but its single sign-on, which stays as stored; false when there is no such app. A
     * conflict naming {@code preAuthentication} when {@code a} is not pre-authenticated and the app has single sign-on.
     */
    public boolean update(PublishedApp a) throws ConflictException {
        try {
            AppRecord r = dsl.newRecord(APP);
            fill(r, a);
            r.changed(APP.ID, false);
            r.changed(APP.SSO_SETTINGS, false);
            Condition where = APP.ID.eq(a.id());
            if (!allowsSso(a.preAuthentication())) {
                where = where.and(APP.SSO_SETTINGS.isNull());
            }
            if (dsl.update(APP).set(r).where(where).execute() == 1) {
                return true;
            }
        } catch (IntegrityConstraintViolationException e) {
            throw conflict(a);
        }
        Optional<PublishedApp> stored = find(a.id());
        if (stored.isEmpty()) {
            return false;
        }
        throw new ConflictException("preAuthentication", "the app '" + stored.get().name() + "' signs users in to its backend"
                + " (single sign-on " + stored.get().sso().method() + "), which needs pre-authentication: remove single sign-on"
                + " first, then make the app passthrough");
    }

    /**
     * Sets the app's single sign-on ({@link SsoSettings#NONE} removes it); false when there is no such app. A conflict
     * naming {@code method} when the settings have a method and the app is not pre-authenticated. The settings must
     * have passed {@link dev.drawbridge.model.api.validation.SsoRules}.
     */
    public boolean setSso(String id, SsoSettings settings, Instant now) throws ConflictException {
        boolean on = settings.method() != SsoMethod.NONE;
        Condition where = APP.ID.eq(id);
        if (on) {
            where = where.and(APP.PREAUTH.in(ssoPreAuthentications()));
        }
        if (dsl.update(APP).set(APP.SSO_SETTINGS, on ? SsoJson.write(settings) : null)
                .set(APP.UPDATED_AT, now.atOffset(ZoneOffset.UTC)).where(where).execute() == 1) {
            return true;
        }
        Optional<PublishedApp> stored = find(id);
        if (stored.isEmpty()) {
            return false;
        }
        throw needsPreAuthentication(stored.get());
    }

    /** The conflict of single sign-on settings for {@code app}, which is not pre-authenticated: it names {@code method}. */
    public static ConflictException needsPreAuthentication(PublishedApp app) {
        return new ConflictException("method", "the app '" + app.name() + "' is " + app.preAuthentication()
                + ": single sign-on needs pre-authentication (DIRECTORY), since the connector signs in the user Drawbridge"
                + " verified; change the app's pre-authentication first");
    }

    /** Whether an app with this pre-authentication may sign users in to its backend: only one that knows the user. */
    public static boolean allowsSso(PreAuthentication p) {
        return p == PreAuthentication.DIRECTORY;
    }

    private static List<String> ssoPreAuthentications() {
        return Arrays.stream(PreAuthentication.values()).filter(AppStore::allowsSso).map(Enum::name).toList();
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
        List<String> providers = a.access().identityProviders();
        if (providers != null) {
            // Left out of a replacement (null): the column keeps the app's list.
            r.setIdentityProviders(providers.isEmpty() ? null : String.join(" ", providers));
        }
        r.setCaseInsensitivePaths(a.caseInsensitivePaths());
        r.setTranslateLinksInBody(a.translateLinksInBody());
        r.setTranslateLinksInScripts(a.translateLinksInScripts());
        r.setThrottlePerSecond(a.limits().requestsPerSecond() == 0 ? null : a.limits().requestsPerSecond());
        r.setThrottleBurst(a.limits().burst() == 0 ? null : a.limits().burst());
        r.setBackendTimeoutSeconds(a.limits().backendTimeoutSeconds() == 0 ? null : a.limits().backendTimeoutSeconds());
        r.setSsoSettings(a.hasSso() ? SsoJson.write(a.sso()) : null);
        r.setUpdatedAt(a.updatedAt().atOffset(ZoneOffset.UTC));
    }

    /** The ids an app's {@code identity_providers} column lists (space-separated; null: every provider). */
    private static List<String> providerIds(String column) {
        return column == null || column.isBlank() ? List.of() : List.of(column.split(" "));
    }

    private static PublishedApp toApp(AppRecord r) {
        return new PublishedApp(r.getId(), r.getName(), URI.create(r.getExternalUrl()), r.getExternalHost(),
                r.getExternalPath(), URI.create(r.getInternalUrl()), r.getConnectorGroupId(),
                BackendTimeout.valueOf(r.getBackendTimeout()), r.getTranslateHostHeader(),
                PreAuthentication.valueOf(r.getPreauth()), new AccessSettings(r.getAssignmentRequired(), r.getCookieHttpOnly(),
                        r.getCookieSecure(), r.getCookiePersistent(), providerIds(r.getIdentityProviders())),
                r.getCreatedAt().toInstant(), r.getUpdatedAt().toInstant(),
                r.getCaseInsensitivePaths(), r.getSsoSettings() == null ? SsoSettings.NONE : SsoJson.read(r.getSsoSettings()),
                r.getTranslateLinksInBody(), r.getTranslateLinksInScripts(), "", new AppLimits(orZero(r.getThrottlePerSecond()),
                orZero(r.getThrottleBurst()), orZero(r.getBackendTimeoutSeconds())));
    }

    private static int orZero(Integer i) {
        return i == null ? 0 : i;
    }
}
