package dev.drawbridge.proxy.federation;

import com.nimbusds.oauth2.sdk.util.URLUtils;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.store.Database;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The client secret goes to one token endpoint: the one the issuer's discovery document named first after the
 * secret was entered. A provider (one real Jetty server on port 0 serving discovery) that later names another
 * token endpoint gets no sign-in, hence no secret, until an administrator enters the secret again.
 */
class TokenEndpointPinTest {
    @TempDir
    Path dir;
    Database db;
    Server idp;
    volatile String tokenEndpoint;
    String issuer;
    Federation federation;

    @BeforeEach
    void start() throws Exception {
        idp = new Server();
        ServerConnector c = new ServerConnector(idp);
        c.setHost("127.0.0.1");
        idp.addConnector(c);
        idp.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String doc = """
                        {"issuer": "%1$s", "authorization_endpoint": "%1$s/auth", "token_endpoint": "%2$s", "jwks_uri": "%1$s/keys",
                         "response_types_supported": ["code"], "subject_types_supported": ["public"],
                         "id_token_signing_alg_values_supported": ["RS256"], "authorization_response_iss_parameter_supported": true}\
                        """.formatted(issuer, tokenEndpoint);
                response.getHeaders().put("Content-Type", "application/json");
                response.write(true, ByteBuffer.wrap(doc.getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        idp.start();
        issuer = "http://127.0.0.1:" + c.getLocalPort() + "/realms/corp";
        tokenEndpoint = issuer + "/token";
        db = Database.h2(dir);
        federation = new Federation(db, DataKey.loadOrCreate(dir), new DirectoryStore(db), Clock.systemUTC(),
                URI.create("https://login.localhost/federation/callback"));
    }

    @AfterEach
    void stop() throws Exception {
        idp.stop();
        db.close();
    }

    OidcProvider provider(String name) {
        return new OidcProvider(URI.create(issuer), "drawbridge", "the-secret", name, List.of("openid"), "email", "", true);
    }

    @Test
    void aMovedTokenEndpointGetsNoSecretUntilItIsEnteredAgain() throws Exception {
        federation.save(provider("Corp ID"), true);
        assertThat(federation.begin("browser-1", Optional.empty(), "/").toString()).startsWith(issuer + "/auth?");
        // The provider's document now sends the code (and the secret with it) elsewhere; settings saved since keep the secret.
        tokenEndpoint = "https://collector.example/token";
        federation.save(provider("Corp ID, renamed"), false);
        assertThatThrownBy(() -> federation.begin("browser-2", Optional.empty(), "/")).isInstanceOf(FederationException.class)
                .hasMessageContaining("token endpoint moved").hasMessageContaining("collector.example");
        // Entered again, the secret may go to the new endpoint.
        federation.save(provider("Corp ID"), true);
        assertThat(federation.begin("browser-3", Optional.empty(), "/").toString()).startsWith(issuer + "/auth?");
    }

    /** RFC 9207: a provider whose metadata says it names itself in every response must, or the response may be another's. */
    @Test
    void aResponseWithoutTheIssuerItsProviderPromisesIsRefused() throws Exception {
        federation.save(provider("Corp ID"), true);
        URI start = federation.begin("browser-1", Optional.empty(), "/");
        String state = URLUtils.parseParameters(start.getRawQuery()).get("state").getFirst();
        Federation.Outcome outcome = federation.complete("code=stolen-elsewhere&state=" + state, "browser-1");
        assertThat(outcome).isInstanceOfSatisfying(Federation.Outcome.Refused.class,
                r -> assertThat(r.reason()).contains("names no issuer"));
    }
}
