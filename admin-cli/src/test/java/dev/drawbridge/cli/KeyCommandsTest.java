package dev.drawbridge.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code drawbridge keys} against a JDK HttpServer playing the admin API: {@code rotate} is one POST to /keys/rotate and says
 * the generation and when the new keys sign; {@code show} is one GET and sends nothing else; a refusal (403) is one sentence
 * on stderr with a non-zero exit.
 */
class KeyCommandsTest {
    static final String KEYS = "/api/v1/keys";
    static final String ROTATE = "/api/v1/keys/rotate";
    static final String ROTATED = """
            {"generation":1,"keys":[
             {"set":"signing","keyId":"k0","state":"signing","publishedAt":"2026-12-07T12:00:00Z","signsFrom":"2026-12-07T12:00:00Z",
              "retiresAt":"2026-12-07T21:05:30Z"},
             {"set":"signing","keyId":"k1","state":"pending","publishedAt":"2026-12-07T13:00:00Z","signsFrom":"2026-12-07T13:00:30Z"}]}""";
    @TempDir
    Path dir;
    FakeAdminServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeAdminServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private FakeAdminServer.Run run(String... args) {
        return server.run(dir.resolve("config"), "", args);
    }

    @Test
    void rotateIsOnePostAndSaysWhenTheNewKeysSign() {
        server.answer("POST", ROTATE, 200, ROTATED);
        FakeAdminServer.Run r = run("keys", "rotate");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Rotated the signing keys (generation 1); the new keys sign from 2026-12-07T13:00:30Z");
        assertThat(server.received("POST", ROTATE)).hasSize(1);
        assertThat(server.received("GET", KEYS)).isEmpty();
    }

    @Test
    void showReadsAndChangesNothing() {
        server.answer("GET", KEYS, 200, ROTATED);
        FakeAdminServer.Run r = run("keys", "show", "--output", "json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("\"k1\"").contains("pending");
        assertThat(server.received("POST", ROTATE)).isEmpty();
    }

    @Test
    void aRefusalIsOneSentence() {
        server.answer("POST", ROTATE, 403, """
                {"type":"about:blank","title":"Forbidden","status":403,"detail":"your roles lack the permission SIGNING_KEYS_ROTATE"}""");
        FakeAdminServer.Run r = run("keys", "rotate");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("SIGNING_KEYS_ROTATE").doesNotContain("Exception");
    }

    @Test
    void retireAsksFirstAndWithoutATerminalNeedsYes() {
        String retire = "/api/v1/keys/k0/retire";
        server.answer("GET", KEYS, 200, ROTATED);
        server.answer("POST", retire, 200, ROTATED);
        FakeAdminServer.Run asked = run("keys", "retire", "k0");
        assertThat(asked.exit()).isNotZero();
        assertThat(asked.err()).contains("--yes").contains("k0").doesNotContain("Exception");
        assertThat(server.received("POST", retire)).as("nothing retired unconfirmed").isEmpty();

        FakeAdminServer.Run unknown = run("keys", "retire", "k9");
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("no signing key has the id k9");

        FakeAdminServer.Run r = run("keys", "retire", "k0", "--yes");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Retired signing key k0 (generation 1)");
        assertThat(server.received("POST", retire)).hasSize(1);
    }

    @Test
    void retiringTheSigningKeyWithoutANewerOneSaysToRotateFirst() {
        String retire = "/api/v1/keys/k0/retire";
        server.answer("POST", retire, 409, """
                {"type":"about:blank","title":"Conflict","status":409,"detail":"the key k0 signs now and no newer key exists: rotate the keys first"}""");
        FakeAdminServer.Run r = run("keys", "retire", "k0", "--yes");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("rotate the keys first").doesNotContain("Exception");
    }
}
