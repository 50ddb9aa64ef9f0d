package dev.drawbridge.connector.http;

import dev.drawbridge.model.tunnel.FrameCodec;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The tunnel client's buffer pool keeps a whole DATA frame, so masking one does not allocate a buffer per frame. */
class ClientsPoolTest {
    /** A DATA frame's tunnel header (type, stream id) and the largest WebSocket frame header. */
    private static final int HEADERS = 5 + 14;

    @Test
    void theTunnelClientPoolsABufferForAWholeDataFrame() throws Exception {
        HttpClient http = Clients.serverClient(Clients.serverTls(), Optional.empty());
        try {
            http.start();
            assertThat(http.getByteBufferPool()).isInstanceOfSatisfying(ArrayByteBufferPool.class,
                    pool -> assertThat(pool.getMaxCapacity()).isGreaterThanOrEqualTo(FrameCodec.MAX_DATA_PAYLOAD + HEADERS));
        } finally {
            http.stop();
        }
    }
}
