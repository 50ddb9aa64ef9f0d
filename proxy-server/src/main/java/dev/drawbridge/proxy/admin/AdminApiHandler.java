package dev.drawbridge.proxy.admin;

import dev.drawbridge.model.api.Page;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.apps.AppService;
import dev.drawbridge.proxy.apps.ValidationException;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.logs.ConnectorEvents;
import dev.drawbridge.proxy.logs.SignInLog;
import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.store.ConnectorStore;
import dev.drawbridge.proxy.tunnel.ConnectorRegistry;
import dev.drawbridge.proxy.web.Responses;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

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
    private final SignInLog signInLog;
    private final AuditLog audit;
    private final AdminAuth auth;
    private final ConnectorEvents connectorEvents;
    private final UserGuard guard;
    private final AdminResources resources;

    public AdminApiHandler(ServerKeys keys, AppService apps, ConnectorStore connectors, ConnectorRegistry registry,
                           Clock clock, String registrationServerUrl, DirectoryStore users, SignInLog signInLog,
                           AuditLog audit, AdminAuth auth, ConnectorEvents connectorEvents,
                           AdminResources resources) {
        resources.requireAll(AdminRoutes.all());
        this.resources = resources;
        this.audit = audit;
        this.auth = auth;
        this.connectorEvents = connectorEvents;
        this.signInLog = signInLog;
        this.keys = keys;
        this.apps = apps;
        this.connectors = connectors;
        this.registry = registry;
        this.clock = clock;
        this.registrationServerUrl = registrationServerUrl;
        this.guard = new UserGuard(users, auth.roles(), audit);
    }

    public void handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String rest = path.substring(PREFIX.length());
        if (rest.length() > 1 && rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        String method = request.getMethod();
        if (rest.equals("openapi.json")) {
            if (!method.equals("GET")) {
                Responses.problem(response, callback, 405, "Method not allowed", "use GET");
                return;
            }
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
            Responses.json(response, callback, 200, OpenApi.document(registrationServerUrl));
            return;
        }
        String[] seg = rest.split("/", -1);
        if (AdminRoutes.withoutToken(seg)) {
            // The admin sign-in: no bearer token to check, and so no permission; AdminAuth limits and logs each attempt.
            answer(request, response, callback, () -> {
                if (!(AdminRoutes.match(method, seg) instanceof AdminRoutes.Match.Found f)) {
                    throw ApiException.notAllowed();
                }
                dispatch(f.route(), Caller.ANONYMOUS, seg, request, response, callback);
            });
            return;
        }
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        String token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
        Optional<Caller> caller = auth.authenticate(token);
        if (caller.isEmpty()) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"drawbridge-admin\"");
            Responses.problem(response, callback, 401, "Unauthorized",
                    "send an admin token (POST /api/v1/auth/token) or the bootstrap credential as Authorization: Bearer <token>");
            return;
        }
        Caller c = caller.get();
        switch (AdminRoutes.match(method, seg)) {
            case AdminRoutes.Match.NotFound n -> Responses.problem(response, callback, 404, "Not found", NO_ENDPOINT);
            case AdminRoutes.Match.MethodNotAllowed m -> {
                response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", m.allowed()));
                Responses.problem(response, callback, 405, "Method not allowed", "this resource supports " + String.join(", ", m.allowed()));
            }
            case AdminRoutes.Match.Found f when !c.may(f.route().permission()) -> deny(c, f.route(), method, rest, response, callback);
            case AdminRoutes.Match.Found f -> answer(request, response, callback,
                    () -> guard.run(c, f.route(), seg, request, checked -> dispatch(f.route(), c, seg, checked, response, callback)));
        }
    }

    /** Runs the route's handler with the caller and writes its answer. */
    private void dispatch(AdminRoutes.Route route, Caller caller, String[] seg, Request request, Response response, Callback callback)
            throws Exception {
        if (route.handler() == null) {
            ScopedValue.where(CALLER, caller).call(() -> {
                route(request.getMethod(), seg, request, response, callback);
                return null;
            });
            return;
        }
        write(route.handler().invoke(resources, caller, new JettyAdminRequest(request, route.parameters(seg))), response, callback);
    }

    private static void write(Answer answer, Response response, Callback callback) {
        switch (answer) {
            case Answer.Json j -> Responses.json(response, callback, j.status(), j.body());
            case Answer.NoContent n -> {
                response.setStatus(204);
                response.getHeaders().put(Responses.GENERATED_HEADER, "true");
                callback.succeeded();
            }
            case Answer.Bytes b -> {
                b.headers().forEach(response.getHeaders()::put);
                Responses.write(response, callback, 200, b.contentType(), b.body());
            }
        }
    }

    /** Detail of the 404 for a path no operation has (as opposed to a missing resource). */
    public static final String NO_ENDPOINT = "no such endpoint; GET /api/v1/openapi.json lists them";

    /** The caller of the admin API call being served. */
    static final ScopedValue<Caller> CALLER = ScopedValue.newInstance();

    /** Who makes the current change, for the audit log. */
    static String actor() {
        return CALLER.isBound() ? CALLER.get().subject() : "system";
    }

    static Caller caller() {
        return CALLER.get();
    }

    private void deny(Caller c, AdminRoutes.Route route, String method, String path, Response response, Callback callback) {
        LOG.warn("admin API: {} denied {} /api/v1/{} (needs {}, holds {})", c.subject(), method, path, route.permission(), c.roles());
        audit.record(c.subject(), "access.denied", "api", cut(method + " " + route.template(), 64), null,
                java.util.Map.of("method", method, "path", "/api/v1/" + path, "requiredPermission", route.permission().name(),
                        "roles", c.roles()));
        Responses.problem(response, callback, new Problem("https://drawbridge.dev/problems/forbidden", "Forbidden", 403,
                "this call needs the " + route.permission() + " permission, which none of your roles " + c.roles() + " grants",
                List.of()));
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    /** A call that answers by itself or throws what {@link #answer} turns into a problem document. */
    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    private void answer(Request request, Response response, Callback callback, Call call) {
        try {
            call.run();
        } catch (ApiError e) {
            Responses.problem(response, callback, e.problem);
        } catch (ApiException e) {
            if (e.problem().status() == 401) {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"drawbridge-admin\"");
            }
            e.retryAfter().ifPresent(d -> response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString(ApiException.seconds(d))));
            Responses.problem(response, callback, e.problem());
        } catch (ValidationException e) {
            Responses.problem(response, callback, new ApiError(e).problem);
        } catch (ConflictException e) {
            Responses.problem(response, callback, new Problem("about:blank", "Conflict", 409, e.getMessage(),
                    List.of(new Problem.FieldError(e.field(), e.getMessage()))));
        } catch (IOException e) {
            Responses.problem(response, callback, 400, "Bad request", "the request body could not be read");
        } catch (dev.drawbridge.proxy.identity.PasswordHasher.Busy e) {
            // Setting a password hashes it: all hashing permits stayed taken (a flood of sign-ins). Not an error of ours.
            response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            Responses.problem(response, callback, 429, "Too many requests", "the server is busy checking passwords; try again in 1 s");
        } catch (Exception e) {
            LOG.error("admin API {} {} failed", request.getMethod(), Request.getPathInContext(request), e);
            Responses.problem(response, callback, 500, "Internal error", "the server could not complete the request; see its log");
        }
    }

    private void route(String method, String[] seg, Request request, Response response, Callback callback)
            throws Exception {
        String resource = seg[0];
        String id = seg.length > 1 && !seg[1].isEmpty() ? seg[1] : null;
        String action = seg.length > 2 ? seg[2] : null;
        switch (resource) {
            default -> throw notFound();
        }
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

    /** The {@code offset} and {@code limit} of a list call. */
    record Paging(int offset, int limit) {
    }

    static Paging paging(Request request) throws ValidationException {
        var params = Request.extractQueryParameters(request);
        int offset = intParam(params.getValue("offset"), 0, "offset");
        int limit = intParam(params.getValue("limit"), 100, "limit");
        if (offset < 0) {
            throw new ValidationException("offset", "offset must be 0 or more");
        }
        if (limit < 1 || limit > 1000) {
            throw new ValidationException("limit", "limit must be between 1 and 1000");
        }
        return new Paging(offset, limit);
    }

    static <T> Page<T> page(List<T> all, Request request) throws ValidationException {
        Paging p = paging(request);
        return new Page<>(all.stream().skip(p.offset()).limit(p.limit()).toList(), p.offset(), p.limit(), all.size());
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
