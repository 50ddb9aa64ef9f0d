package dev.drawbridge.systemtests.proxy;

import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Through a connector older than the TRAILERS frame (it announces no tunnel features), an app's trailers cannot come
 * back: a gRPC call whose status travels in them ends INTERNAL with a message naming the cause, never as a success
 * without a status; a call whose status came with the headers (trailers-only) keeps it.
 */
class GrpcOlderConnectorTest {
    @TempDir
    static Path dir;
    static DrawbridgeStack stack;
    static GrpcBackend backend;
    static ManagedChannel channel;

    @BeforeAll
    static void start() throws Exception {
        backend = GrpcBackend.start();
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        stack.publish("gRPC app", "grpc", URI.create("http://127.0.0.1:" + backend.port() + "/"));
        stack.startConnectorWithoutSso(dir.resolve("c"), 1);
        channel = GrpcThroughTunnelTest.channel(stack, "grpc.localhost");
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        stack.close();
        backend.close();
    }

    @Test
    void aStatusInLostTrailersBecomesInternal() {
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, GrpcBackend.UNARY, GrpcThroughTunnelTest.options(), "hi"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
                    assertThat(e.getStatus().getDescription()).contains("does not relay trailers");
                });
    }

    @Test
    void aTrailersOnlyStatusStillArrives() {
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, GrpcBackend.FAIL, GrpcThroughTunnelTest.options(), "bob"))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }
}
