package dev.drawbridge.proxy.admin;

import dev.drawbridge.model.api.Problem;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.web.Responses;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The admin REST API under {@code /api/v1/}, one request through one chain, every step driven by {@link AdminRoutes}:
 * <pre>
 *   openapi.json                 → {@link OpenApi}'s description of the table (no token)
 *   a route without a token      → POST auth/token only ({@link AdminAuth} rate-limits and logs each attempt)
 *   authenticate the bearer      → 401 with WWW-Authenticate
 *   match the route table        → 404 "no such endpoint" / 405 with Allow (deny by default)
 *   the route's permission       → 403, logged at WARN and audited as access.denied
 *   {@link UserGuard}                    → for a route that changes a user: the caller's roles against the target's
 *   the route's handler          → its resource's method, given the {@link Caller} and an {@link JettyAdminRequest}
 *   its {@link Answer}                   → JSON, 204 or bytes; an exception → a problem document ({@link AdminProblems})
 * </pre>
 */
public final class AdminApiHandler {
    public static final String PREFIX = "/api/v1/";
    /** Detail of the 404 for a path no operation has (as opposed to a missing resource). */
    public static final String NO_ENDPOINT = "no such endpoint; GET /api/v1/openapi.json lists them";
    private static final Logger LOG = LoggerFactory.getLogger(AdminApiHandler.class);

    private final AdminAuth auth;
    private final UserGuard guard;
    private final AuditLog audit;
    private final String adminUrl;
    private final AdminResources resources;

    /**
     * @param adminUrl  the admin host's URL, the OpenAPI document's server
     * @param resources the objects the route table's handlers run on; every route's must be there
     */
    public AdminApiHandler(AdminAuth auth, DirectoryStore users, AuditLog audit, String adminUrl, AdminResources resources) {
        resources.requireAll(AdminRoutes.all());
        this.auth = auth;
        this.guard = new UserGuard(users, auth.roles(), audit);
        this.audit = audit;
        this.adminUrl = adminUrl;
        this.resources = resources;
    }

    public void handle(Request request, Response response, Callback callback) {
        String rest = Request.getPathInContext(request).substring(PREFIX.length());
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
            Responses.json(response, callback, 200, OpenApi.document(adminUrl));
            return;
        }
        String[] seg = rest.split("/", -1);
        if (AdminRoutes.withoutToken(seg)) {
            // The admin sign-in: no bearer token to check, and so no permission.
            AdminProblems.answer(request, response, callback, () -> {
                if (!(AdminRoutes.match(method, seg) instanceof AdminRoutes.Match.Found f)) {
                    throw ApiException.notAllowed();
                }
                dispatch(f.route(), Caller.ANONYMOUS, seg, request, response, callback);
            });
            return;
        }
        Optional<Caller> caller = auth.authenticate(bearer(request));
        if (caller.isEmpty()) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, AdminProblems.REALM);
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
            case AdminRoutes.Match.Found f -> AdminProblems.answer(request, response, callback,
                    () -> guard.run(c, f.route(), seg, request, checked -> dispatch(f.route(), c, seg, checked, response, callback)));
        }
    }

    private static String bearer(Request request) {
        String header = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        return header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).strip() : null;
    }

    /** Runs the route's handler with the caller and writes its answer. */
    private void dispatch(AdminRoutes.Route route, Caller caller, String[] seg, Request request, Response response, Callback callback)
            throws Exception {
        Answer answer = route.handler().invoke(resources, caller, new JettyAdminRequest(request, route.parameters(seg)));
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

    /** A caller whose roles do not grant the route's permission: 403, a WARN line, an access.denied audit entry. */
    private void deny(Caller c, AdminRoutes.Route route, String method, String path, Response response, Callback callback) {
        String needed = route.permission() == null ? "an admin role" : "the " + route.permission() + " permission";
        LOG.warn("admin API: {} denied {} /api/v1/{} (needs {}, holds {})", c.subject(), method, path, needed, c.roles());
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("method", method);
        detail.put("path", "/api/v1/" + path);
        detail.put("requiredPermission", route.permission() == null ? "ANY_ADMIN" : route.permission().name());
        detail.put("roles", c.roles());
        audit.record(c.subject(), "access.denied", "api", cut(method + " " + route.template(), 64), null, detail);
        Responses.problem(response, callback, new Problem(UserGuard.FORBIDDEN, "Forbidden", 403,
                "this call needs " + needed + ", which none of your roles " + c.roles() + " grants", List.of()));
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
