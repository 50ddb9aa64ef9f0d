package dev.drawbridge.systemtests.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.SampleStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input gets a clear 4xx and breaks nothing: malformed request lines and oversized headers on
 * the public port, and invalid JSON, unknown fields, and bad URLs on the admin API (answered with
 * problem documents naming the field). The server keeps serving afterwards.
 */
class BadInputTest {
    @TempDir
    static Path dir;
    static SampleApp app;
    static SampleStack sample;
    static DrawbridgeStack stack;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        sample = SampleStack.start(dir, 1);
        app = sample.app();
        stack = sample.stack();
        url = sample.url();
    }

    @AfterAll
    static void stop() throws Exception {
        sample.close();
    }

    /** Writes raw bytes over TLS to the public port and returns the whole answer. */
    private static String raw(String request) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", stack.server().serverCaCertificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", stack.server().publicPort())) {
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName("sample.localhost")));
            s.setSSLParameters(p);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            int n;
            try {
                while ((n = in.read(buf)) >= 0) {
                    out.write(buf, 0, n);
                }
            } catch (SocketTimeoutException | SSLException e) {
                // the server may keep the connection open or reset it after answering
            }
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"GARBAGE\r\n\r\n", "GET /\r\n\r\n", "GET / HTTP/1.1\r\nHost: sample.localhost\r\nBad Header\r\n\r\n",
            "GET / HTTP/9.9\r\nHost: x\r\n\r\n", "GET /%zz HTTP/1.1\r\nHost: sample.localhost\r\nConnection: close\r\n\r\n"})
    void malformedRequestsGetAClientErrorWithoutAStackTrace(String request) throws Exception {
        String answer = raw(request);
        // 4xx, or 505 for an HTTP version the server does not speak.
        assertThat(answer).matches("(?s)HTTP/1\\.1 (4\\d\\d|505) .*");
        assertThat(answer).contains("Drawbridge");
        assertThat(answer).doesNotContain("at org.eclipse").doesNotContain("Exception");
        assertThat(stillServing()).isTrue();
    }

    @Test
    void oversizedHeadersGet431() throws Exception {
        String answer = raw("GET / HTTP/1.1\r\nHost: sample.localhost\r\nX-Big: " + "a".repeat(40_000) + "\r\nConnection: close\r\n\r\n");
        assertThat(answer).startsWith("HTTP/1.1 431");
        assertThat(stillServing()).isTrue();
    }

    @Test
    void invalidJsonIsAProblemDocument() throws Exception {
        DrawbridgeStack.ApiAnswer a = stack.api("POST", "apps", "{\"name\": \"x\", ");
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.body().path("title").asText()).isEqualTo("Invalid request");
        assertThat(a.body().path("errors").get(0).path("field").asText()).isEqualTo("body");
        assertThat(a.body().path("detail").asText()).contains("malformed JSON");
    }

    @Test
    void unknownFieldsAndWrongTypesNameTheField() throws Exception {
        DrawbridgeStack.ApiAnswer unknown = stack.api("POST", "apps", "{\"name\":\"x\",\"colour\":\"red\"}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().path("errors").get(0).path("field").asText()).isEqualTo("colour");
        DrawbridgeStack.ApiAnswer badEnum = stack.api("POST", "apps", "{\"name\":\"x\",\"backendTimeout\":\"FOREVER\"}");
        assertThat(badEnum.status()).isEqualTo(400);
        assertThat(badEnum.body().path("errors").get(0).path("field").asText()).isEqualTo("backendTimeout");
    }

    @Test
    void internalUrlThatIsNotAUrlIsRefusedNamingEveryBadField() throws Exception {
        DrawbridgeStack.ApiAnswer a = stack.api("POST", "apps",
                new AppSpec("Payroll", "http://payroll.example.com/", "payroll corp local", null, null, null, null));
        assertThat(a.status()).isEqualTo(400);
        List<String> fields = a.body().path("errors").findValuesAsText("field");
        assertThat(fields).containsExactlyInAnyOrder("externalUrl", "externalUrl", "internalUrl");
        assertThat(a.body().toString()).contains("payroll corp local");
        // Nothing was created.
        assertThat(stack.adminApi().apps().list(Paging.DEFAULT).total()).isEqualTo(1);
    }

    @Test
    void duplicateNamesAndUnknownResourcesAreClear() throws Exception {
        DrawbridgeStack.ApiAnswer dup = stack.api("POST", "apps",
                new AppSpec("Sample", stack.externalUrl("other"), "http://127.0.0.1:1/", null, null, null, null));
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.body().path("errors").get(0).path("field").asText()).isEqualTo("name");
        assertThat(stack.api("GET", "apps/no-such-id", null).status()).isEqualTo(404);
        assertThat(stack.api("GET", "nothing", null).status()).isEqualTo(404);
        assertThat(stack.api("PATCH", "apps", "{}").status()).isEqualTo(405);
    }

    private static boolean stillServing() throws Exception {
        var r = stack.http().newRequest(URI.create(url + "echo/alive")).timeout(10, TimeUnit.SECONDS).send();
        JsonNode j = Json.MAPPER.readTree(r.getContent());
        return r.getStatus() == 200 && j.path("rawPath").asText().equals("/echo/alive");
    }
}
