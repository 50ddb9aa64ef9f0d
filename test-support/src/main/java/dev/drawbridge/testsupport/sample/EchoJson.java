package dev.drawbridge.testsupport.sample;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sample app's JSON endpoints: {@code ANY /echo/...} (and its alias {@code /headers}) and
 * {@code POST|PUT /upload}. Request bodies are consumed as a stream through a 64 KiB buffer, so memory stays bounded
 * whatever their size. The JSON is written by hand (compact, no library needed).
 *
 * <p>The echo answer is one object:
 * <pre>{@code
 * {"method":"GET","rawPath":"/echo/a%20b/c%2Fd","canonicalPath":"/echo/a%20b/c%2Fd","decodedPath":"/echo/a b/c/d",
 *  "rawQuery":"x=1%2B2&y",
 *  "protocol":"HTTP/1.1","headers":{"host":["127.0.0.1:8080"],...},"bodyLength":0,"bodySha256":"e3b0..."}
 * }</pre>
 * {@code rawPath} and {@code rawQuery} are exactly as received (still percent-encoded; {@code rawQuery} is
 * {@code null} without a query); {@code canonicalPath} is Jetty's normalized path (dot segments resolved, still
 * encoded) and {@code decodedPath} its percent-decoded form ({@code null} if it cannot be decoded). Header names are
 * lower-cased, in arrival order, one array element per header line.
 */
final class EchoJson {

    private static final int BUFFER_SIZE = 64 * 1024;

    private EchoJson() {
    }

    /**
     * {@code ANY /echo/...}: describes the request as JSON, with response header {@code X-Echo-Method}; a query
     * parameter {@code status=NNN} (200-599) sets the status (204, 205 and 304 are answered without a body).
     */
    static void echo(Request request, Response response, Callback callback) throws IOException {
        int status = HttpStatus.OK_200;
        String statusParam = SampleHandler.queryParam(request, "status");
        if (statusParam != null) {
            try {
                status = Integer.parseInt(statusParam.trim());
            } catch (NumberFormatException e) {
                status = -1;
            }
            if (status < 200 || status > 599) {
                SampleHandler.badRequest(response, callback, "status must be a number between 200 and 599");
                return;
            }
        }

        Digest body = digest(request);

        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (HttpField field : request.getHeaders()) {
            headers.computeIfAbsent(field.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(field.getValue());
        }

        StringBuilder json = new StringBuilder(512);
        json.append("{\"method\":").append(quote(request.getMethod()));
        json.append(",\"rawPath\":").append(quote(request.getHttpURI().getPath()));
        json.append(",\"canonicalPath\":").append(quote(request.getHttpURI().getCanonicalPath()));
        json.append(",\"decodedPath\":").append(quote(decodedPath(request)));
        json.append(",\"rawQuery\":").append(quote(request.getHttpURI().getQuery()));
        json.append(",\"protocol\":").append(quote(request.getConnectionMetaData().getProtocol()));
        json.append(",\"headers\":{");
        boolean firstHeader = true;
        for (Map.Entry<String, List<String>> header : headers.entrySet()) {
            json.append(firstHeader ? "" : ",").append(quote(header.getKey())).append(":[");
            firstHeader = false;
            boolean firstValue = true;
            for (String value : header.getValue()) {
                json.append(firstValue ? "" : ",").append(quote(value));
                firstValue = false;
            }
            json.append(']');
        }
        json.append("},\"bodyLength\":").append(body.length());
        json.append(",\"bodySha256\":").append(quote(body.sha256())).append("}\n");

        response.getHeaders().put("X-Echo-Method", request.getMethod());
        if (status == HttpStatus.NO_CONTENT_204 || status == HttpStatus.RESET_CONTENT_205
                || status == HttpStatus.NOT_MODIFIED_304) {
            response.setStatus(status);
            callback.succeeded();
        } else {
            SampleHandler.send(response, callback, status, SampleHandler.JSON, json.toString());
        }
    }

    private static String decodedPath(Request request) {
        try {
            return request.getHttpURI().getDecodedPath();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** {@code POST|PUT /upload}: consumes the body as a stream and answers {@code {"bytes":n,"sha256":"hex"}}. */
    static void upload(Request request, Response response, Callback callback) throws IOException {
        Digest body = digest(request);
        SampleHandler.send(response, callback, HttpStatus.OK_200, SampleHandler.JSON,
                "{\"bytes\":" + body.length() + ",\"sha256\":" + quote(body.sha256()) + "}\n");
    }

    /** Length and lower-case hex SHA-256 of a request body. */
    record Digest(long length, String sha256) {
    }

    /** Reads the whole request body (blocking, which is fine on a virtual thread) through a fixed-size buffer. */
    static Digest digest(Request request) throws IOException {
        MessageDigest sha256 = sha256();
        long length = 0;
        byte[] buffer = new byte[BUFFER_SIZE];
        try (InputStream in = Content.Source.asInputStream(request)) {
            int read;
            while ((read = in.read(buffer)) != -1) {
                sha256.update(buffer, 0, read);
                length += read;
            }
        }
        return new Digest(length, HexFormat.of().formatHex(sha256.digest()));
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** A JSON string literal for {@code s}, or {@code null}. */
    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7F || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
