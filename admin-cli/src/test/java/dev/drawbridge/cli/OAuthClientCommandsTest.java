package dev.drawbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.cli.OfflineCli.Run;
import dev.drawbridge.model.api.OAuthGrant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code drawbridge oauth-clients} without a server: a client the rules refuse is refused here, every problem on its
 * own line naming the flag, with exit 2 and nothing sent (the server given is a closed port: a call would exit 3);
 * grants spelt as flags; the table.
 */
class OAuthClientCommandsTest {
    @TempDir
    Path config;

    private Run run(String... args) throws Exception {
        return OfflineCli.run(config, args);
    }

    @Test
    void everyProblemIsReportedWithItsFlagAndNothingIsSent() throws Exception {
        Run r = run("oauth-clients", "create", "--client-id", "bad id!", "--redirect-uri", "https://app.example.com/cb",
                "--redirect-uri", "http://evil.example/cb", "--redirect-uri", "com.example.app:/cb#frag", "--grant", "refresh-token");
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        List<String> lines = r.err().lines().toList();
        assertThat(lines.getFirst()).isEqualTo("error: the OAuth client is not valid, nothing was sent:");
        assertThat(lines.subList(1, lines.size())).satisfiesExactlyInAnyOrder(
                l -> assertThat(l).startsWith("  --client-id: "),
                l -> assertThat(l).startsWith("  --name: "),
                l -> assertThat(l).startsWith("  --redirect-uri: ").contains("'https://app.example.com/cb'", "https"),
                l -> assertThat(l).startsWith("  --redirect-uri: ").contains("'http://evil.example/cb'"),
                l -> assertThat(l).startsWith("  --redirect-uri: ").contains("fragment"),
                l -> assertThat(l).startsWith("  --grant: ").contains("AUTHORIZATION_CODE"));
        assertThat(r.err()).doesNotContain("cannot reach", "Exception");
    }

    @Test
    void aClientWithoutRedirectUrisOrWithAppsListedTwiceIsRefusedHere() throws Exception {
        Run r = run("oauth-clients", "create", "--name", "CLI", "--app", "HR", "--app", "HR", "--app", " ");
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("  --redirect-uri: redirectUris needs 1 to 20 redirect URIs", "  --app: ");
        assertThat(r.err()).doesNotContain("cannot reach");
    }

    @Test
    void grantsAreSpeltAsFlagsInAnyCase() throws Exception {
        OAuthClientCommands.GrantConverter c = new OAuthClientCommands.GrantConverter();
        assertThat(c.convert("authorization-code")).isEqualTo(OAuthGrant.AUTHORIZATION_CODE);
        assertThat(c.convert("Refresh_Token")).isEqualTo(OAuthGrant.REFRESH_TOKEN);
        assertThatThrownBy(() -> c.convert("client-credentials")).hasMessage(
                "expected one of authorization-code, refresh-token but was 'client-credentials'");
        Run r = run("oauth-clients", "create", "--name", "CLI", "--redirect-uri", "http://127.0.0.1/cb", "--grant", "implicit");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().lines().toList()).singleElement().asString()
                .contains("--grant", "authorization-code, refresh-token", "'implicit'", "'drawbridge oauth-clients create --help'");
    }

    @Test
    void aValidClientIsSent() throws Exception {
        // Valid: it gets as far as the server, which is not there (exit 3), so the local check let it through.
        Run r = run("oauth-clients", "create", "--name", "CLI", "--redirect-uri", "http://127.0.0.1/cb", "--redirect-uri",
                "com.example.cli:/cb");
        assertThat(r.exit()).as(r.err()).isEqualTo(CliException.UNREACHABLE);
    }

    @Test
    void theTableShowsGrantsRedirectsAndAnyApp() throws Exception {
        JsonNode clients = CliFormattingTest.json("""
                [{"clientId": "com.example.cli", "displayName": "CLI", "redirectUris": ["http://127.0.0.1/cb", "com.example.cli:/cb"],
                  "grants": ["AUTHORIZATION_CODE", "REFRESH_TOKEN"], "appIds": [], "createdAt": "2026-05-01T10:00:00Z",
                  "updatedAt": "2026-05-01T10:00:00Z"},
                 {"clientId": "tool", "displayName": "Tool", "redirectUris": ["http://[::1]/cb"], "grants": ["AUTHORIZATION_CODE"],
                  "appIds": ["a1", "a2"], "createdAt": "2026-05-01T10:00:00Z", "updatedAt": "2026-05-02T10:00:00.5Z"}]""");
        assertThat(Table.render(Columns.OAUTH_CLIENTS, Output.items(clients))).isEqualTo("""
                CLIENT ID        NAME  GRANTS                            REDIRECT URIS                            APPS   UPDATED
                com.example.cli  CLI   AUTHORIZATION_CODE,REFRESH_TOKEN  http://127.0.0.1/cb,com.example.cli:/cb  any    2026-05-01T10:00:00Z
                tool             Tool  AUTHORIZATION_CODE                http://[::1]/cb                          a1,a2  2026-05-02T10:00:00Z
                """);
    }
}
