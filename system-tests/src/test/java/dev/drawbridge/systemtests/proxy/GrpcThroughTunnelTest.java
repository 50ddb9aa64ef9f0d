package dev.drawbridge.systemtests.proxy;

import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import io.grpc.CallOptions;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import org.eclipse.jetty.client.AsyncRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * gRPC end to end: a real grpc-java service behind the connector (h2c with prior knowledge), published as a passthrough
 * app, called by a real grpc-java client through the proxy's public TLS listener (HTTP/2 by ALPN, trusting the test
 * CA). Every kind of call works, bidirectional streaming is full duplex (each message is sent only after the previous
 * reply came back), an error status with its message and trailer metadata arrives intact, an 8 MiB message passes, a
 * deadline cancels the call at the app, and the identity headers a client sends never reach the app. With Jetty's HTTP/2
 * client as the gRPC client, a request's trailers reach the app (identity fields dropped) and the app's come back.
 */
class GrpcThroughTunnelTest {
    @TempDir
    static Path dir;
    static DrawbridgeStack stack;
    static GrpcBackend backend;
    static ManagedChannel channel;
    static TrailerEchoBackend trailerEcho;
    static HttpClient h2;

    @BeforeAll
    static void start() throws Exception {
        backend = GrpcBackend.start();
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        stack.publish("gRPC app", "grpc", URI.create("http://127.0.0.1:" + backend.port() + "/"));
        trailerEcho = TrailerEchoBackend.start();
        stack.publish("Trailers", "trailers", URI.create("http://127.0.0.1:" + trailerEcho.port() + "/"));
        stack.startConnector(dir.resolve("c"), 1);
        channel = channel(stack, "grpc.localhost");
        h2 = TrailerEchoBackend.h2Client(stack.server().serverCaCertificate());
    }

    @AfterAll
    static void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        stack.close();
        backend.close();
        trailerEcho.close();
        h2.stop();
    }

    /** A channel to the stack's public listener for {@code host} (SNI and :authority), trusting the server CA. */
    static ManagedChannel channel(DrawbridgeStack stack, String host) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", stack.server().serverCaCertificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        ChannelCredentials tls = TlsChannelCredentials.newBuilder().trustManager(tmf.getTrustManagers()).build();
        return Grpc.newChannelBuilderForAddress("127.0.0.1", stack.server().publicPort(), tls)
                .overrideAuthority(host + ":" + stack.server().publicPort())
                .maxInboundMessageSize(GrpcBackend.MAX_MESSAGE).build();
    }

    static CallOptions options() {
        return CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @Test
    void unaryCallsAnswer() {
        assertThat(ClientCalls.blockingUnaryCall(channel, GrpcBackend.UNARY, options(), "hello")).isEqualTo("hello");
        assertThat(ClientCalls.blockingUnaryCall(channel, GrpcBackend.UNARY, options(), "")).isEmpty();
    }

    @Test
    void serverStreamingDeliversEveryMessage() {
        Iterator<String> replies = ClientCalls.blockingServerStreamingCall(channel, GrpcBackend.SPLIT, options(), "a,b,c,d");
        List<String> got = new ArrayList<>();
        replies.forEachRemaining(got::add);
        assertThat(got).containsExactly("a", "b", "c", "d");
    }

    @Test
    void clientStreamingJoinsEveryMessage() throws Exception {
        Replies replies = new Replies();
        StreamObserver<String> requests = ClientCalls.asyncClientStreamingCall(channel.newCall(GrpcBackend.JOIN, options()), replies);
        for (String s : List.of("x", "y", "z")) {
            requests.onNext(s);
        }
        requests.onCompleted();
        assertThat(replies.next()).isEqualTo("x+y+z");
        assertThat(replies.done.get(30, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void bidirectionalStreamingIsFullDuplex() throws Exception {
        Replies replies = new Replies();
        StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(channel.newCall(GrpcBackend.CHAT, options()), replies);
        // Each message goes only after the reply to the previous one came back: a proxy that waited for the whole
        // request before relaying the response would hang here.
        for (int i = 1; i <= 5; i++) {
            requests.onNext("m" + i);
            assertThat(replies.next()).isEqualTo("re " + i + ": m" + i);
        }
        requests.onCompleted();
        assertThat(replies.done.get(30, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void anErrorStatusArrivesWithItsMessageAndTrailers() {
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, GrpcBackend.FAIL, options(), "bob"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(e.getStatus().getDescription()).isEqualTo("no entry for bob (ü, 100%)");
                    assertThat(e.getTrailers().get(GrpcBackend.REASON)).isEqualTo("quota-bob");
                    assertThat(e.getTrailers().get(GrpcBackend.DETAIL)).containsExactly(0, 1, 2, 0xff);
                });
    }

    @Test
    void anEightMebibyteMessagePasses() {
        String big = "0123456789abcdef".repeat(8 * 1024 * 1024 / 16);
        assertThat(ClientCalls.blockingUnaryCall(channel, GrpcBackend.UNARY, options(), big)).isEqualTo(big);
    }

    @Test
    void aDeadlineReachesTheApp() throws Exception {
        backend.hangStarted = new CountDownLatch(1);
        backend.hangCancelled = new CountDownLatch(1);
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, GrpcBackend.HANG,
                CallOptions.DEFAULT.withDeadlineAfter(2, TimeUnit.SECONDS), "wait"))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
        assertThat(backend.hangStarted.await(1, TimeUnit.SECONDS)).isTrue();
        assertThat(backend.hangCancelled.await(20, TimeUnit.SECONDS)).as("the app ended the call").isTrue();
    }

    @Test
    void aClientCancelReachesTheApp() throws Exception {
        backend.hangStarted = new CountDownLatch(1);
        backend.hangCancelled = new CountDownLatch(1);
        // No deadline: only the cancel (an HTTP/2 stream reset) can tell the app.
        ClientCall<String, String> call = channel.newCall(GrpcBackend.HANG, CallOptions.DEFAULT);
        Replies replies = new Replies();
        ClientCalls.asyncUnaryCall(call, "wait", replies);
        assertThat(backend.hangStarted.await(20, TimeUnit.SECONDS)).isTrue();
        call.cancel("the user gave up", null);
        assertThat(backend.hangCancelled.await(20, TimeUnit.SECONDS)).as("the app saw the cancel").isTrue();
    }

    @Test
    void identityHeadersAClientSendsNeverReachTheApp() {
        Metadata forged = new Metadata();
        for (String name : List.of("x-drawbridge-user", "x-forwarded-host", "x-remote-user", "x-real-ip")) {
            forged.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), "mallory");
        }
        backend.headers.clear();
        String answer = ClientCalls.blockingUnaryCall(ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(forged)),
                GrpcBackend.UNARY, options(), "who");
        assertThat(answer).isEqualTo("who");
        Metadata seen = backend.headers.peek();
        assertThat(seen).isNotNull();
        for (String name : List.of("x-drawbridge-user", "x-remote-user", "x-real-ip")) {
            assertThat(seen.get(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER))).as(name).isNull();
        }
        assertThat(seen.get(Metadata.Key.of("x-forwarded-host", Metadata.ASCII_STRING_MARSHALLER))).startsWith("grpc.localhost");
        assertThat(seen.get(Metadata.Key.of("x-forwarded-for", Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("127.0.0.1");
    }

    @Test
    void requestTrailersReachTheAppWithoutIdentityFieldsAndResponseTrailersComeBack() throws Exception {
        HttpFields.Mutable sent = HttpFields.build().add("x-checksum", "abc123").add("x-drawbridge-user", "mallory")
                .add("authorization", "Bearer forged").add("cookie", "__Host-drawbridge_app_x=stolen").add("x-forwarded-for", "6.6.6.6")
                .add("host", "evil.example");
        ContentResponse r = h2.newRequest(URI.create(stack.externalUrl("trailers") + "svc/M")).method("POST")
                .headers(h -> h.put("content-type", "application/grpc"))
                .body(streamed("hello")).trailersSupplier(() -> sent).timeout(30, TimeUnit.SECONDS).send();
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getVersion()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(r.getContentAsString()).isEqualTo("hello");
        HttpFields back = r.getTrailers();
        assertThat(back).isNotNull();
        assertThat(back.get("echo-x-checksum")).isEqualTo("abc123");
        assertThat(back.get("grpc-status")).isEqualTo("0");
        for (String name : List.of("x-drawbridge-user", "authorization", "cookie", "x-forwarded-for", "host")) {
            assertThat(back.get("echo-" + name)).as(name).isNull();
        }
        assertThat(trailerEcho.seenTe.peek()).isEqualTo("trailers");
    }

    /** A body of unknown length (no Content-Length): it streams, and trailers may follow it. */
    private static AsyncRequestContent streamed(String text) {
        AsyncRequestContent content = new AsyncRequestContent();
        content.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), Callback.NOOP);
        content.close();
        return content;
    }

    /** Replies of an asynchronous call, one at a time. */
    static final class Replies implements StreamObserver<String> {
        final BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        final CompletableFuture<Void> done = new CompletableFuture<>();

        String next() throws InterruptedException {
            String s = queue.poll(30, TimeUnit.SECONDS);
            assertThat(s).as("a reply within 30 s (call failed: %s)", done.isCompletedExceptionally()).isNotNull();
            return s;
        }

        @Override
        public void onNext(String value) {
            queue.add(value);
        }

        @Override
        public void onError(Throwable t) {
            done.completeExceptionally(t);
        }

        @Override
        public void onCompleted() {
            done.complete(null);
        }
    }
}
