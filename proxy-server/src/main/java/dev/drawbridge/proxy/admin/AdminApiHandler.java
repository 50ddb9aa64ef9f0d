package dev.drawbridge.proxy.admin;

import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.ConnectorView;
import dev.drawbridge.model.api.Page;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.RegistrationTokenRequest;
import dev.drawbridge.model.api.RegistrationTokenView;
import dev.drawbridge.model.api.SignInLogEntry;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.logs.SignInLog;
import dev.drawbridge.proxy.apps.AppService;
import dev.drawbridge.proxy.apps.ValidationException;
import dev.drawbridge.proxy.pki.Pem;
import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.store.ConnectorStore;
import dev.drawbridge.proxy.tunnel.ConnectorRegistry;
import dev.drawbridge.proxy.web.JsonBody;
import dev.drawbridge.proxy.web.Responses;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The admin REST API under {@code /api/v1}: published apps, connector groups, connectors and
 * registration tokens. Every call needs {@code Authorization: Bearer <admin credential>}
 * (checked in constant time); errors are RFC 9457 problem documents naming the field.
 */
public final class AdminApiHandler {
    public static final String PREFIX = "/api/v1/";
    private static final Logger LOG = LoggerFactory.getLogger(AdminApiHandler.class);

    /** A request that should be answered with a problem document. */
    private static final class ApiError extends Exception {
        final Problem problem;

        ApiError(int status, String title, String detail) {
            super(detail);
            this.problem = new Problem("about:blank", title, status, detail, List.of());
        }

        ApiError(ValidationException e) {
            super(e.getMessage());
            this.problem = new Problem("about:blank", "Invalid request", 400, e.getMessage(), e.errors());
        }
    }

    private final ServerKeys keys;
    private final AppService apps;
    private final ConnectorStore connectors;
    private final ConnectorRegistry registry;
    private final Clock clock;
    private final String registrationServerUrl;
    private final DirectoryApi directory;
    private final SignInLog signInLog;
    private final PolicyApi policies;
    private final AuditLog audit;
    private final FederationApi federation;
    private final AppIconApi icons;
    /** Who makes changes: the bootstrap admin credential until admin accounts and roles arrive. */
    static final String ACTOR = "admin";

    public AdminApiHandler(ServerKeys keys, AppService apps, ConnectorStore connectors, ConnectorRegistry registry,
                           Clock clock, String registrationServerUrl, DirectoryApi directory, SignInLog signInLog, PolicyApi policies,
                           AuditLog audit, FederationApi federation, AppIconApi icons) {
        this.audit = audit;
        this.federation = federation;
        this.icons = icons;
        this.policies = policies;
        this.signInLog = signInLog;
        this.directory = directory;
        this.keys = keys;
        this.apps = apps;
        this.connectors = connectors;
        this.registry = registry;
        this.clock = clock;
        this.registrationServerUrl = registrationServerUrl;
    }

    public void handle(Request request, Response response, Callback callback) {
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        String token = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).strip() : null;
        if (!keys.isAdminToken(token)) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"drawbridge-admin\"");
            Responses.problem(response, callback, 401, "Unauthorized", "send the admin credential as Authorization: Bearer <token>");
            return;
        }
        String path = Request.getPathInContext(request);
        String[] seg = path.substring(PREFIX.length()).split("/", -1);
        try {
            route(request.getMethod(), seg, request, response, callback);
        } catch (ApiError e) {
            Responses.problem(response, callback, e.problem);
        } catch (ApiException e) {
            Responses.problem(response, callback, e.problem());
        } catch (ValidationException e) {
            Responses.problem(response, callback, new ApiError(e).problem);
        } catch (ConflictException e) {
            Responses.problem(response, callback, new Problem("about:blank", "Conflict", 409, e.getMessage(),
                    List.of(new Problem.FieldError(e.field(), e.getMessage()))));
        } catch (IOException e) {
            Responses.problem(response, callback, 400, "Bad request", "the request body could not be read");
        } catch (RuntimeException e) {
            LOG.error("admin API {} {} failed", request.getMethod(), path, e);
            Responses.problem(response, callback, 500, "Internal error", "the server could not complete the request; see its log");
        }
    }

    private void route(String method, String[] seg, Request request, Response response, Callback callback)
            throws ApiError, ApiException, ValidationException, ConflictException, IOException {
        String resource = seg[0];
        String id = seg.length > 1 && !seg[1].isEmpty() ? seg[1] : null;
        String action = seg.length > 2 ? seg[2] : null;
        if (!resource.equals("groups") && !resource.equals("apps") && (seg.length > 3 || (seg.length == 3 && action.isEmpty()))) {
            throw notFound();
        }
        switch (resource) {
            case "apps" -> {
                if (id == null) {
                    switch (method) {
                        case "GET" -> ok(response, callback, page(apps.list(), request));
                        case "POST" -> {
                            var created = apps.create(JsonBody.read(request, AppSpec.class));
                            audit.record(ACTOR, "app.create", "app", created.id(), null, created);
                            Responses.json(response, callback, 201, created);
                        }
                        default -> throw notAllowed();
                    }
                } else if (action == null) {
                    switch (method) {
                        case "GET" -> ok(response, callback, apps.get(id).orElseThrow(AdminApiHandler::notFound));
                        case "PUT" -> {
                            var before = apps.get(id).orElseThrow(AdminApiHandler::notFound);
                            var after = apps.replace(id, JsonBody.read(request, AppSpec.class)).orElseThrow(AdminApiHandler::notFound);
                            audit.record(ACTOR, "app.update", "app", id, before, after);
                            ok(response, callback, after);
                        }
                        case "DELETE" -> {
                            var before = apps.get(id).orElseThrow(AdminApiHandler::notFound);
                            noContent(apps.delete(id), response, callback);
                            audit.record(ACTOR, "app.delete", "app", id, before, null);
                        }
                        default -> throw notAllowed();
                    }
                } else if (action.equals("assignments")) {
                    directory.assignments(method, id, seg, request, response, callback);
                } else if (action.equals("icon") && seg.length == 3) {
                    icons.route(method, id, request, response, callback);
                } else if (action.equals("owners")) {
                    directory.owners(method, id, seg, request, response, callback);
                } else {
                    throw notFound();
                }
            }
            case "connector-groups" -> {
                if (id == null) {
                    switch (method) {
                        case "GET" -> ok(response, callback, page(connectors.groups().stream().map(this::groupView).toList(), request));
                        case "POST" -> {
                            NameBody body = JsonBody.read(request, NameBody.class);
                            if (body.name() == null || body.name().isBlank() || body.name().length() > 200) {
                                throw new ValidationException("name", "name is required (1 to 200 characters)");
                            }
                            var created = groupView(connectors.createGroup(body.name().strip(), clock.instant()));
                            audit.record(ACTOR, "connector-group.create", "connector-group", created.id(), null, created);
                            Responses.json(response, callback, 201, created);
                        }
                        default -> throw notAllowed();
                    }
                } else if (action == null) {
                    switch (method) {
                        case "GET" -> ok(response, callback, groupView(connectors.findGroup(id).orElseThrow(AdminApiHandler::notFound)));
                        case "DELETE" -> {
                            var before = connectors.findGroup(id).map(this::groupView).orElseThrow(AdminApiHandler::notFound);
                            noContent(connectors.deleteGroup(id), response, callback);
                            audit.record(ACTOR, "connector-group.delete", "connector-group", id, before, null);
                        }
                        default -> throw notAllowed();
                    }
                } else {
                    throw notFound();
                }
            }
            case "connectors" -> connectorsRoute(method, id, action, request, response, callback);
            case "users", "groups" -> directory.route(method, seg, request, response, callback);
            case "named-locations", "policies" -> policies.route(method, seg, request, response, callback);
            case "access-requests" -> directory.accessRequests(method, seg, request, response, callback);
            case "directory-sync" -> directory.directorySync(method, seg, request, response, callback);
            case "identity-providers" -> federation.route(method, seg, request, response, callback);
            case "audit-logs" -> {
                if (id != null || !method.equals("GET")) {
                    throw id != null ? notFound() : notAllowed();
                }
                var p = Request.extractQueryParameters(request);
                int offset = intParam(p.getValue("offset"), 0, "offset");
                int limit = intParam(p.getValue("limit"), 100, "limit");
                if (offset < 0 || limit < 1 || limit > 1000) {
                    throw new ValidationException(offset < 0 ? "offset" : "limit", "offset must be 0 or more and limit between 1 and 1000");
                }
                AuditLog.Query q = new AuditLog.Query(opt(p.getValue("action")), opt(p.getValue("targetType")), opt(p.getValue("targetId")),
                        instant(p.getValue("from"), "from"), instant(p.getValue("to"), "to"), offset, limit);
                ok(response, callback, new Page<>(audit.query(q), offset, limit, audit.count(q)));
            }
            case "sign-in-logs" -> {
                if (id != null || !method.equals("GET")) {
                    throw id != null ? notFound() : notAllowed();
                }
                ok(response, callback, signInLogs(request));
            }
            case "registration-tokens" -> {
                if (id != null || !method.equals("POST")) {
                    throw id != null ? notFound() : notAllowed();
                }
                RegistrationTokenView token = createToken(JsonBody.read(request, RegistrationTokenRequest.class));
                // The token itself is a secret: the log keeps its id, group and expiry only.
                audit.record(ACTOR, "registration-token.create", "registration-token", token.id(), null,
                        java.util.Map.of("connectorGroupId", token.connectorGroupId(), "expiresAt", token.expiresAt().toString()));
                Responses.json(response, callback, 201, token);
            }
            default -> throw notFound();
        }
    }

    private void connectorsRoute(String method, String id, String action, Request request, Response response, Callback callback)
            throws ApiError, ValidationException, IOException {
        if (id == null) {
            if (!method.equals("GET")) {
                throw notAllowed();
            }
            ok(response, callback, page(connectors.connectors().stream().map(this::connectorView).toList(), request));
            return;
        }
        ConnectorStore.Connector c = connectors.findConnector(id).orElseThrow(AdminApiHandler::notFound);
        if (action == null) {
            if (!method.equals("GET")) {
                throw notAllowed();
            }
            ok(response, callback, connectorView(c));
            return;
        }
        if (!method.equals("POST")) {
            throw notAllowed();
        }
        switch (action) {
            case "revoke" -> {
                ConnectorView before = connectorView(c);
                connectors.revoke(id, clock.instant());
                registry.disconnect(id, "revoked");
                LOG.info("connector {} revoked; its tunnels were closed", id);
                ConnectorView after = connectorView(connectors.findConnector(id).orElseThrow());
                audit.record(ACTOR, "connector.revoke", "connector", id, before, after);
                ok(response, callback, after);
            }
            case "move" -> {
                NameBody body = JsonBody.read(request, NameBody.class);
                String key = body.connectorGroup() == null ? "" : body.connectorGroup();
                ConnectorStore.Group g = connectors.findGroup(key).orElseThrow(
                        () -> new ValidationException("connectorGroup", "no connector group named or with id '" + key + "'"));
                ConnectorView before = connectorView(c);
                connectors.moveConnector(id, g.id());
                // Its tunnels reconnect and join the new group.
                registry.disconnect(id, "moved to group " + g.name());
                ConnectorView after = connectorView(connectors.findConnector(id).orElseThrow());
                audit.record(ACTOR, "connector.move", "connector", id, before, after);
                ok(response, callback, after);
            }
            default -> throw notFound();
        }
    }

    /** Body of group creation ({@code name}) and connector moves ({@code connectorGroup}). */
    record NameBody(String name, String connectorGroup) {
    }

    private Page<SignInLogEntry> signInLogs(Request request) throws ValidationException {
        var p = Request.extractQueryParameters(request);
        int offset = intParam(p.getValue("offset"), 0, "offset");
        int limit = intParam(p.getValue("limit"), 100, "limit");
        if (offset < 0 || limit < 1 || limit > 1000) {
            throw new ValidationException(offset < 0 ? "offset" : "limit", "offset must be 0 or more and limit between 1 and 1000");
        }
        SignInLog.Query q = new SignInLog.Query(opt(p.getValue("upn")), opt(p.getValue("app")), opt(p.getValue("result")),
                opt(p.getValue("event")), instant(p.getValue("from"), "from"), instant(p.getValue("to"), "to"), offset, limit);
        return new Page<>(signInLog.query(q), offset, limit, signInLog.count(q));
    }

    private static java.util.Optional<String> opt(String v) {
        return v == null || v.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(v.strip());
    }

    private static java.util.Optional<Instant> instant(String v, String field) throws ValidationException {
        if (v == null || v.isBlank()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(Instant.parse(v.strip()));
        } catch (java.time.format.DateTimeParseException e) {
            throw new ValidationException(field, field + " must be an ISO-8601 instant such as 2026-11-25T12:00:00Z");
        }
    }

    private RegistrationTokenView createToken(RegistrationTokenRequest req) throws ValidationException {
        String key = req.connectorGroup() == null || req.connectorGroup().isBlank() ? ConnectorStore.DEFAULT_GROUP : req.connectorGroup();
        ConnectorStore.Group g = connectors.findGroup(key).orElseThrow(
                () -> new ValidationException("connectorGroup", "no connector group named or with id '" + key + "'"));
        int ttl = req.ttlMinutes() == null ? 60 : req.ttlMinutes();
        if (ttl < 1 || ttl > 1440) {
            throw new ValidationException("ttlMinutes", "ttlMinutes must be between 1 and 1440");
        }
        String token = "dbreg_" + ServerKeys.randomToken(32);
        Instant now = clock.instant();
        Instant expires = now.plus(Duration.ofMinutes(ttl));
        String id = UUID.randomUUID().toString();
        connectors.insertToken(id, HexFormat.of().formatHex(ServerKeys.sha256(token)), g.id(), now, expires);
        String pin = Pem.sha256(keys.serverCa().certificate());
        String install = "drawbridge-connector register --server " + registrationServerUrl + " --token " + token
                + " --ca-sha256 " + pin;
        return new RegistrationTokenView(id, token, g.id(), expires, pin, install);
    }

    private ConnectorGroupView groupView(ConnectorStore.Group g) {
        List<ConnectorStore.Connector> members = connectors.connectors().stream().filter(c -> c.groupId().equals(g.id())).toList();
        int active = (int) members.stream().filter(c -> c.revokedAt().isEmpty() && registry.isActive(c)).count();
        return new ConnectorGroupView(g.id(), g.name(), g.createdAt(), members.size(), active);
    }

    private ConnectorView connectorView(ConnectorStore.Connector c) {
        ConnectorStatus status = c.revokedAt().isPresent() ? ConnectorStatus.REVOKED
                : registry.isActive(c) ? ConnectorStatus.ACTIVE : ConnectorStatus.INACTIVE;
        String groupName = connectors.findGroup(c.groupId()).map(ConnectorStore.Group::name).orElse("?");
        return new ConnectorView(c.id(), c.groupId(), groupName, c.hostName(), c.version(), status,
                registry.tunnelCount(c.id()), c.registeredAt(), c.lastSeenAt().orElse(null), c.certNotAfter());
    }

    static <T> Page<T> page(List<T> all, Request request) throws ValidationException {
        var params = Request.extractQueryParameters(request);
        int offset = intParam(params.getValue("offset"), 0, "offset");
        int limit = intParam(params.getValue("limit"), 100, "limit");
        if (offset < 0) {
            throw new ValidationException("offset", "offset must be 0 or more");
        }
        if (limit < 1 || limit > 1000) {
            throw new ValidationException("limit", "limit must be between 1 and 1000");
        }
        List<T> items = all.stream().skip(offset).limit(limit).toList();
        return new Page<>(items, offset, limit, all.size());
    }

    private static int intParam(String v, int dflt, String name) throws ValidationException {
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ValidationException(name, name + " must be a whole number");
        }
    }

    private static void ok(Response response, Callback callback, Object body) {
        Responses.json(response, callback, 200, body);
    }

    private static void noContent(boolean found, Response response, Callback callback) throws ApiError {
        if (!found) {
            throw notFound();
        }
        response.setStatus(204);
        response.getHeaders().put(Responses.GENERATED_HEADER, "true");
        callback.succeeded();
    }

    private static ApiError notFound() {
        return new ApiError(404, "Not found", "no such resource");
    }

    private static ApiError notAllowed() {
        return new ApiError(405, "Method not allowed", "this method is not supported on this resource");
    }
}
