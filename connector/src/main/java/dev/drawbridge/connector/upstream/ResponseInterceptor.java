package dev.drawbridge.connector.upstream;

import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResponseHead;
import dev.drawbridge.model.tunnel.TunnelStream;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Response;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.Supplier;

/**
 * A look at the app's answer before it is relayed ({@link UpstreamExchange#start(TunnelStream, RequestHead,
 * ResponseInterceptor)}): single sign-on steps that answer the backend on the user's behalf (password vaulting for login
 * forms) take the stream over here. Runs on the stream's virtual thread and may block.
 */
public interface ResponseInterceptor {
    /**
     * Whether this step answered {@code stream} itself (then it has sent the answer or reset the stream); false to relay
     * {@code response} unchanged, in which case it has not opened {@code body} (which opens only once).
     */
    boolean intercept(HttpClient http, TunnelStream stream, RequestHead head, Response response, Supplier<InputStream> body)
            throws IOException;

    /** The head relayed when {@link #intercept} declined (e.g. without headers only this step may set). */
    default ResponseHead filter(ResponseHead head) {
        return head;
    }
}
