package dev.drawbridge.systemtests.proxy;

import io.grpc.Context;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.KeyManager;

/**
 * A real gRPC service (grpc-java over Netty, plain-text HTTP/2: h2c with prior knowledge, or over TLS) for the system tests, its
 * methods described by hand with a String marshaller (no protoc): unary echo, server streaming (splits on commas),
 * client streaming (joins), bidirectional (answers each message at once), a failure with a status, a message and
 * trailer metadata, and a call that never answers and counts its cancellation. It records the request headers it saw.
 */
final class GrpcBackend implements AutoCloseable {
    static final String SERVICE = "test.Echo";
    static final MethodDescriptor.Marshaller<String> STRING = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(String value) {
            return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public String parse(InputStream stream) {
            try {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };
    static final MethodDescriptor<String, String> UNARY = method("Unary", MethodDescriptor.MethodType.UNARY);
    static final MethodDescriptor<String, String> SPLIT = method("Split", MethodDescriptor.MethodType.SERVER_STREAMING);
    static final MethodDescriptor<String, String> JOIN = method("Join", MethodDescriptor.MethodType.CLIENT_STREAMING);
    static final MethodDescriptor<String, String> CHAT = method("Chat", MethodDescriptor.MethodType.BIDI_STREAMING);
    static final MethodDescriptor<String, String> FAIL = method("Fail", MethodDescriptor.MethodType.UNARY);
    static final MethodDescriptor<String, String> HANG = method("Hang", MethodDescriptor.MethodType.UNARY);
    static final Metadata.Key<String> REASON = Metadata.Key.of("x-reason", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<byte[]> DETAIL = Metadata.Key.of("x-detail-bin", Metadata.BINARY_BYTE_MARSHALLER);
    static final int MAX_MESSAGE = 16 * 1024 * 1024;

    /** The request headers of every call, in arrival order. */
    final ConcurrentLinkedQueue<Metadata> headers = new ConcurrentLinkedQueue<>();
    /** Counted down when a HANG call is cancelled (the client's deadline or cancel reached the app). */
    volatile CountDownLatch hangCancelled = new CountDownLatch(1);
    /** Counted down when a HANG call arrived. */
    volatile CountDownLatch hangStarted = new CountDownLatch(1);
    private final Server server;

    private GrpcBackend(ServerCredentials credentials) throws IOException {
        ServerServiceDefinition service = ServerServiceDefinition.builder(SERVICE)
                .addMethod(UNARY, ServerCalls.asyncUnaryCall((String req, StreamObserver<String> out) -> {
                    out.onNext(req);
                    out.onCompleted();
                }))
                .addMethod(SPLIT, ServerCalls.asyncServerStreamingCall((String req, StreamObserver<String> out) -> {
                    for (String part : req.split(",")) {
                        out.onNext(part);
                    }
                    out.onCompleted();
                }))
                .addMethod(JOIN, ServerCalls.asyncClientStreamingCall(out -> new StreamObserver<>() {
                    private final List<String> parts = new ArrayList<>();

                    @Override
                    public void onNext(String value) {
                        parts.add(value);
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                        out.onNext(String.join("+", parts));
                        out.onCompleted();
                    }
                }))
                .addMethod(CHAT, ServerCalls.asyncBidiStreamingCall(out -> new StreamObserver<>() {
                    private int n;

                    @Override
                    public void onNext(String value) {
                        out.onNext("re " + ++n + ": " + value);
                    }

                    @Override
                    public void onError(Throwable t) {
                    }

                    @Override
                    public void onCompleted() {
                        out.onCompleted();
                    }
                }))
                .addMethod(FAIL, ServerCalls.asyncUnaryCall((String req, StreamObserver<String> out) -> {
                    Metadata trailers = new Metadata();
                    trailers.put(REASON, "quota-" + req);
                    trailers.put(DETAIL, new byte[]{0, 1, 2, (byte) 0xff});
                    out.onError(Status.PERMISSION_DENIED.withDescription("no entry for " + req + " (ü, 100%)").asRuntimeException(trailers));
                }))
                .addMethod(HANG, ServerCalls.asyncUnaryCall((String req, StreamObserver<String> out) -> {
                    CountDownLatch cancelled = hangCancelled;
                    Context.current().addListener(c -> cancelled.countDown(), Runnable::run);
                    hangStarted.countDown();
                }))
                .build();
        ServerInterceptor recorder = new ServerInterceptor() {
            @Override
            public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata h, ServerCallHandler<Q, A> next) {
                headers.add(h);
                return next.startCall(call, h);
            }
        };
        server = Grpc.newServerBuilderForPort(0, credentials)
                .addService(ServerInterceptors.intercept(service, recorder)).maxInboundMessageSize(MAX_MESSAGE).build().start();
    }

    static GrpcBackend start() throws IOException {
        return new GrpcBackend(InsecureServerCredentials.create());
    }

    /** The same service over TLS (h2 by ALPN) with {@code keys}' key and certificate chain: an {@code https://} app. */
    static GrpcBackend startTls(KeyManager... keys) throws IOException {
        return new GrpcBackend(TlsServerCredentials.newBuilder().keyManager(keys).build());
    }

    int port() {
        return server.getPort();
    }

    private static MethodDescriptor<String, String> method(String name, MethodDescriptor.MethodType type) {
        return MethodDescriptor.<String, String>newBuilder().setType(type)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
                .setRequestMarshaller(STRING).setResponseMarshaller(STRING).build();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination();
    }
}
