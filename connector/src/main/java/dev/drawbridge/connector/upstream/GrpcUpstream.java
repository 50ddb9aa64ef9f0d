package dev.drawbridge.connector.upstream;

import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.RequestHead;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What sets a gRPC request apart on its way to the internal app: it goes over HTTP/2 (gRPC needs it; h2c with prior
 * knowledge or h2 by ALPN), with {@code te: trailers} (the one TE value HTTP/2 allows, which gRPC servers expect), its
 * trailers sent up and the app's trailers carried back (TRAILERS frames). gRPC-Web ({@code application/grpc-web*})
 * is not gRPC here: it works over HTTP/1.1 and carries its trailers in the body.
 */
final class GrpcUpstream {
    private GrpcUpstream() {
    }

    /** Whether the request's content type is {@code application/grpc} or {@code application/grpc+<codec>}, any case. */
    static boolean isGrpc(RequestHead head) {
        return head.header("Content-Type").map(GrpcUpstream::isGrpcType).orElse(false);
    }

    static boolean isGrpcType(String contentType) {
        String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        return type.equals("application/grpc") || type.startsWith("application/grpc+");
    }

    /** Jetty's fields as the tunnel's (empty for none). */
    static List<HeaderField> fields(HttpFields fields) {
        if (fields == null) {
            return List.of();
        }
        List<HeaderField> out = new ArrayList<>(fields.size());
        for (HttpField f : fields) {
            out.add(new HeaderField(f.getName(), f.getValue()));
        }
        return out;
    }

    /** The tunnel's fields as Jetty's; null for none (Jetty then sends no trailers). */
    static HttpFields jetty(List<HeaderField> fields) {
        if (fields.isEmpty()) {
            return null;
        }
        HttpFields.Mutable out = HttpFields.build(fields.size());
        for (HeaderField f : fields) {
            out.add(f.name(), f.value());
        }
        return out;
    }
}
