package dev.drawbridge.proxy.apps;

import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.PathPolicy;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.api.validation.SsoRules;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import dev.drawbridge.proxy.web.ValidationException;

import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Publishing apps: validation, storage, and swapping the live routes after each change. An app's single sign-on is set
 * on its own ({@link #setSso}); replacing the app's settings keeps it.
 */
public final class AppService {
    private final AppStore apps;
    private final ConnectorStore connectors;
    private final AppValidator validator;
    private final Routes routes;
    private final Clock clock;
    private final SsoChecks ssoChecks;
    private final Function<String, List<PathPolicy>> pathRules;

    /**
     * Checks of an app's single sign-on settings that need the app itself, beyond {@link SsoRules} (a method's feature
     * owns them, e.g. SAML's ACS URL under the app's external URL); each problem names its field.
     */
    @FunctionalInterface
    public interface SsoChecks {
        SsoChecks NONE = (app, settings) -> List.of();

        List<Problem.FieldError> check(PublishedApp app, SsoSettings settings);
    }

    public AppService(AppStore apps, ConnectorStore connectors, AppValidator validator, Routes routes, Clock clock) {
        this(apps, connectors, validator, routes, clock, SsoChecks.NONE);
    }

    /** With {@code ssoChecks} run on every change of an app's single sign-on and of an app that has one. */
    public AppService(AppStore apps, ConnectorStore connectors, AppValidator validator, Routes routes, Clock clock, SsoChecks ssoChecks) {
        this(apps, connectors, validator, routes, clock, ssoChecks, id -> List.of());
    }

    /**
     * With {@code pathRules}, an app's stored path rules: an app whose rules sign users in may not be made passthrough (it
     * has no sign-in then; {@link PathRules} would fail those paths closed).
     */
    public AppService(AppStore apps, ConnectorStore connectors, AppValidator validator, Routes routes, Clock clock, SsoChecks ssoChecks,
                      Function<String, List<PathPolicy>> pathRules) {
        this.pathRules = pathRules;
        this.apps = apps;
        this.connectors = connectors;
        this.validator = validator;
        this.routes = routes;
        this.clock = clock;
        this.ssoChecks = ssoChecks;
    }

    public List<AppView> list() {
        return apps.all().stream().map(this::view).toList();
    }

    public Optional<AppView> get(String id) {
        return apps.find(id).map(this::view);
    }

    public AppView create(AppSpec spec) throws ValidationException, ConflictException {
        String group = resolveGroup(spec.connectorGroup());
        PublishedApp app = validator.validate(UUID.randomUUID().toString(), spec, group, clock.instant(), clock.instant());
        refuseCaseTwin(app);
        apps.insert(app);
        routes.reload();
        return view(app);
    }

    public Optional<AppView> replace(String id, AppSpec spec) throws ValidationException, ConflictException {
        Optional<PublishedApp> existing = apps.find(id);
        if (existing.isEmpty()) {
            return Optional.empty();
        }
        String group = resolveGroup(spec.connectorGroup());
        PublishedApp app = validator.validate(id, spec, group, existing.get().createdAt(), clock.instant());
        refuseCaseTwin(app);
        refusePassthroughWithSignInPaths(app);
        // The app keeps its single sign-on: the edit may not break it (SAML's ACS URL under the external URL, say).
        List<Problem.FieldError> broken = new ArrayList<>(wildcardProblems(app, existing.get().sso()));
        broken.addAll(ssoChecks.check(app.withSso(existing.get().sso()), existing.get().sso()));
        if (!broken.isEmpty()) {
            throw new ValidationException(broken);
        }
        if (!apps.update(app)) {
            return Optional.empty();
        }
        routes.reload();
        return apps.find(id).map(this::view);
    }

    /** What {@link #replace} would store, without storing it. */
    public AppView preview(String id, AppSpec spec) throws ValidationException {
        PublishedApp existing = apps.find(id).orElseThrow(() -> new ValidationException("id", "no such app"));
        return view(validator.validate(id, spec, resolveGroup(spec.connectorGroup()), existing.createdAt(), clock.instant())
                .withSso(existing.sso()));
    }

    /** The app's single sign-on; empty when there is no such app. */
    public Optional<SsoSettings> sso(String id) {
        return apps.find(id).map(PublishedApp::sso);
    }

    /**
     * Sets the app's single sign-on ({@link SsoSettings#NONE} removes it) and answers it as stored; empty when there is
     * no such app. Refused with every problem {@link SsoRules} finds, or as a conflict naming {@code method} when the app
     * is not pre-authenticated.
     */
    public Optional<SsoSettings> setSso(String id, SsoSettings settings) throws ValidationException, ConflictException {
        refuseProblems(apps.find(id), settings);
        if (!apps.setSso(id, settings, clock.instant())) {
            return Optional.empty();
        }
        routes.reload();
        return sso(id);
    }

    /**
     * Checks {@code settings} for {@code app} as {@link #setSso} does, storing nothing (a draft to preview): every problem
     * {@link SsoRules} and the app's own checks find, then the conflict naming {@code method} when the app is not
     * pre-authenticated.
     */
    public void checkSso(PublishedApp app, SsoSettings settings) throws ValidationException, ConflictException {
        refuseProblems(Optional.of(app), settings);
        if (settings.method() != SsoMethod.NONE && !AppStore.allowsSso(app.preAuthentication())) {
            throw AppStore.needsPreAuthentication(app);
        }
    }

    private void refuseProblems(Optional<PublishedApp> app, SsoSettings settings) throws ValidationException {
        var problems = SsoRules.check(settings);
        if (problems.isEmpty()) {
            problems = app.map(a -> wildcardProblems(a, settings)).orElse(List.of());
        }
        if (problems.isEmpty()) {
            problems = app.map(a -> ssoChecks.check(a, settings)).orElse(List.of());
        }
        if (!problems.isEmpty()) {
            throw new ValidationException(problems);
        }
    }

    /**
     * A wildcard app's backend is whatever host the client's label names ({@code evil.apps.example.com} reaches
     * {@code evil.corp.local}, which a user of the internal domain may be able to register in DNS): single sign-on that hands
     * the backend a credential meant for one server (a Kerberos ticket for a fixed SPN, a vaulted password, the user's or the
     * app's shared one) would hand it to every host of the internal domain. Refused, naming {@code method}; header-based
     * sign-on carries no secret, and its assertion names the matched host.
     */
    private static List<Problem.FieldError> wildcardProblems(PublishedApp app, SsoSettings settings) {
        if (!app.isWildcard() || !EnumSet.of(SsoMethod.KERBEROS, SsoMethod.BASIC, SsoMethod.FORMS).contains(settings.method())) {
            return List.of();
        }
        return List.of(new Problem.FieldError("method", "single sign-on " + settings.method() + " sends a credential meant for one"
                + " server; a wildcard app (" + app.externalUrl() + ") reaches any host its label names: publish that server as an app"
                + " of its own host"));
    }

    public boolean delete(String id) {
        boolean deleted = apps.delete(id);
        routes.reload();
        return deleted;
    }

    /**
     * Two apps of one host whose paths differ only in letter case cannot be told apart safely (a backend may read either
     * spelling as the other): routing would refuse both, so publishing the second is refused.
     */
    private void refuseCaseTwin(PublishedApp app) throws ConflictException {
        for (PublishedApp other : apps.all()) {
            if (!other.id().equals(app.id()) && other.externalHost().equalsIgnoreCase(app.externalHost())
                    && other.externalPath().equalsIgnoreCase(app.externalPath()) && !other.externalPath().equals(app.externalPath())) {
                throw new ConflictException("externalUrl", "the app '" + other.name() + "' is published at " + other.externalUrl()
                        + ", which differs from " + app.externalUrl() + " only in letter case; use another path");
            }
        }
    }

    private void refusePassthroughWithSignInPaths(PublishedApp app) throws ConflictException {
        if (app.preAuthentication() != PreAuthentication.PASSTHROUGH) {
            return;
        }
        List<String> signingIn = pathRules.apply(app.id()).stream()
                .filter(r -> PathRules.preAuthentication(app, r) == PreAuthentication.DIRECTORY).map(PathPolicy::path).toList();
        if (!signingIn.isEmpty()) {
            throw new ConflictException("preAuthentication", "the app's path rules for " + String.join(", ", signingIn)
                    + " sign users in, which a passthrough app cannot: remove those rules first, or keep the app DIRECTORY and make"
                    + " its open paths PASSTHROUGH");
        }
    }

    private String resolveGroup(String nameOrId) throws ValidationException {
        String key = nameOrId == null || nameOrId.isBlank() ? ConnectorStore.DEFAULT_GROUP : nameOrId.strip();
        return connectors.findGroup(key).map(ConnectorStore.Group::id)
                .orElseThrow(() -> new ValidationException("connectorGroup", "no connector group named or with id '" + key + "'"));
    }

    private AppView view(PublishedApp a) {
        String groupName = connectors.findGroup(a.connectorGroupId()).map(ConnectorStore.Group::name).orElse("?");
        return new AppView(a.id(), a.name(), a.externalUrl().toString(), a.internalUrl().toString(), a.connectorGroupId(),
                groupName, a.backendTimeout(), a.translateHostHeader(), a.preAuthentication(), a.access(), a.createdAt(), a.updatedAt(),
                a.caseInsensitivePaths(), a.sso().method(), a.translateLinksInBody(), a.translateLinksInScripts(),
                a.limits().throttle().orElse(null), a.limits().backendTimeout().map(d -> (int) d.toSeconds()).orElse(null));
    }
}
