package dev.drawbridge.connector.update;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.drawbridge.model.update.UpdateInstruction;
import dev.drawbridge.model.update.UpdateReport;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpHeader;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The connector's calls to the update endpoints of the tunnel port (mutual TLS with its client certificate, trusting only
 * the pinned server CA, through the outbound proxy when one is set): {@value #REPORT}, {@value #BUNDLE} and {@value #KEY}.
 */
public final class UpdateClient {
    public static final String REPORT = "/connector/v1/update", BUNDLE = "/connector/v1/update/bundle", KEY = "/connector/v1/update/key";
    private static final ObjectMapper JSON = JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final long DOWNLOAD_TIMEOUT_MINUTES = 15;

    /** The server answered, but not with what was asked (e.g. 404 from a server without auto-update). */
    public static final class Refused extends UpdateException {
        private final int status;

        Refused(int status, String sentence) {
            super(sentence);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Supplier<HttpClient> http;
    private final Supplier<URI> tunnelUrl;

    /**
     * @param http      the connector's server-facing client (its certificate, the pinned CA)
     * @param tunnelUrl the tunnel URL dialled now: the endpoints are on its host and port
     */
    public UpdateClient(Supplier<HttpClient> http, Supplier<URI> tunnelUrl) {
        this.http = http;
        this.tunnelUrl = tunnelUrl;
    }

    private URI endpoint(String pathAndQuery) {
        return URI.create("https://" + tunnelUrl.get().getRawAuthority() + pathAndQuery);
    }

    /** Reports where this connector is; answers the server's instruction. */
    public UpdateInstruction report(UpdateReport report) throws UpdateException {
        URI to = endpoint(REPORT);
        ContentResponse r;
        try {
            r = http.get().POST(to).body(new StringRequestContent("application/json", JSON.writeValueAsString(report)))
                    .timeout(30, TimeUnit.SECONDS).send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpdateException("interrupted", e);
        } catch (Exception e) {
            throw new UpdateException("cannot reach " + to + " (" + ManifestVerifier.rootMessage(e) + ")", e);
        }
        if (r.getStatus() != 200) {
            throw new Refused(r.getStatus(), "the server answered the update report with HTTP " + r.getStatus());
        }
        try {
            return JSON.readValue(r.getContent(), UpdateInstruction.class);
        } catch (Exception e) {
            throw new UpdateException("the server's update instruction is not valid (" + ManifestVerifier.rootMessage(e) + ")", e);
        }
    }

    /** The server's update key (public JWK JSON), for a connector registered before the server sent it. */
    public String key() throws UpdateException {
        URI to = endpoint(KEY);
        ContentResponse r;
        try {
            r = http.get().GET(to);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpdateException("interrupted", e);
        } catch (Exception e) {
            throw new UpdateException("cannot fetch the server's update key from " + to + " (" + ManifestVerifier.rootMessage(e) + ")", e);
        }
        if (r.getStatus() != 200) {
            throw new Refused(r.getStatus(), "the server did not give its update key (HTTP " + r.getStatus() + ")");
        }
        try {
            String jwk = JSON.readTree(r.getContent()).path("jwk").asText("");
            if (jwk.isBlank()) {
                throw new UpdateException("the server's answer holds no update key");
            }
            return jwk;
        } catch (IOException e) {
            throw new UpdateException("the server's update key answer is not JSON", e);
        }
    }

    /**
     * Downloads the bundle of {@code version} into {@code to} (0600), reading at most {@code size} bytes: a longer answer
     * (by its Content-Length or by what it sends) is refused as soon as it passes the size. Answers the SHA-256 (hex) of
     * what was stored; the caller compares it and the size with the signed manifest.
     */
    public String download(String version, long size, Path to) throws UpdateException {
        URI from = endpoint(BUNDLE + "?version=" + URLEncoder.encode(version, StandardCharsets.UTF_8));
        InputStreamResponseListener listener = new InputStreamResponseListener();
        http.get().newRequest(from).timeout(DOWNLOAD_TIMEOUT_MINUTES, TimeUnit.MINUTES).send(listener);
        Response r;
        try {
            r = listener.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpdateException("interrupted", e);
        } catch (Exception e) {
            throw new UpdateException("cannot download version " + version + " from " + from + " (" + ManifestVerifier.rootMessage(e) + ")", e);
        }
        try (InputStream in = listener.getInputStream()) {
            if (r.getStatus() != 200) {
                throw new Refused(r.getStatus(), "the server did not give the bundle of version " + version + " (HTTP " + r.getStatus() + ")");
            }
            long announced = r.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
            if (announced > size) {
                throw new UpdateException("the bundle of version " + version + " is " + announced + " bytes, larger than the "
                        + size + " its signed manifest says");
            }
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            Files.deleteIfExists(to);
            Files.createFile(to);
            if (UpdateFiles.posix()) {
                Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-------"));
            }
            long n = 0;
            try (OutputStream out = Files.newOutputStream(to, StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buf = new byte[64 * 1024];
                int k;
                while ((k = in.read(buf)) > 0) {
                    n += k;
                    if (n > size) {
                        r.abort(new IOException("larger than announced"));
                        throw new UpdateException("the bundle of version " + version + " is larger than the " + size
                                + " bytes its signed manifest says");
                    }
                    sha.update(buf, 0, k);
                    out.write(buf, 0, k);
                }
            }
            if (n != size) {
                throw new UpdateException("the bundle of version " + version + " is " + n + " bytes, not the " + size
                        + " its signed manifest says");
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (IOException e) {
            throw new UpdateException("cannot download version " + version + " (" + ManifestVerifier.rootMessage(e) + ")", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
