package dev.drawbridge.proxy.admin.directory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.proxy.federation.ProvidersFixture;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.drawbridge.proxy.federation.ProvidersFixture.json;
import static dev.drawbridge.proxy.federation.ProvidersFixture.settings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/v1/identity-providers} on a real server: several providers listed, created, replaced and deleted by id;
 * {@code /identity-providers/oidc} of earlier versions is the provider {@code oidc}; bad input is a 400 naming its field
 * (an issuer that is not an https URL, an id that is not a slug, an email domain that is not one, a domain another
 * provider lists in any spelling: case, trailing dot, Unicode or punycode); secrets never come back.
 */
class IdentityProvidersAdminApiTest {
    @TempDir
    static Path dir;
    static ProvidersFixture f;

    @BeforeAll
    static void start() throws Exception {
        f = new ProvidersFixture(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    static void assertFieldError(ContentResponse r, String field) throws Exception {
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(400);
        assertThat(json(r).path("errors").findValuesAsText("field")).as(r.getContentAsString()).contains(field);
    }

    @Test
    void providersAreListedCreatedReplacedAndDeletedByIdAndOidcIsTheOldRoute() throws Exception {
        ContentResponse created = f.admin("POST", "identity-providers", settings("partner", "https://partner.example/realms/p", "Partner",
                List.of("Partner.Example.", "bücher.example")));
        assertThat(created.getStatus()).as(created.getContentAsString()).isEqualTo(201);
        JsonNode body = json(created);
        assertThat(body.path("clientSecret").asText()).isEqualTo("********");
        assertThat(body.path("emailDomains").findValuesAsText("")).isEmpty();
        assertThat(body.path("emailDomains").toString()).isEqualTo("[\"partner.example\",\"xn--bcher-kva.example\"]");
        assertThat(created.getContentAsString()).doesNotContain("secret of partner");

        Map<String, Object> old = new HashMap<>(settings("oidc", "https://idp.corp.example/realms/corp", "Corp ID", List.of("corp.example")));
        old.remove("id");
        assertThat(f.admin("PUT", "identity-providers/oidc", old).getStatus()).isEqualTo(200);
        assertThat(json(f.admin("GET", "identity-providers/oidc", null)).path("id").asText()).isEqualTo("oidc");
        // A client of an earlier version knows no emailDomains: its PUT keeps them.
        Map<String, Object> oldClient = new HashMap<>(old);
        oldClient.remove("emailDomains");
        oldClient.put("displayName", "Corp ID, renamed");
        oldClient.put("clientSecret", "********");
        assertThat(f.admin("PUT", "identity-providers/oidc", oldClient).getStatus()).isEqualTo(200);
        assertThat(json(f.admin("GET", "identity-providers/oidc", null)).path("emailDomains").toString()).isEqualTo("[\"corp.example\"]");
        assertThat(json(f.admin("GET", "identity-providers", null)).findValuesAsText("id")).containsExactly("oidc", "partner");
        assertThat(f.admin("POST", "identity-providers", settings("partner", "https://x.example/", "X", List.of())).getStatus()).isEqualTo(409);

        Map<String, Object> renamed = new HashMap<>(settings("partner", "https://partner.example/realms/p", "Partner SSO", List.of("partner.example")));
        renamed.put("clientSecret", "********");
        ContentResponse replaced = f.admin("PUT", "identity-providers/partner", renamed);
        assertThat(replaced.getStatus()).as(replaced.getContentAsString()).isEqualTo(200);
        assertThat(json(f.admin("GET", "identity-providers/partner", null)).path("displayName").asText()).isEqualTo("Partner SSO");
        assertFieldError(f.admin("PUT", "identity-providers/partner", settings("other", "https://partner.example/realms/p", "P", List.of())), "id");

        assertThat(f.admin("DELETE", "identity-providers/partner", null).getStatus()).isEqualTo(204);
        assertThat(f.admin("GET", "identity-providers/partner", null).getStatus()).isEqualTo(404);
        assertThat(f.admin("DELETE", "identity-providers/oidc", null).getStatus()).isEqualTo(204);
        assertThat(json(f.admin("GET", "identity-providers", null)).size()).isZero();
    }

    @Test
    void badSettingsAreA400NamingTheField() throws Exception {
        for (String issuer : List.of("not a url", "ftp://idp.example/", "http://idp.example/realms/corp", "https://idp.example/?x=1", "")) {
            assertFieldError(f.admin("POST", "identity-providers", settings("bad", issuer, "Bad", List.of())), "issuer");
        }
        for (String id : List.of("", "Upper", "-dash", "with space", "a/b", "x".repeat(41))) {
            assertFieldError(f.admin("POST", "identity-providers", settings(id, "https://idp.example/", "Bad", List.of())), "id");
        }
        for (String domain : List.of("*.corp.example", "alice@corp.example", "com", "corp..example", "corp_example.com", "")) {
            assertFieldError(f.admin("POST", "identity-providers", settings("bad", "https://idp.example/", "Bad", List.of(domain))), "emailDomains");
        }
        assertThat(f.admin("GET", "identity-providers/bad", null).getStatus()).isEqualTo(404);
        assertFieldError(f.admin("PUT", "identity-providers/Upper", settings("Upper", "https://idp.example/", "Bad", List.of())), "id");
        assertThat(f.admin("GET", "identity-providers/Upper", null).getStatus()).isEqualTo(404);
    }

    @Test
    void aDomainListedByOneProviderIsRefusedForAnotherInEverySpelling() throws Exception {
        assertThat(f.admin("POST", "identity-providers", settings("first", "https://first.example/", "First", List.of("shared.example",
                "bücher.example"))).getStatus()).isEqualTo(201);
        for (String spelling : List.of("shared.example", "SHARED.Example", "shared.example.", " shared.example ", "xn--bcher-kva.example",
                "BÜCHER.example")) {
            assertFieldError(f.admin("POST", "identity-providers", settings("second", "https://second.example/", "Second", List.of(spelling))),
                    "emailDomains");
            assertFieldError(f.admin("PUT", "identity-providers/second", settings("second", "https://second.example/", "Second", List.of(spelling))),
                    "emailDomains");
        }
        assertThat(f.admin("GET", "identity-providers/second", null).getStatus()).isEqualTo(404);
        // The provider itself may list its own domain again.
        assertThat(f.admin("PUT", "identity-providers/first", settings("first", "https://first.example/", "First", List.of("SHARED.example")))
                .getStatus()).isEqualTo(200);
        assertThat(f.admin("DELETE", "identity-providers/first", null).getStatus()).isEqualTo(204);
    }
}
