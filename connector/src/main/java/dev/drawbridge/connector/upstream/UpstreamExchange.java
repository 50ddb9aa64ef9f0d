package dev.drawbridge.connector.upstream;

import dev.drawbridge.model.http.HopByHop;
import dev.drawbridge.model.tunnel.BodyChunks;
import dev.drawbridge.model.tunnel.FrameCodec;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.ResponseHead;
import dev.drawbridge.model.tunnel.StreamResetException;
import dev.drawbridge.model.tunnel.TunnelStream;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.OutputStreamRequestContent;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpField;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One request carried from a tunnel stream to the internal app ({@code connectorToUpstream}) and
 * its response carried back. Both bodies stream with bounded memory: the tunnel's credit window on
 * one side, Jetty's demand on the other. Runs on its own virtual thread.
 */
public final class UpstreamExchange {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamExchange.class);
    /** Bodies up to this size (with a Content-Length) go in one WHOLE frame with the head. */
    static final int WHOLE_LIMIT = 16 * 1024;
    private final HttpClient http;

    public UpstreamExchange(HttpClient http) {
        this.http = http;
    }

    public void run(TunnelStream stream) {
        RequestHead head = stream.request();
        Request request;
        try {
            request = http.newRequest(URI.create(head.upstreamUri())).method(head.method())
                    .idleTimeout(head.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (IllegalArgumentException e) {
            stream.reset(ResetCode.UPSTREAM_UNREACHABLE, "invalid internal URL: " + e.getMessage());
            return;
        }
        boolean hasBody = head.body();
        List<HeaderField> headers = HopByHop.strip(head.headers());
        request.headers(h -> {
            for (HeaderField f : headers) {
                if (!f.name().equalsIgnoreCase("expect")) {
                    h.add(new HttpField(f.name(), f.value()));
                }
            }
        });
        OutputStreamRequestContent content = null;
        if (hasBody) {
            content = new OutputStreamRequestContent(head.header("Content-Type").orElse(null));
            request.body(content);
        }
        InputStreamResponseListener listener = new CountingResponseListener();
        request.send(listener);
        if (content != null) {
            OutputStreamRequestContent body = content;
            Thread.startVirtualThread(() -> pumpUp(stream, body, request));
        }
        Response response;
        try {
            response = listener.get(head.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            request.abort(e);
            stream.reset(ResetCode.UPSTREAM_TIMEOUT, "no response within " + head.timeout().toSeconds() + " s");
            return;
        } catch (ExecutionException e) {
            ResetCode code = classify(e.getCause());
            stream.reset(code, describe(e.getCause()));
            LOG.debug("{} {} failed: {}", head.method(), head.upstreamUri(), e.getCause().toString());
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.abort(e);
            stream.reset(ResetCode.CANCEL, "connector stopping");
            return;
        }
        List<HeaderField> out = new ArrayList<>();
        for (HttpField f : response.getHeaders()) {
            out.add(new HeaderField(f.getName(), f.getValue()));
        }
        try (InputStream in = listener.getInputStream()) {
            long length = response.getHeaders().getLongField(org.eclipse.jetty.http.HttpHeader.CONTENT_LENGTH);
            if (length >= 0 && length <= WHOLE_LIMIT) {
                // Small answers are the common case: head, body and end travel as one frame.
                byte[] body = in.readNBytes((int) length);
                stream.sendWhole(new ResponseHead(response.getStatus(), out), body);
                return;
            }
            stream.sendHead(new ResponseHead(response.getStatus(), out));
            // Up to one full DATA frame, topped up from what has already arrived (never waiting for more).
            int size = FrameCodec.MAX_DATA_PAYLOAD;
            byte[] buf = new byte[length >= 0 && length < size ? (int) Math.max(length, 1) : size];
            int n;
            while ((n = BodyChunks.readAvailable(in, buf, 0, buf.length)) >= 0) {
                stream.write(buf, 0, n);
            }
            stream.endOutput();
        } catch (StreamResetException e) {
            // The proxy gave up (client gone): stop reading from the app.
            request.abort(e);
        } catch (IOException e) {
            request.abort(e);
            stream.reset(ResetCode.UPSTREAM_ERROR, "the internal app failed mid-response: " + e.getMessage());
        }
    }

    private static void pumpUp(TunnelStream stream, OutputStreamRequestContent content, Request request) {
        try (InputStream in = stream.inputStream(); OutputStream out = content.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            request.abort(e);
        }
    }

    static ResetCode classify(Throwable t) {
        Throwable c = t;
        while (c != null) {
            if (c instanceof ConnectException || c instanceof UnknownHostException || c instanceof UnresolvedAddressException
                    || c instanceof SSLException) {
                return ResetCode.UPSTREAM_UNREACHABLE;
            }
            if (c instanceof TimeoutException || c instanceof java.net.SocketTimeoutException) {
                return ResetCode.UPSTREAM_TIMEOUT;
            }
            c = c.getCause();
        }
        return ResetCode.UPSTREAM_ERROR;
    }

    static String describe(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getMessage() == null) {
            c = c.getCause();
        }
        String m = c.getMessage();
        String kind = c.getClass().getSimpleName();
        return switch (classify(t)) {
            case UPSTREAM_UNREACHABLE -> "connection failed (" + kind + (m == null ? "" : ": " + m) + ")";
            case UPSTREAM_TIMEOUT -> "timed out";
            default -> kind + (m == null ? "" : ": " + m);
        };
    }
}
