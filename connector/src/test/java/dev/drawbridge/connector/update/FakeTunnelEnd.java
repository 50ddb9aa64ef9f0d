package dev.drawbridge.connector.update;

import dev.drawbridge.model.tunnel.FrameCodec;
import dev.drawbridge.model.tunnel.Multiplexer;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.TunnelStream;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/** Test fixture: the server's end of a tunnel on the {@link FakeTunnelPort}: answers pings, opens streams when a test asks (public for Jetty). */
public final class FakeTunnelEnd implements Session.Listener.AutoDemanding {
    private final AtomicInteger opened;
    private volatile Multiplexer mux;

    FakeTunnelEnd(AtomicInteger opened) {
        this.opened = opened;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        opened.incrementAndGet();
        mux = new Multiplexer(frame -> session.sendBinary(FrameCodec.encode(frame), Callback.NOOP), null, Thread::startVirtualThread);
    }

    /** Opens a stream to the connector on this tunnel, as the proxy does for a request. */
    TunnelStream open(RequestHead head) throws IOException {
        return mux.open(head);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        try {
            mux.receive(FrameCodec.decode(payload));
            callback.succeed();
        } catch (Exception e) {
            callback.fail(e);
        }
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        Multiplexer m = mux;
        if (m != null) {
            m.close("closed");
        }
    }
}
