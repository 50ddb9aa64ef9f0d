package dev.drawbridge.systemtests.connector;

import dev.drawbridge.connector.Connector;
import dev.drawbridge.connector.http.OutboundProxy;
import dev.drawbridge.connector.identity.ConnectorIdentity;
import dev.drawbridge.connector.identity.Registration;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.RegistrationTokenView;
import dev.drawbridge.systemtests.connector.ConnectorCliTest.Run;
import dev.drawbridge.testsupport.net.ForwardProxy;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.time.Await;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.drawbridge.systemtests.connector.ConnectorCliTest.assertOneSentence;
import static dev.drawbridge.systemtests.connector.ConnectorCliTest.cli;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A connector in a network where only an HTTP forward proxy may go out: registration, the tunnel URL lookup and every
 * tunnel go through the proxy's CONNECT (with its Basic credentials when it wants them), internal apps are reached
 * directly, a proxy that refuses the credentials gives a sentence naming the proxy, tunnels come back after the proxy
 * restarts, and {@code set-proxy} / {@code register --outbound-proxy} store the setting for {@code run} (0600, the
 * password never printed).
 */
class OutboundProxyTest {
    private static final String USER = "svc-connector", PASSWORD = "pr0xy-s3cret";

    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        url = stack.publish("Sample", "sample", app.baseUri(), PreAuthentication.PASSTHROUGH);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        app.close();
    }

    private static String adminTarget() {
        return stack.adminUrl().getHost() + ":" + stack.adminUrl().getPort();
    }

    private static String get() throws Exception {
        ContentResponse r = stack.http().newRequest(URI.create(url + "echo?via=proxy")).timeout(20, TimeUnit.SECONDS).send();
        assertThat(r.getStatus()).isEqualTo(200);
        return r.getContentAsString();
    }

    @Test
    void registrationLookupAndTunnelsGoThroughTheProxyAndAppsDirectly() throws Exception {
        try (ForwardProxy proxy = ForwardProxy.start()) {
            Connector c = stack.startConnectorThrough(OutboundProxy.of(proxy.uri().toString()), dir.resolve("plain"), 2);
            try {
                assertThat(get()).contains("via=proxy");
                String tunnelTarget = c.tunnelUrl().getHost() + ":" + c.tunnelUrl().getPort();
                assertThat(proxy.connects()).allMatch(ForwardProxy.Connect::allowed);
                assertThat(proxy.connects()).extracting(ForwardProxy.Connect::target)
                        .as("registration and the endpoint lookup on the admin URL, then one CONNECT per tunnel")
                        .contains(adminTarget())
                        .filteredOn(tunnelTarget::equals).hasSizeGreaterThanOrEqualTo(2);
                assertThat(proxy.connects()).extracting(ForwardProxy.Connect::target).as("internal apps are reached directly")
                        .noneMatch(t -> t.endsWith(":" + app.baseUri().getPort()));
            } finally {
                c.close();
            }
        }
    }

    @Test
    void aProxyWantingCredentialsGetsThemAndRefusesWrongOnesWithASentence() throws Exception {
        try (ForwardProxy proxy = ForwardProxy.start(Optional.of(USER), Optional.of(PASSWORD))) {
            RegistrationTokenView t = stack.registrationToken(null, 10);
            OutboundProxy wrong = OutboundProxy.of(proxy.uri().toString(), Optional.of(USER), Optional.of("not-it"));
            assertThatThrownBy(() -> Registration.register(stack.adminUrl(), t.token(), t.serverCaSha256(), "test", Optional.of(wrong)))
                    .isInstanceOf(Registration.RegistrationException.class)
                    .hasMessageContaining("the outbound proxy refused to connect to " + adminTarget() + " (HTTP 407")
                    .hasMessageNotContaining("not-it");
            assertThat(proxy.connects()).isNotEmpty().noneMatch(ForwardProxy.Connect::allowed);

            OutboundProxy right = OutboundProxy.of(proxy.uri().toString(), Optional.of(USER), Optional.of(PASSWORD));
            Connector c = stack.startConnectorThrough(right, dir.resolve("auth"), 1);
            try {
                assertThat(get()).contains("via=proxy");
                assertThat(proxy.connects()).filteredOn(ForwardProxy.Connect::allowed).extracting(ForwardProxy.Connect::target)
                        .contains(adminTarget(), c.tunnelUrl().getHost() + ":" + c.tunnelUrl().getPort());
            } finally {
                c.close();
            }
        }
    }

    @Test
    void tunnelsComeBackWhenTheProxyIsBack() throws Exception {
        try (ForwardProxy proxy = ForwardProxy.start()) {
            Connector c = stack.startConnectorThrough(OutboundProxy.of(proxy.uri().toString()), dir.resolve("restart"), 2);
            try {
                proxy.stop();
                Await.until("the tunnels through the stopped proxy closed", Duration.ofSeconds(30),
                        () -> stack.server().registry().tunnelCount(c.connectorId()) == 0);
                int before = proxy.connects().size();
                proxy.restart();
                Await.until("the tunnels through the proxy again", Duration.ofSeconds(60),
                        () -> stack.server().registry().tunnelCount(c.connectorId()) == 2);
                assertThat(proxy.connects().size()).as("the new tunnels went through the proxy").isGreaterThanOrEqualTo(before + 2);
                assertThat(get()).contains("via=proxy");
            } finally {
                c.close();
            }
        }
    }

    @Test
    void theCliStoresTheProxyForRunAndNeverPrintsItsPassword() throws Exception {
        try (ForwardProxy proxy = ForwardProxy.start(Optional.of(USER), Optional.of(PASSWORD))) {
            Path state = dir.resolve("cli");
            Path passwordFile = dir.resolve("proxy-password");
            Files.writeString(passwordFile, PASSWORD + "\n");
            RegistrationTokenView t = stack.registrationToken(null, 10);
            Run reg = cli("register", "--server", stack.adminUrl().toString(), "--token", t.token(), "--ca-sha256", t.serverCaSha256(),
                    "--state-dir", state.toString(), "--outbound-proxy", proxy.uri().toString(), "--outbound-proxy-user", USER,
                    "--outbound-proxy-password-file", passwordFile.toString());
            assertThat(reg.exit()).as(reg.toString()).isZero();
            assertThat(reg.out() + reg.err()).doesNotContain(PASSWORD);
            Path stored = state.resolve(OutboundProxy.FILE);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(stored))).isEqualTo("rw-------");
            assertThat(OutboundProxy.load(state)).contains(OutboundProxy.of(proxy.uri().toString(), Optional.of(USER), Optional.of(PASSWORD)));
            assertThat(proxy.connects()).filteredOn(ForwardProxy.Connect::allowed).isNotEmpty();

            // run (here: the connector as run starts it) reads the stored proxy
            Connector c = Connector.start(new Connector.Options(state, 1, Optional.empty(), Duration.ofSeconds(10),
                    OutboundProxy.load(state)));
            try {
                c.awaitConnected(Duration.ofSeconds(30));
                Await.until("the tunnel registered", Duration.ofSeconds(10), () -> stack.server().registry().tunnelCount(c.connectorId()) == 1);
                assertThat(get()).contains("via=proxy");
            } finally {
                c.close();
            }

            Run wrong = cli("set-proxy", "--state-dir", state.toString(), "--outbound-proxy", proxy.uri().toString(),
                    "--outbound-proxy-user", USER, "--outbound-proxy-password-file", dir.resolve("missing").toString());
            assertOneSentence(wrong, 2, "--outbound-proxy-password-file");
            Path badPassword = dir.resolve("bad-password");
            Files.writeString(badPassword, "nope\n");
            Run refused = cli("set-proxy", "--state-dir", state.toString(), "--outbound-proxy", proxy.uri().toString(),
                    "--outbound-proxy-user", USER, "--outbound-proxy-password-file", badPassword.toString());
            assertOneSentence(refused, 75, "does not answer through the proxy", "HTTP 407", "--outbound-proxy-user", "--no-check");
            assertThat(OutboundProxy.load(state)).as("a proxy that does not work is not stored")
                    .map(p -> p.password().orElseThrow()).contains(PASSWORD);
            Run inUrl = cli("set-proxy", "--state-dir", state.toString(), "--outbound-proxy", "http://u:p@127.0.0.1:3128");
            assertOneSentence(inUrl, 2, "not in the URL");

            Run none = cli("set-proxy", "--state-dir", state.toString(), "--none");
            assertThat(none.exit()).as(none.toString()).isZero();
            assertThat(OutboundProxy.load(state)).isEmpty();
            assertThat(ConnectorIdentity.exists(state)).isTrue();
        }
    }
}
