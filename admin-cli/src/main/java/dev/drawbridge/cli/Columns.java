package dev.drawbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.cli.Table.Column;

import java.util.ArrayList;
import java.util.List;

/** The columns each resource shows in table output. */
final class Columns {
    private Columns() {
    }

    private static String orDash(String s) {
        return s.isEmpty() ? "-" : s;
    }

    static final List<Column> APPS = List.of(Column.of("NAME", "name"), Column.of("EXTERNAL URL", "externalUrl"),
            Column.of("INTERNAL URL", "internalUrl"), Column.of("GROUP", "connectorGroupName"),
            Column.of("PRE-AUTH", "preAuthentication"), Column.of("ID", "id"));
    static final List<Column> PATH_RULES = List.of(Column.of("PATH", "path"),
            Column.computed("PRE-AUTH", r -> r.path("preAuthentication").isNull() ? "(app's)" : r.path("preAuthentication").asText()),
            Column.computed("USERS", r -> r.path("users").isEmpty() ? "(app's)" : Table.text(r.path("users"))),
            Column.computed("POLICIES", r -> r.path("policies").isEmpty() ? "-" : Table.text(r.path("policies"))));
    static final List<Column> ASSIGNMENTS = List.of(Column.of("TYPE", "principalType"), Column.of("PRINCIPAL", "principalName"),
            Column.of("PRINCIPAL ID", "principalId"), Column.of("SINCE", "createdAt"));
    static final List<Column> CONNECTOR_GROUPS = List.of(Column.of("NAME", "name"), Column.of("CONNECTORS", "connectors"),
            Column.of("ACTIVE", "activeConnectors"),
            new Column("MAINTENANCE", g -> g.path("maintenance").isObject() ? "since " + Table.text(g.path("maintenance").path("since")) : "",
                    "maintenance"),
            Column.of("ID", "id"));
    static final List<Column> CONNECTORS = List.of(Column.of("HOST", "hostName"), Column.of("GROUP", "groupName"),
            Column.of("STATUS", "status"), Column.of("TUNNELS", "tunnels"), Column.of("VERSION", "version"),
            Column.of("LAST SEEN", "lastSeenAt"), Column.of("CERT UNTIL", "certificateNotAfter"),
            Column.optional("UPDATE STATE", "updateState"), Column.computed("LAST ERROR", c -> orDash(c.path("updateError").asText(""))),
            Column.of("ID", "id"));
    static final List<Column> CONNECTOR_UPDATES = List.of(Column.of("VERSION", "version"), Column.of("SIZE", "size"),
            Column.of("SHA-256", "sha256"), Column.of("UPLOADED", "uploadedAt"), Column.of("BY", "uploadedBy"));
    static final List<Column> ROLLOUT_CONNECTORS = List.of(Column.of("HOST", "hostName"), Column.of("VERSION", "version"),
            Column.of("STATUS", "status"), Column.of("UPDATE STATE", "updateState"), Column.computed("LAST ERROR", c -> orDash(
                    c.path("lastError").asText(""))), Column.of("ID", "id"));
    static final List<Column> USERS = List.of(Column.of("UPN", "upn"), Column.of("NAME", "displayName"),
            Column.of("ENABLED", "enabled"), Column.of("MFA", "mfaEnrolled"), Column.optional("ROLES", "roles"),
            Column.of("GROUPS", "groups"), Column.of("ID", "id"));
    static final List<Column> GROUPS = List.of(Column.of("NAME", "name"), Column.of("MEMBERS", "members"),
            Column.of("RULE", "membershipRule"), Column.of("DESCRIPTION", "description"), Column.of("ID", "id"));
    static final List<Column> POLICIES = List.of(Column.of("NAME", "name"), Column.of("STATE", "state"),
            Column.of("CONTROL", "control"), Column.computed("APPS", p -> p.path("apps").isEmpty() ? "ALL" : Table.text(p.path("apps"))),
            Column.of("USERS", "users"), Column.of("ID", "id"));
    static final List<Column> IDENTITY_PROVIDERS = List.of(Column.of("ID", "id"), Column.of("NAME", "displayName"),
            Column.of("ISSUER", "issuer"), Column.of("EMAIL DOMAINS", "emailDomains"));
    static final List<Column> NAMED_LOCATIONS = List.of(Column.of("NAME", "name"), Column.of("TRUSTED", "trusted"),
            Column.of("RANGES", "cidrs"), Column.of("ID", "id"));
    static final List<Column> ACCESS_REQUESTS = List.of(Column.of("USER", "upn"), Column.of("APP", "appName"),
            Column.of("STATUS", "status"), Column.of("REASON", "reason"), Column.of("CREATED", "createdAt"), Column.of("ID", "id"));
    static final List<Column> OAUTH_CLIENTS = List.of(Column.of("CLIENT ID", "clientId"), Column.of("NAME", "displayName"),
            Column.of("GRANTS", "grants"), Column.of("REDIRECT URIS", "redirectUris"),
            Column.computed("APPS", c -> c.path("appIds").isEmpty() ? "any" : Table.text(c.path("appIds"))), Column.of("UPDATED", "updatedAt"));
    static final List<Column> CERTIFICATES = List.of(Column.of("HOSTS", "hosts"), Column.of("SUBJECT", "subject"),
            Column.of("NOT AFTER", "notAfter"), Column.of("DAYS LEFT", "daysLeft"), Column.of("ID", "id"));
    static final List<Column> DOMAINS = List.of(Column.of("NAME", "name"), Column.of("STATUS", "status"),
            Column.computed("DNS RECORD TO CREATE", d -> dnsRecords(d)), Column.computed("HOSTS WITHOUT CERTIFICATE",
                    d -> orDash(Table.text(d.path("hostsWithoutCertificate")))), Column.of("ID", "id"));
    static final List<Column> SIGN_INS = List.of(Column.of("TIME", "at"), Column.of("USER", "upn"), Column.of("APP", "appName"),
            Column.of("EVENT", "event"), Column.of("RESULT", "result"), Column.of("REASON", "reason"), Column.of("IP", "clientIp"),
            Column.of("MFA", "mfaUsed"));
    static final List<Column> SIGN_IN_STATS = List.of(Column.of("HOUR", "start"), Column.of("SUCCEEDED", "succeeded"),
            Column.of("DENIED", "denied"));
    static final List<Column> AUDIT = List.of(Column.of("TIME", "at"), Column.of("ACTOR", "actor"), Column.of("ACTION", "action"),
            Column.of("TARGET", "targetType"), Column.of("TARGET ID", "targetId"));
    static final List<Column> CONNECTOR_EVENTS = List.of(Column.of("TIME", "time"),
            Column.firstOf("CONNECTOR", "connectorName", "connectorId"), Column.of("TYPE", "type"), Column.of("DETAIL", "detail"),
            Column.of("CONNECTOR ID", "connectorId"));

    /** A domain's DNS records, e.g. {@code *.apps.contoso.com CNAME login.example.com}. */
    static String dnsRecords(JsonNode domain) {
        List<String> records = new ArrayList<>();
        domain.path("dnsRecords").forEach(r -> records.add(r.path("name").asText() + " " + r.path("type").asText() + " " + r.path("value").asText()));
        return orDash(String.join(", ", records));
    }
}
