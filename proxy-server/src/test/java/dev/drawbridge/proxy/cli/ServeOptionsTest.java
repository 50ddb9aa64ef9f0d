package dev.drawbridge.proxy.cli;

import dev.drawbridge.cliconfig.LogFormat;
import dev.drawbridge.proxy.config.ServerConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proves that {@code drawbridge-server serve}'s options reach the configuration: {@code --trusted-proxy} is repeatable
 * (and takes comma-separated lists), {@code --proxy-protocol} is off unless given, and a bad range is refused by
 * validation with a sentence naming the field and the flag.
 */
class ServeOptionsTest {
    private static ServerConfig parse(String... args) {
        ServerCli.Serve serve = new ServerCli.Serve();
        new CommandLine(serve).parseArgs(args);
        return serve.config();
    }

    @Test
    void trustNobodyByDefault() {
        assertThat(parse().proxies()).isEqualTo(ServerConfig.Proxies.NONE);
    }

    @Test
    void trustedProxiesAreRepeatableAndProxyProtocolIsOptIn() {
        ServerConfig c = parse("--trusted-proxy", "10.0.0.0/24", "--trusted-proxy=192.0.2.7,2001:db8::/32", "--proxy-protocol");
        assertThat(c.proxies().trusted()).containsExactly("10.0.0.0/24", "192.0.2.7", "2001:db8::/32");
        assertThat(c.proxies().proxyProtocol()).isTrue();
        assertThat(c.problems()).isEmpty();
        assertThat(parse("--trusted-proxy", "10.0.0.0/24").proxies().proxyProtocol()).isFalse();
    }

    @Test
    void theManagementListenerIsOnLoopbackPort8445UnlessToldOtherwise() {
        assertThat(parse().management()).isEqualTo(ServerConfig.Management.on("127.0.0.1", 8445));
        assertThat(parse("--management-port", "9100", "--management-bind", "10.0.0.5").management())
                .isEqualTo(ServerConfig.Management.on("10.0.0.5", 9100));
        assertThat(parse("--management-port", "off").management().enabled()).isFalse();
        assertThat(parse("--management-port", "OFF").management().enabled()).isFalse();
    }

    @Test
    void aBadManagementPortIsRefusedNamingTheFlag() {
        ServerCli.Serve serve = new ServerCli.Serve();
        new CommandLine(serve).parseArgs("--management-port", "none");
        assertThatThrownBy(serve::config).isInstanceOf(ServerConfig.InvalidConfigException.class)
                .hasMessageContaining("management.port: 'none' is not a port number or 'off' (--management-port)");
        assertThat(parse("--management-port", "70000").problems())
                .containsExactly("management.port: 70000 is not a port number (0-65535) (--management-port)");
        assertThat(parse("--port", "9443", "--management-port", "9443").problems()).singleElement().asString()
                .startsWith("management.port: 9443 is already the public port");
        assertThat(parse("--management-bind", " ").problems()).singleElement().asString().startsWith("management.bind:");
    }

    @Test
    void theLogFormatIsTextOrJson() {
        ServerCli.Serve serve = new ServerCli.Serve();
        new CommandLine(serve).parseArgs();
        assertThat(serve.logFormat()).isEqualTo(LogFormat.TEXT);
        new CommandLine(serve).parseArgs("--log-format", "JSON");
        assertThat(serve.logFormat()).isEqualTo(LogFormat.JSON);
        new CommandLine(serve).parseArgs("--log-format", "xml");
        assertThatThrownBy(serve::logFormat).hasMessageContaining("logFormat: 'xml' is not a log format; use text or json (--log-format)");
    }

    @Test
    void aBadRangeIsRefusedNamingTheFlag() {
        assertThat(parse("--trusted-proxy", "10.0.0.0/40").problems())
                .containsExactly("proxies.trusted: '10.0.0.0/40' is not an IP address or range such as 10.0.0.0/8, 192.0.2.7 or"
                        + " 2001:db8::/32 (the prefix length is 0-32) (--trusted-proxy)");
        assertThat(parse("--proxy-protocol").problems()).singleElement().asString().startsWith("proxies.proxyProtocol:")
                .contains("--trusted-proxy");
        assertThat(parse("--trusted-proxy", "0.0.0.0/0").problems()).singleElement().asString().contains("trusts every address");
    }
}
