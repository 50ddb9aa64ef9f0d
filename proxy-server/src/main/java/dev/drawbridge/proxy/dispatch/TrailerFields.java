package dev.drawbridge.proxy.dispatch;

import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.http.HopByHop;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.ResponseHead;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.forwarding.ClientHeaders;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Request;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * HTTP trailers through the proxy (gRPC's {@code grpc-status} and {@code grpc-message} travel there). A client's request
 * trailers are forwarded under the rules of its headers, stricter: every name Drawbridge strips or sets itself
 * ({@link ClientHeaders}, hop-by-hop, Host, Authorization, Cookie, the app's single sign-on headers) is dropped, so a
 * backend that merges trailers into headers learns nothing a header could not tell it. An app's response trailers reach
 * the client without hop-by-hop fields and Set-Cookie (which {@link ResponseRewriter} never saw). A gRPC answer that ends
 * without any status (the trailers were lost: the connector is older and does not relay them) gets
 * {@code grpc-status: 13} (INTERNAL) with a message saying so, never a silent success.
 */
final class TrailerFields {
    /** Request trailer names never forwarded, besides {@link ClientHeaders#isStripped} and hop-by-hop ones. */
    private static final Set<String> NEVER = Set.of("host", "authorization", "cookie", "content-length", "content-type",
            "content-encoding", "x-request-id", "expect", "range", "if-range");
    /** The message a client gets when a gRPC answer's trailers did not come through. */
    static final String LOST = "the gRPC status was lost between the app and Drawbridge: the connector does not relay trailers "
            + "(update it)";

    private TrailerFields() {
    }

    /** Whether the client can receive trailers: HTTP/2 always, HTTP/1.1 when it said so ({@code TE: trailers}). */
    static boolean clientTakesThem(Request request) {
        if (request.getConnectionMetaData().getHttpVersion().getVersion() >= HttpVersion.HTTP_2.getVersion()) {
            return true;
        }
        return request.getHeaders().getValuesList(HttpHeader.TE).stream()
                .anyMatch(v -> v.toLowerCase(Locale.ROOT).contains("trailers"));
    }

    /** The client's trailers as the app may get them. */
    static List<HeaderField> forApp(PublishedApp app, HttpFields trailers) {
        if (trailers == null) {
            return List.of();
        }
        Set<String> sso = app.sso().method() == SsoMethod.BASIC ? Set.of("authorization")
                : Set.copyOf(app.sso().headers().stream().map(r -> ClientHeaders.canonical(r.name())).toList());
        List<HeaderField> out = new ArrayList<>();
        for (HttpField f : trailers) {
            String c = ClientHeaders.canonical(f.getName());
            if (HopByHop.isHopByHop(f.getName()) || ClientHeaders.isStripped(f.getName()) || NEVER.contains(c) || sso.contains(c)
                    || HopByHop.isHopByHop(c)) {
                continue;
            }
            out.add(new HeaderField(f.getName(), f.getValue()));
        }
        return out;
    }

    /** The app's trailers as the client gets them; null for none. */
    static HttpFields forClient(ResponseHead head, List<HeaderField> received) {
        HttpFields.Mutable out = HttpFields.build();
        for (HeaderField f : received) {
            String n = f.name().toLowerCase(Locale.ROOT);
            if (!HopByHop.isHopByHop(n) && !n.equals("set-cookie") && !n.equals("content-length")) {
                out.add(f.name(), f.value());
            }
        }
        if (out.size() == 0 && isGrpc(head) && head.headers().stream().noneMatch(h -> h.name().equalsIgnoreCase("grpc-status"))) {
            out.add("grpc-status", "13");
            // Printable ASCII without '%': the percent-encoding gRPC asks of grpc-message leaves it as it is.
            out.add("grpc-message", LOST);
        }
        return out.size() == 0 ? null : out;
    }

    /** Whether a response is gRPC's ({@code application/grpc} or {@code application/grpc+<codec>}). */
    static boolean isGrpc(ResponseHead head) {
        return head.headers().stream().filter(h -> h.name().equalsIgnoreCase("content-type")).findFirst()
                .map(h -> h.value().split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
                .map(t -> t.equals("application/grpc") || t.startsWith("application/grpc+")).orElse(false);
    }
}
