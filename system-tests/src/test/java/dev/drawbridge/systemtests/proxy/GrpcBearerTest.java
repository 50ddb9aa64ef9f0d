package dev.drawbridge.systemtests.proxy;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.OAuthClientSpec;
import dev.drawbridge.model.api.OAuthGrant;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.systemtests.live.NativeSignIn;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A gRPC service published as a pre-authenticated app: a gRPC client without a token is refused (UNAUTHENTICATED, the
 * app never called); with a user's bearer token from a registered native client its calls go through, the app gets
 * the user's identity and never the token.
 */
class GrpcBearerTest {
    static final String PASSWORD = "correct horse battery staple";
    @TempDir
    static Path dir;
    static DrawbridgeStack stack;
    static GrpcBackend backend;
    static ManagedChannel channel;
    static String api;

    @BeforeAll
    static void start() throws Exception {
        backend = GrpcBackend.start();
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        api = stack.externalUrl("grpcapi");
        stack.adminApi().apps().create(new AppSpec("gRPC API", api, "http://127.0.0.1:" + backend.port() + "/", null, null, null,
                PreAuthentication.DIRECTORY, new AccessSettings(false, true, true, false)));
        stack.startConnector(dir.resolve("c"), 1);
        stack.adminApi().oauthClients().register(new OAuthClientSpec("cli", "Command line", List.of("http://127.0.0.1/callback"),
                List.of(OAuthGrant.AUTHORIZATION_CODE), List.of()));
        stack.createUser("gina@corp.example", "Gina", PASSWORD);
        channel = GrpcThroughTunnelTest.channel(stack, "grpcapi.localhost");
    }

    @AfterAll
    static void stop() throws Exception {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        stack.close();
        backend.close();
    }

    @Test
    void withoutATokenTheCallIsRefused() {
        backend.headers.clear();
        assertThatThrownBy(() -> ClientCalls.blockingUnaryCall(channel, GrpcBackend.UNARY, GrpcThroughTunnelTest.options(), "x"))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThat(backend.headers).isEmpty();
    }

    @Test
    void withAUsersBearerTokenTheCallsGoThroughAsThatUser() throws Exception {
        Metadata auth = new Metadata();
        auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + accessToken("gina@corp.example"));
        var authed = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(auth));
        backend.headers.clear();
        assertThat(ClientCalls.blockingUnaryCall(authed, GrpcBackend.UNARY, GrpcThroughTunnelTest.options(), "hi")).isEqualTo("hi");
        List<String> replies = new ArrayList<>();
        ClientCalls.blockingServerStreamingCall(authed, GrpcBackend.SPLIT, GrpcThroughTunnelTest.options(), "1,2").forEachRemaining(replies::add);
        assertThat(replies).containsExactly("1", "2");
        Metadata seen = backend.headers.peek();
        assertThat(seen).isNotNull();
        assertThat(seen.get(Metadata.Key.of("x-drawbridge-user", Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("gina@corp.example");
        assertThat(seen.get(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER))).isNull();
    }

    /**
     * The native flow ({@link NativeSignIn}). The sign-in ends on the app's page, which a gRPC-only app answers with 502
     * (it speaks no HTTP/1.1): what counts is the session it leaves in the browser, which the authorization needs.
     */
    static String accessToken(String upn) throws Exception {
        return NativeSignIn.accessToken(stack, api, api + "in", upn, PASSWORD, false);
    }
}
