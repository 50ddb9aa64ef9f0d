package dev.drawbridge.proxy.federation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.proxy.ProxyServer;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.web.Json;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real proxy server on port 0 with a browser-like client (cookies kept, redirects not followed) and any number of
 * fake OpenID Connect providers: real Jetty servers on port 0 serving a discovery document (enough to start a sign-in;
 * they issue no tokens). For the admin API of identity providers and the sign-in page's provider choice.
 */
public final class ProvidersFixture implements AutoCloseable {
    public static final String ADMIN = "https://admin.localhost:";
    public static final String LOGIN = "https://login.localhost:";

    public final ProxyServer server;
    public final String token;
    public final HttpClient http;
    private final List<Server> issuers = new ArrayList<>();

    public ProvidersFixture(Path dir) throws Exception {
        server = ProxyServer.start(ServerConfig.defaults(dir).withPorts("127.0.0.1", 0, 0));
        token = server.newAdminToken().orElseThrow();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", server.serverCaCertificate());
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setTrustStore(ks);
        ClientConnector cc = new ClientConnector();
        cc.setSslContextFactory(tls);
        http = new HttpClient(new HttpClientTransportOverHTTP(cc));
        http.setFollowRedirects(false);
        http.setSocketAddressResolver((host, port, ctx, promise) -> promise.succeeded(List.of(new InetSocketAddress("127.0.0.1", port))));
        http.start();
    }

    /** A fake provider's issuer, {@code http://127.0.0.1:<port>/realms/<realm>}: discovery only. */
    public String issuer(String realm) throws Exception {
        Server idp = new Server();
        ServerConnector c = new ServerConnector(idp);
        c.setHost("127.0.0.1");
        idp.addConnector(c);
        String[] issuer = new String[1];
        idp.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String doc = """
                        {"issuer": "%1$s", "authorization_endpoint": "%1$s/auth", "token_endpoint": "%1$s/token", "jwks_uri": "%1$s/keys",
                         "response_types_supported": ["code"], "subject_types_supported": ["public"],
                         "id_token_signing_alg_values_supported": ["RS256"]}""".formatted(issuer[0]);
                response.getHeaders().put("Content-Type", "application/json");
                response.write(true, ByteBuffer.wrap(doc.getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        idp.start();
        issuers.add(idp);
        issuer[0] = "http://127.0.0.1:" + c.getLocalPort() + "/realms/" + realm;
        return issuer[0];
    }

    /** Settings of a provider at {@code issuer} with these email domains (a JSON object for the admin API). */
    public static Map<String, Object> settings(String id, String issuer, String name, List<String> domains) {
        return Map.of("id", id, "issuer", issuer, "clientId", "drawbridge", "clientSecret", "secret of " + id, "displayName", name,
                "emailDomains", domains);
    }

    public ContentResponse admin(String method, String path, Object body) throws Exception {
        var r = http.newRequest(ADMIN + server.publicPort() + "/api/v1/" + path).method(method)
                .headers(h -> h.put("Authorization", "Bearer " + token)).timeout(20, TimeUnit.SECONDS);
        if (body != null) {
            r.body(new StringRequestContent("application/json", Json.MAPPER.writeValueAsString(body)));
        }
        return r.send();
    }

    public static JsonNode json(ContentResponse r) throws IOException {
        return Json.MAPPER.readTree(r.getContentAsString());
    }

    public ContentResponse login(String pathAndQuery) throws Exception {
        return http.newRequest(LOGIN + server.publicPort() + pathAndQuery).timeout(20, TimeUnit.SECONDS).send();
    }

    /** A form posted on the sign-in host with the CSRF cookie the sign-in page set (get it first). */
    public ContentResponse loginForm(String path, Fields form) throws Exception {
        String csrf = http.getHttpCookieStore().all().stream().filter(c -> c.getName().endsWith("drawbridge_csrf"))
                .map(HttpCookie::getValue).findFirst().orElseThrow();
        form.put("csrf", csrf);
        return http.newRequest(LOGIN + server.publicPort() + path).method("POST").body(new FormRequestContent(form))
                .timeout(20, TimeUnit.SECONDS).send();
    }

    @Override
    public void close() throws Exception {
        http.stop();
        for (Server s : issuers) {
            s.stop();
        }
        server.close();
    }
}
