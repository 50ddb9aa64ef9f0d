package dev.drawbridge.proxy.policy;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AccessPolicy.ClientType;
import dev.drawbridge.model.api.AccessPolicy.Control;
import dev.drawbridge.model.api.AccessPolicy.State;
import dev.drawbridge.model.api.NamedLocation;
import dev.drawbridge.proxy.policy.ConditionalAccess.Decision.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditional access decisions, table-tested: named locations (trusted or not, IPv4 and IPv6),
 * MFA required, block wins, user and group exclusions, client types, time windows, report-only.
 */
class ConditionalAccessTest {
    static final NamedLocation OFFICE = new NamedLocation("office", "Head office", true, List.of("203.0.113.0/24", "2001:db8:1::/48"));
    static final NamedLocation RISKY = new NamedLocation("risky", "Known bad ranges", false, List.of("198.51.100.7"));

    static AccessPolicy policy(String name, State state, List<String> apps, List<String> users, List<String> exclude,
                               List<String> locations, List<String> excludeLocations, List<ClientType> clients,
                               AccessPolicy.TimeWindow time, Control control) {
        return new AccessPolicy(name, name, state, apps, users, exclude, locations, excludeLocations, clients, time, control);
    }

    /** The policy set under test. */
    static final List<AccessPolicy> POLICIES = List.of(
            // MFA for HR outside trusted locations, for everyone but the break-glass account.
            policy("mfa-hr-outside", State.ON, List.of("hr"), List.of("ALL"), List.of("breakglass@corp.example"),
                    List.of("UNTRUSTED"), List.of(), List.of(), null, Control.REQUIRE_MFA),
            // Block the risky range everywhere.
            policy("block-risky", State.ON, List.of(), List.of("ALL"), List.of(), List.of("risky"), List.of(), List.of(), null, Control.BLOCK),
            // Contractors may not use native clients.
            policy("contractors-browser-only", State.ON, List.of(), List.of("Contractors"), List.of(), List.of(), List.of(),
                    List.of(ClientType.NATIVE), null, Control.BLOCK),
            // Payroll is closed outside office hours (Zurich), except for the payroll group.
            policy("payroll-hours", State.ON, List.of("payroll"), List.of("ALL"), List.of("g-payroll"), List.of(), List.of(), List.of(),
                    new AccessPolicy.TimeWindow(List.of(), "18:00", "07:00", "Europe/Zurich"), Control.BLOCK),
            // Trial: block the wiki from outside the office, report-only.
            policy("wiki-office-only", State.REPORT_ONLY, List.of("wiki"), List.of("ALL"), List.of(), List.of(), List.of("office"),
                    List.of(), null, Control.BLOCK),
            policy("switched-off", State.OFF, List.of(), List.of("ALL"), List.of(), List.of(), List.of(), List.of(), null, Control.BLOCK));

    static final ConditionalAccess CA = new ConditionalAccess(POLICIES, List.of(OFFICE, RISKY));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // case | upn | groups | app | ip | client | time (UTC) | outcome | applied
            "HR from the office | alice@corp.example | - | hr | 203.0.113.10 | BROWSER | 2026-11-25T10:00:00Z | ALLOW | -",
            "HR from the office over IPv6 | alice@corp.example | - | hr | 2001:db8:1::5 | BROWSER | 2026-11-25T10:00:00Z | ALLOW | -",
            "HR from home needs MFA | alice@corp.example | - | hr | 192.0.2.44 | BROWSER | 2026-11-25T10:00:00Z | REQUIRE_MFA | mfa-hr-outside: REQUIRE_MFA",
            "break-glass account is excluded | breakglass@corp.example | - | hr | 192.0.2.44 | BROWSER | 2026-11-25T10:00:00Z | ALLOW | -",
            "block wins over MFA | alice@corp.example | - | hr | 198.51.100.7 | BROWSER | 2026-11-25T10:00:00Z | BLOCK"
                    + " | mfa-hr-outside: REQUIRE_MFA; block-risky: BLOCK",
            "risky range blocked on any app | bob@corp.example | - | other | 198.51.100.7 | BROWSER | 2026-11-25T10:00:00Z | BLOCK | block-risky: BLOCK",
            "next address is not in the risky range | bob@corp.example | - | other | 198.51.100.8 | BROWSER | 2026-11-25T10:00:00Z | ALLOW | -",
            "contractor in a browser | carl@vendor.example | Contractors | other | 192.0.2.1 | BROWSER | 2026-11-25T10:00:00Z | ALLOW | -",
            "contractor with a native client | carl@vendor.example | Contractors | other | 192.0.2.1 | NATIVE | 2026-11-25T10:00:00Z"
                    + " | BLOCK | contractors-browser-only: BLOCK",
            "payroll in office hours | dora@corp.example | - | payroll | 203.0.113.10 | BROWSER | 2026-11-25T12:00:00Z | ALLOW | -",
            "payroll at night (Zurich 23:30) | dora@corp.example | - | payroll | 203.0.113.10 | BROWSER | 2026-11-25T22:30:00Z | BLOCK | payroll-hours: BLOCK",
            "payroll just after midnight | dora@corp.example | - | payroll | 203.0.113.10 | BROWSER | 2026-11-26T00:30:00Z | BLOCK | payroll-hours: BLOCK",
            "payroll group excluded at night | erin@corp.example | g-payroll | payroll | 203.0.113.10 | BROWSER | 2026-11-25T22:30:00Z | ALLOW | -",
            "report-only never blocks | alice@corp.example | - | wiki | 192.0.2.44 | BROWSER | 2026-11-25T10:00:00Z | ALLOW | -",
    })
    void decisions(String name, String upn, String group, String app, String ip, ClientType client, String at,
                   Outcome expected, String applied) throws Exception {
        Set<String> groups = group.equals("-") ? Set.of() : Set.of(group);
        var d = CA.evaluate(new ConditionalAccess.Context("id-" + upn, upn, groups, groups, app, InetAddress.ofLiteral(ip), client,
                Instant.parse(at)));
        assertThat(d.outcome()).isEqualTo(expected);
        assertThat(String.join("; ", d.applied())).isEqualTo(applied.equals("-") ? "" : applied);
    }

    @Test
    void reportOnlyMatchesAreReportedForTheLog() throws Exception {
        var d = CA.evaluate(new ConditionalAccess.Context("u", "alice@corp.example", Set.of(), Set.of(), "wiki",
                InetAddress.ofLiteral("192.0.2.44"), ClientType.BROWSER, Instant.parse("2026-11-25T10:00:00Z")));
        assertThat(d.reportOnly()).containsExactly("wiki-office-only: BLOCK");
        assertThat(d.summary()).isEqualTo("wiki-office-only: BLOCK [report-only]");
    }

    /**
     * A path rule's policies apply to the path whatever apps they name; their other conditions (users, locations) still
     * apply, and an OFF policy stays off.
     */
    @Test
    void aPathRulesPoliciesApplyToItsAppWithTheirOtherConditions() throws Exception {
        var home = new ConditionalAccess.Context("u", "alice@corp.example", Set.of(), Set.of(), "wiki", InetAddress.ofLiteral("192.0.2.44"),
                ClientType.BROWSER, Instant.parse("2026-11-25T10:00:00Z"));
        assertThat(CA.evaluate(home).outcome()).isEqualTo(Outcome.ALLOW);
        var d = CA.evaluate(home, Set.of("mfa-hr-outside"));
        assertThat(d.outcome()).isEqualTo(Outcome.REQUIRE_MFA);
        assertThat(d.applied()).containsExactly("mfa-hr-outside: REQUIRE_MFA");
        var office = new ConditionalAccess.Context("u", "alice@corp.example", Set.of(), Set.of(), "wiki", InetAddress.ofLiteral("203.0.113.10"),
                ClientType.BROWSER, Instant.parse("2026-11-25T10:00:00Z"));
        assertThat(CA.evaluate(office, Set.of("mfa-hr-outside")).outcome()).as("its location condition still applies").isEqualTo(Outcome.ALLOW);
        var breakGlass = new ConditionalAccess.Context("b", "breakglass@corp.example", Set.of(), Set.of(), "wiki",
                InetAddress.ofLiteral("192.0.2.44"), ClientType.BROWSER, Instant.parse("2026-11-25T10:00:00Z"));
        assertThat(CA.evaluate(breakGlass, Set.of("mfa-hr-outside")).outcome()).as("its exclusions still apply").isEqualTo(Outcome.ALLOW);
        assertThat(CA.evaluate(home, Set.of("switched-off")).outcome()).isEqualTo(Outcome.ALLOW);
    }

    @ParameterizedTest
    @CsvSource({"10.0.0.0/8, true", "10.0.0.1, true", "2001:db8::/32, true", "10.0.0.0/33, false", "not-an-ip, false", "10.0.0/8, false",
            "example.com, false"})
    void cidrValidation(String cidr, boolean valid) {
        assertThat(ConditionalAccess.cidrProblem(cidr).isEmpty()).isEqualTo(valid);
    }
}
