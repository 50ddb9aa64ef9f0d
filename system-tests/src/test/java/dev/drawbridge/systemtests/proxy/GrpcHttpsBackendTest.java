package dev.drawbridge.systemtests.proxy;

import dev.drawbridge.proxy.pki.CertificateAuthority;
import dev.drawbridge.proxy.pki.Pem;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * gRPC to an {@code https://} internal app: the grpc-java service over TLS (h2 by ALPN, a certificate of the
 * company's private CA), published behind the connector, called by a grpc-java client through the proxy's public
 * listener. A connector that does not trust that CA reaches nothing (the call fails UNAVAILABLE, never in clear text);
 * one started with it (--upstream-ca) carries every kind of call, bidirectional streaming full duplex, and an error
 * status with its trailer metadata intact.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GrpcHttpsBackendTest {
    @TempDir
    static Path dir;
    static DrawbridgeStack stack;
    static GrpcBackend backend;
    static ManagedChannel channel;
    static Path caPem;
    static boolean trusting;

    @BeforeAll
    static void start() throws Exception {
        CertificateAuthority corpCa = CertificateAuthority.create("Corp Internal CA", Duration.ofDays(30), Clock.systemUTC());
        KeyPair kp = CertificateAuthority.newKeyPair();
        var cert = corpCa.issueServerCertificate(kp.getPublic(), List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(30));
        caPem = dir.resolve("corp-ca.pem");
        Files.writeString(caPem, Pem.encode(corpCa.certificate()));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", kp.getPrivate(), "pw".toCharArray(), new Certificate[]{cert, corpCa.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "pw".toCharArray());
        backend = GrpcBackend.startTls(kmf.getKeyManagers());
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        stack.publish("gRPC over TLS", "grpcs", URI.create("https://localhost:" + backend.port() + "/"));
        channel = GrpcThroughTunnelTest.channel(stack, "grpcs.localhost");
    }

    @AfterAll
    static void stop() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        stack.close();
        backend.close();
    }

    /** Started once, after the untrusting one is gone: a connector given the app's CA (--upstream-ca). */
    static synchronized void trustingConnector() throws Exception {
        if (!trusting) {
            stack.startConnector(dir.resolve("trusting"), 1, Optional.of(caPem));
            trusting = true;
        }
    }

    @Test
    @Order(1)
    void aConnectorThatDoesNotTrustTheAppsCertificateReachesNothing() throws Exception {
        var untrusting = stack.startConnector(dir.resolve("untrusting"), 1);
        try {
            backend.headers.clear();
            assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, GrpcBackend.UNARY, GrpcThroughTunnelTest.options(), "hello"))
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
            assertThat(backend.headers).as("calls that reached the app").isEmpty();
        } finally {
            untrusting.close();
        }
    }

    @Test
    @Order(2)
    void everyKindOfCallWorksOverTlsToTheApp() throws Exception {
        trustingConnector();

        assertThat(ClientCalls.blockingUnaryCall(channel, GrpcBackend.UNARY, GrpcThroughTunnelTest.options(), "hello")).isEqualTo("hello");

        Iterator<String> split = ClientCalls.blockingServerStreamingCall(channel, GrpcBackend.SPLIT, GrpcThroughTunnelTest.options(), "a,b,c");
        List<String> parts = new ArrayList<>();
        split.forEachRemaining(parts::add);
        assertThat(parts).containsExactly("a", "b", "c");

        GrpcThroughTunnelTest.Replies joined = new GrpcThroughTunnelTest.Replies();
        StreamObserver<String> join = ClientCalls.asyncClientStreamingCall(channel.newCall(GrpcBackend.JOIN,
                GrpcThroughTunnelTest.options()), joined);
        for (String s : List.of("x", "y", "z")) {
            join.onNext(s);
        }
        join.onCompleted();
        assertThat(joined.next()).isEqualTo("x+y+z");
        assertThat(joined.done.get(30, TimeUnit.SECONDS)).isNull();

        // Full duplex: each message goes only after the reply to the one before came back.
        GrpcThroughTunnelTest.Replies chat = new GrpcThroughTunnelTest.Replies();
        StreamObserver<String> requests = ClientCalls.asyncBidiStreamingCall(channel.newCall(GrpcBackend.CHAT,
                GrpcThroughTunnelTest.options()), chat);
        for (int i = 1; i <= 5; i++) {
            requests.onNext("m" + i);
            assertThat(chat.next()).isEqualTo("re " + i + ": m" + i);
        }
        requests.onCompleted();
        assertThat(chat.done.get(30, TimeUnit.SECONDS)).isNull();

        String big = "0123456789abcdef".repeat(4 * 1024 * 1024 / 16);
        assertThat(ClientCalls.blockingUnaryCall(channel, GrpcBackend.UNARY, GrpcThroughTunnelTest.options(), big)).isEqualTo(big);
    }

    @Test
    @Order(3)
    void anErrorStatusArrivesWithItsTrailersIntact() throws Exception {
        trustingConnector();
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, GrpcBackend.FAIL, GrpcThroughTunnelTest.options(), "bob"))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
                    assertThat(e.getStatus().getDescription()).isEqualTo("no entry for bob (ü, 100%)");
                    assertThat(e.getTrailers().get(GrpcBackend.REASON)).isEqualTo("quota-bob");
                    assertThat(e.getTrailers().get(GrpcBackend.DETAIL)).containsExactly(0, 1, 2, 0xff);
                });
    }
}
