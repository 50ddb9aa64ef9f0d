package dev.drawbridge.proxy.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proves {@link ServerConfig} validation: the defaults are valid, each invalid field yields exactly one problem
 * whose sentence starts with the field's name, and several problems are reported together (also by
 * {@code validated()}'s exception).
 */
class ServerConfigTest {
    private static final ServerConfig BASE = ServerConfig.defaults(Path.of("/var/lib/drawbridge"));

    /** A copy of {@code base} with the named record components replaced (names checked against the record). */
    private static ServerConfig with(ServerConfig base, Map<String, Object> changes) {
        try {
            RecordComponent[] components = ServerConfig.class.getRecordComponents();
            List<String> names = Arrays.stream(components).map(RecordComponent::getName).toList();
            assertThat(names).as("ServerConfig components").containsAll(changes.keySet());
            Object[] args = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                String n = components[i].getName();
                args[i] = changes.containsKey(n) ? changes.get(n) : components[i].getAccessor().invoke(base);
            }
            return ServerConfig.class.getDeclaredConstructor(types).newInstance(args);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static ServerConfig with(String field, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(field, value);
        return with(BASE, m);
    }

    private static void assertSingleProblemNaming(ServerConfig config, String field) {
        assertThat(config.problems()).hasSize(1);
        assertThat(config.problems().getFirst()).startsWith(field + ":");
        assertThatThrownBy(config::validated).isInstanceOf(ServerConfig.InvalidConfigException.class).hasMessageContaining(field + ":");
    }

    @Test
    void defaultsAreValid() {
        assertThat(BASE.problems()).isEmpty();
        assertThat(BASE.validated()).isSameAs(BASE);
        assertThat(BASE.adminHost()).isEqualTo("admin." + BASE.domain());
        assertThat(BASE.withPorts("127.0.0.1", 0, 0).problems()).as("both ports ephemeral").isEmpty();
        assertThat(with("databaseUrl", Optional.of("jdbc:postgresql://db:5432/drawbridge")).problems()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "apps.example.com", "a-b.c0", "x", "a1.b2.c3.d4"})
    void validDomains(String domain) {
        assertThat(with("domain", domain).problems()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Apps.Example.com", "https://apps.example.com", "apps.example.com:443", "-apps.example.com",
            "apps-.example.com", "apps..example.com", "apps.example.com.", "apps_x.example.com", "apps example.com", "*.example.com"})
    void invalidDomainIsNamed(String domain) {
        assertSingleProblemNaming(with("domain", domain), "domain");
    }

    @Test
    void overlongDomainOrLabelIsNamed() {
        assertSingleProblemNaming(with("domain", "a".repeat(64) + ".com"), "domain");
        assertSingleProblemNaming(with("domain", ("abcdefghi.").repeat(20) + "com"), "domain");
        assertSingleProblemNaming(with("domain", null), "domain");
    }

    @Test
    void eachInvalidFieldIsNamed() {
        assertSingleProblemNaming(with("dataDir", null), "dataDir");
        assertSingleProblemNaming(with("bindHost", null), "bindHost");
        assertSingleProblemNaming(with("bindHost", "  "), "bindHost");
        assertSingleProblemNaming(BASE.withPorts("0.0.0.0", -1, 8444), "publicPort");
        assertSingleProblemNaming(BASE.withPorts("0.0.0.0", 65536, 8444), "publicPort");
        assertSingleProblemNaming(BASE.withPorts("0.0.0.0", 8443, -1), "tunnelPort");
        assertSingleProblemNaming(BASE.withPorts("0.0.0.0", 8443, 70000), "tunnelPort");
        assertSingleProblemNaming(BASE.withPorts("0.0.0.0", 8443, 8443), "tunnelPort");
        assertSingleProblemNaming(with("databaseUrl", Optional.of("jdbc:mysql://db/drawbridge")), "databaseUrl");
        assertSingleProblemNaming(BASE.withHeartbeat(null), "heartbeat");
        assertSingleProblemNaming(BASE.withHeartbeat(Duration.ZERO), "heartbeat");
        assertSingleProblemNaming(BASE.withHeartbeat(Duration.ofSeconds(-1)), "heartbeat");
        assertSingleProblemNaming(BASE.withTimeouts(null), "timeouts");
        assertSingleProblemNaming(BASE.withTimeouts(new ServerConfig.BackendTimeouts(Duration.ZERO, Duration.ofSeconds(1))), "timeouts");
        assertSingleProblemNaming(BASE.withTimeouts(new ServerConfig.BackendTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(-1))), "timeouts");
    }

    @Test
    void trustedProxiesAreValidatedOneByOne() {
        assertThat(BASE.proxies()).isEqualTo(ServerConfig.Proxies.NONE);
        assertThat(BASE.withProxies(new ServerConfig.Proxies(List.of("10.0.0.0/8", "192.0.2.7", "2001:db8::/32"), true)).problems())
                .isEmpty();
        ServerConfig bad = BASE.withProxies(new ServerConfig.Proxies(List.of("10.0.0.0/8", "10.0.0.0/33", "lb.example.com", "0.0.0.0/0"),
                false));
        assertThat(bad.problems()).hasSize(3).allSatisfy(p -> assertThat(p).startsWith("proxies.trusted:").endsWith("(--trusted-proxy)"));
        assertThat(bad.problems()).anySatisfy(p -> assertThat(p).contains("'10.0.0.0/33'"))
                .anySatisfy(p -> assertThat(p).contains("'lb.example.com'")).anySatisfy(p -> assertThat(p).contains("trusts every address"));
        assertSingleProblemNaming(BASE.withProxies(new ServerConfig.Proxies(List.of(), true)), "proxies.proxyProtocol");
        assertSingleProblemNaming(BASE.withProxies(null), "proxies");
        assertThat(new ServerConfig.Proxies(null, false).trusted()).isEmpty();
    }

    @Test
    void edgePortsAreValid() {
        assertThat(BASE.withPorts("::", 65535, 1).problems()).isEmpty();
        assertThat(BASE.withPorts("::", 0, 8444).problems()).isEmpty();
    }

    @Test
    void allProblemsAreReportedAtOnce() {
        Map<String, Object> bad = new LinkedHashMap<>();
        bad.put("dataDir", null);
        bad.put("domain", "Not A Domain");
        bad.put("bindHost", "");
        bad.put("publicPort", 99999);
        bad.put("tunnelPort", -5);
        bad.put("databaseUrl", Optional.of("jdbc:sqlite:x"));
        bad.put("heartbeat", Duration.ZERO);
        ServerConfig config = with(BASE, bad);
        List<String> fields = config.problems().stream().map(p -> p.substring(0, p.indexOf(':'))).toList();
        assertThat(fields).containsExactlyInAnyOrderElementsOf(bad.keySet());
        assertThatThrownBy(config::validated).isInstanceOf(ServerConfig.InvalidConfigException.class)
                .satisfies(e -> bad.keySet().forEach(f -> assertThat(e.getMessage()).contains(f + ":")));
    }
}
