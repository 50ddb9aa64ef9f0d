package dev.drawbridge.proxy.apps;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static dev.drawbridge.proxy.apps.WildcardRoutingTest.app;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A wildcard app publishes hosts the administrator never named: {@code https://*.w.example.com/ → http://*.corp.local/}
 * must not become a second door, with the wildcard app's (looser) sign-in and assignment, to a backend that an exact app
 * publishes with its own: {@code https://payroll.example.com/ → http://pay.corp.local/}. Through label {@code pay} the
 * instance is refused wherever the exact app's internal path is at least as deep as the wildcard's (equal included: the
 * exact app's whole backend), in every spelling of the internal URL; other labels, and two wildcard apps of one pattern
 * (both named by the administrator), are unaffected.
 */
class WildcardOverExactBackendTest {
    static final RouteTable TABLE = new RouteTable(List.of(
            app("wild", "https://*.w.example.com/", "http://*.corp.local/"),
            app("wild-deep", "https://*.d.example.com/", "http://*.corp.local/app/"),
            app("wild-twin", "https://*.t.example.com/", "http://*.corp.local/"),
            app("payroll", "https://payroll.example.com/", "http://pay.corp.local/"),
            app("payroll-port", "https://payroll2.example.com/", "HTTP://Pay2.Corp.Local.:80/"),
            app("docs", "https://docs.example.com/", "http://docs.corp.local/app/")));

    @ParameterizedTest(name = "{0}{1} -> {2}")
    @CsvSource({
            "pay.w.example.com,  /,          Refused",
            "pay.w.example.com,  /salaries,  Refused",
            "PAY.w.example.com,  /x,         Refused",
            "pay2.w.example.com, /,          Refused",
            "docs.w.example.com, /app/x,     Refused",
            "docs.w.example.com, /other,     To",
            "docs.d.example.com, /x,         Refused",
            "pay.d.example.com,  /x,         To",
            "other.w.example.com, /,         To",
            "x.t.example.com,    /,          To",
    })
    void aWildcardInstanceIsNoSecondDoorToAnExactAppsBackend(String host, String path, String expected) throws Exception {
        RouteTable.Route r = TABLE.route(host, RequestPath.parse(path));
        assertThat(r.getClass().getSimpleName()).as(host + path).isEqualTo(expected);
        assertThat(TABLE.route("payroll.example.com", RequestPath.parse("/"))).isInstanceOf(RouteTable.Route.To.class);
    }
}
