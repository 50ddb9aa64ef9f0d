package dev.drawbridge.proxy;

import dev.drawbridge.proxy.admin.AdminApiHandler;
import dev.drawbridge.proxy.registration.EndpointsHandler;
import dev.drawbridge.proxy.registration.RegistrationHandler;
import dev.drawbridge.proxy.web.Responses;
import dev.drawbridge.proxy.web.UnreadBody;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.Map;

/** The admin host: health check, connector registration and endpoints, and the admin API. */
public final class ManagementHandler {
    private final AdminApiHandler api;
    private final RegistrationHandler registration;
    private final EndpointsHandler endpoints;

    public ManagementHandler(AdminApiHandler api, RegistrationHandler registration, EndpointsHandler endpoints) {
        this.api = api;
        this.registration = registration;
        this.endpoints = endpoints;
    }

    public boolean handle(Request request, Response original, Callback callback) throws Exception {
        // Answers here are often written before a body is read (a 404, a 401, a path that does not parse): the admin
        // client pools connections and must never be handed one that closes after the answer.
        Response response = UnreadBody.guard(request, original);
        String path = Request.getPathInContext(request);
        if (path.equals("/healthz")) {
            Responses.json(response, callback, 200, Map.of("status", "ok"));
        } else if (path.equals(RegistrationHandler.PATH)) {
            registration.handle(request, response, callback);
        } else if (path.equals(EndpointsHandler.PATH)) {
            endpoints.handle(request, response, callback);
        } else if (path.startsWith(AdminApiHandler.PREFIX)) {
            api.handle(request, response, callback);
        } else {
            Responses.problem(response, callback, 404, "Not found", "the admin host serves /api/v1/, " + RegistrationHandler.PATH + ", "
                    + EndpointsHandler.PATH + " and /healthz");
        }
        return true;
    }
}
