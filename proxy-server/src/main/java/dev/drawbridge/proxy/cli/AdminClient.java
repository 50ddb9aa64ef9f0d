package dev.drawbridge.proxy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.model.http.LocalhostNames;
import dev.drawbridge.proxy.web.Json;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A minimal admin API client for the CLI: bearer credential, the server CA as trust anchor. */
final class AdminClient implements AutoCloseable {
    /** Options every admin command shares. */
    static final class Options {
        @Option(names = "--server", description = "Admin URL (default: ${DEFAULT-VALUE})")
        URI server = URI.create(System.getenv().getOrDefault("DRAWBRIDGE_SERVER", "https://admin.localhost:8443"));
        @Option(names = "--admin-token", description = "Admin credential (default: $DRAWBRIDGE_ADMIN_TOKEN)")
        String token = System.getenv("DRAWBRIDGE_ADMIN_TOKEN");
        @Option(names = "--ca-file", description = "Server CA PEM (default: ${DEFAULT-VALUE})")
        Path caFile = Path.of(System.getenv().getOrDefault("DRAWBRIDGE_DATA", "drawbridge-data"), "pki", "server-ca.pem");

        @Spec(Spec.Target.MIXEE)
        CommandSpec spec;

        /** A call that prints its JSON answer. */
        interface Call {
            JsonNode apply(AdminClient c) throws Exception;
        }

        int run(Call call) {
            java.io.PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
            if (token == null || token.isBlank()) {
                err.println("error: no admin credential; pass --admin-token or set DRAWBRIDGE_ADMIN_TOKEN");
                return 2;
            }
            try (AdminClient c = new AdminClient(server, token, caFile)) {
                JsonNode r = call.apply(c);
                if (r != null) {
                    out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(r));
                }
                return 0;
            } catch (ApiException e) {
                err.println("error: " + e.getMessage());
                return 1;
            } catch (Exception e) {
                err.println("error: cannot call " + server + ": " + e.getMessage());
                return 1;
            }
        }
    }

    /** The API answered with a problem document. */
    static final class ApiException extends Exception {
        ApiException(String message) {
            super(message);
        }
    }

    private final HttpClient http;
    private final URI base;
    private final String token;

    AdminClient(URI server, String token, Path caFile) throws Exception {
        this.base = server;
        this.token = token;
        SslContextFactory.Client tls = new SslContextFactory.Client();
        if (Files.exists(caFile)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            try (InputStream in = Files.newInputStream(caFile)) {
                ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
            }
            tls.setTrustStore(ks);
        }
        ClientConnector cc = new ClientConnector();
        cc.setSslContextFactory(tls);
        http = new HttpClient(new org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP(cc));
        SocketAddressResolver system = http.getSocketAddressResolver();
        http.setSocketAddressResolver((host, port, ctx, promise) -> LocalhostNames.loopbackFor(host)
                .ifPresentOrElse(a -> promise.succeeded(List.of(new InetSocketAddress(a, port))),
                        () -> system.resolve(host, port, ctx, promise)));
        http.start();
    }

    JsonNode call(String method, String path, Object body) throws Exception {
        var req = http.newRequest(base.resolve("/api/v1/" + path)).method(method).timeout(30, TimeUnit.SECONDS)
                .headers(h -> h.put("Authorization", "Bearer " + token));
        if (body != null) {
            req.body(new StringRequestContent("application/json", Json.MAPPER.writeValueAsString(body)));
        }
        ContentResponse r = req.send();
        if (r.getStatus() == 204) {
            return null;
        }
        JsonNode json = Json.MAPPER.readTree(r.getContent());
        if (r.getStatus() >= 400) {
            StringBuilder m = new StringBuilder(r.getStatus() + " " + json.path("title").asText() + ": " + json.path("detail").asText());
            json.path("errors").forEach(e -> m.append("\n  - ").append(e.path("field").asText()).append(": ").append(e.path("message").asText()));
            throw new ApiException(m.toString());
        }
        return json;
    }

    @Override
    public void close() throws Exception {
        http.stop();
    }
}
