package dev.drawbridge.cliconfig;

import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server and the connector started without a logging configuration of their own (no {@code logback.configurationFile},
 * as a class path run by hand or a service wrapper may start them) log at INFO with Jetty at WARN: Logback's own default
 * is DEBUG everywhere, which wrote Jetty's request headers, the outbound proxy's {@code Proxy-Authorization} among them.
 * This module has no logback-test.xml, so its tests see what such a run sees.
 */
class DefaultLoggingTest {
    @Test
    void withoutAConfigurationFileNothingLogsAtDebugAndJettyOnlyWarns() {
        assertThat(System.getProperty("logback.configurationFile")).isNull();
        Logger jettyClient = LoggerFactory.getLogger("org.eclipse.jetty.client.transport.internal.HttpSenderOverHTTP");
        assertThat(jettyClient.isDebugEnabled()).isFalse();
        assertThat(jettyClient.isInfoEnabled()).isFalse();
        assertThat(jettyClient.isWarnEnabled()).isTrue();
        Logger ours = LoggerFactory.getLogger("dev.drawbridge.connector.tunnel.TunnelClient");
        assertThat(ours.isDebugEnabled()).isFalse();
        assertThat(ours.isInfoEnabled()).isTrue();
    }
}
