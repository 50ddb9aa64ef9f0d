package dev.drawbridge.proxy.identity;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.NameResolver;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import dev.drawbridge.model.api.DirectorySyncResult;
import dev.drawbridge.model.api.LdapSyncSettings;
import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.tunnel.TunnelSockets;
import dev.drawbridge.proxy.web.Json;
import org.jooq.DSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

import static dev.drawbridge.proxy.store.db.Tables.CONNECTOR_GROUP;
import static dev.drawbridge.proxy.store.db.Tables.DIRECTORY_SYNC;

/**
 * Directory sync from LDAP / Active Directory (UnboundID LDAP SDK): users and groups are read
 * with the configured filters and mirrored into the built-in directory (synced users have no local
 * password; users gone from LDAP, or whose account the directory marks disabled, are disabled and their
 * sessions end), on a schedule and on demand.
 * Sign-in of synced users can be verified by an LDAP bind as the user. The bind password is
 * encrypted at rest, never returned by the API, and follows its destination: settings that change the URL, the
 * bind DN or the connector group must carry it again ({@link #destinationChange}).
 *
 * <p>With a connector group in the settings, both the sync and the sign-in bind reach LDAP through a
 * connector of that group ({@link TunnelSockets}): the server usually cannot reach an on-premises
 * directory, while the connector can. Host names are resolved by the connector, inside the network;
 * ldaps:// TLS runs from this server to the LDAP server, so the connector relays only ciphertext.
 */
public final class LdapSync {
    private static final Logger LOG = LoggerFactory.getLogger(LdapSync.class);
    private static final String ROW = "ldap";

    private final DSLContext dsl;
    private final DirectoryStore store;
    private final DataKey dataKey;
    private final Clock clock;
    private final TunnelSockets tunnels;

    public LdapSync(Database db, DirectoryStore store, DataKey dataKey, Clock clock, TunnelSockets tunnels) {
        this.dsl = db.dsl();
        this.store = store;
        this.dataKey = dataKey;
        this.clock = clock;
        this.tunnels = tunnels;
    }

    /** The stored settings (password decrypted, group by name) and the connector group's id, if any. */
    private record Stored(LdapSyncSettings settings, Optional<String> groupId) {
    }

    private Optional<Stored> stored() {
        return dsl.select(DIRECTORY_SYNC.BODY, DIRECTORY_SYNC.CONNECTOR_GROUP_ID, CONNECTOR_GROUP.NAME).from(DIRECTORY_SYNC)
                .leftJoin(CONNECTOR_GROUP).on(CONNECTOR_GROUP.ID.eq(DIRECTORY_SYNC.CONNECTOR_GROUP_ID))
                .where(DIRECTORY_SYNC.ID.eq(ROW)).fetchOptional()
                .map(r -> {
                    LdapSyncSettings s = read(r.value1());
                    s = s.withBindPassword(s.bindPassword() == null ? null : dataKey.decrypt(s.bindPassword()))
                            .withConnectorGroup(r.value2() == null ? null : Optional.ofNullable(r.value3()).orElse(r.value2()));
                    return new Stored(s, Optional.ofNullable(r.value2()));
                });
    }

    /** The settings with the bind password decrypted, if configured. */
    Optional<LdapSyncSettings> settings() {
        return stored().map(Stored::settings);
    }

    /** The id of a connector group named by id or name. */
    public Optional<String> connectorGroupId(String idOrName) {
        return dsl.select(CONNECTOR_GROUP.ID).from(CONNECTOR_GROUP).where(CONNECTOR_GROUP.ID.eq(idOrName)).fetchOptional(CONNECTOR_GROUP.ID)
                .or(() -> dsl.select(CONNECTOR_GROUP.ID).from(CONNECTOR_GROUP).where(CONNECTOR_GROUP.NAME.eq(idOrName))
                        .fetchOptional(CONNECTOR_GROUP.ID));
    }

    /**
     * The settings as the API shows them: the password replaced by "********" when set, the on-premises identity
     * attributes by the names in use ("" when not synced; settings saved before they existed use Active Directory's).
     */
    public Optional<LdapSyncSettings> view() {
        return settings().map(s -> s.withBindPassword(s.bindPassword() == null ? null : "********")
                .withOnPremAttributes(s.syncedOnPremUpnAttribute().orElse(""), s.syncedSamAccountNameAttribute().orElse("")));
    }

    /**
     * Saves settings; a null or "********" password keeps the stored one. A null connector group keeps the
     * stored one too (clients that predate the field do not switch LDAP back to direct); an empty one means
     * direct. A named group must exist (the API checks it first with {@link #connectorGroupId}). A null on-premises
     * identity attribute keeps the stored one too (Active Directory's on a first save); an empty one means not synced.
     */
    public void save(LdapSyncSettings in) {
        Optional<Stored> old = stored();
        Optional<String> moved = destinationChange(in);
        if (moved.isPresent()) {
            throw new IllegalArgumentException(moved.get());
        }
        String password = !passwordEntered(in) ? old.map(o -> o.settings().bindPassword()).orElse(null) : in.bindPassword();
        String groupId = in.connectorGroup() == null ? old.flatMap(Stored::groupId).orElse(null)
                : in.connectorGroup().isBlank() ? null
                : connectorGroupId(in.connectorGroup().strip())
                        .orElseThrow(() -> new IllegalArgumentException("no connector group '" + in.connectorGroup() + "'"));
        // The group lives in its own column (a foreign key), not in the JSON body.
        Optional<LdapSyncSettings> was = old.map(Stored::settings);
        LdapSyncSettings kept = in.withOnPremAttributes(
                chosen(in.onPremUpnAttribute(), was.map(LdapSyncSettings::onPremUpnAttribute), LdapSyncSettings.AD_ON_PREM_UPN),
                chosen(in.samAccountNameAttribute(), was.map(LdapSyncSettings::samAccountNameAttribute), LdapSyncSettings.AD_SAM_ACCOUNT_NAME));
        String body = write(kept.withBindPassword(password == null ? null : dataKey.encrypt(password)).withConnectorGroup(null));
        dsl.insertInto(DIRECTORY_SYNC).set(DIRECTORY_SYNC.ID, ROW).set(DIRECTORY_SYNC.BODY, body)
                .set(DIRECTORY_SYNC.CONNECTOR_GROUP_ID, groupId)
                .onDuplicateKeyUpdate().set(DIRECTORY_SYNC.BODY, body).set(DIRECTORY_SYNC.CONNECTOR_GROUP_ID, groupId).execute();
    }

    /**
     * Why {@code in} cannot keep the stored bind password: it changes where the password goes (the URL, which names
     * host and port, the bind DN, or the connector group that carries the connection) without entering it again.
     * Otherwise someone with write access could point the settings at a server of theirs and receive the stored password.
     */
    public Optional<String> destinationChange(LdapSyncSettings in) {
        Optional<Stored> old = stored();
        if (old.isEmpty() || old.get().settings().bindPassword() == null || passwordEntered(in)) {
            return Optional.empty();
        }
        LdapSyncSettings s = old.get().settings();
        List<String> changed = new ArrayList<>();
        if (!strip(in.url()).equals(strip(s.url()))) {
            changed.add("url");
        }
        if (!strip(in.bindDn()).equals(strip(s.bindDn()))) {
            changed.add("bindDn");
        }
        if (in.connectorGroup() != null && !(in.connectorGroup().isBlank() ? Optional.<String>empty()
                : connectorGroupId(in.connectorGroup().strip())).equals(old.get().groupId())) {
            changed.add("connectorGroup");
        }
        return changed.isEmpty() ? Optional.empty() : Optional.of("bindPassword must be entered again when " + String.join(" or ", changed)
                + " changes: the stored password is only sent where it was entered for");
    }

    /**
     * Why {@code in} cannot be saved: it would send plain {@code ldap://} through a connector group (the one named, or
     * the stored one a PUT without the field keeps). Every connector of the group carries the connection, and an
     * application administrator may register or move connectors into any group: in clear, the bind password and each
     * synced user's sign-in password would be readable there, and a connector answering the binds itself could sign
     * in as any synced user. With {@code ldaps://} the TLS runs from this server to the directory and the connector
     * relays ciphertext only.
     */
    public Optional<String> plainThroughConnector(LdapSyncSettings in) {
        Optional<String> group = in.connectorGroup() == null ? stored().flatMap(Stored::groupId)
                : in.connectorGroup().isBlank() ? Optional.empty() : connectorGroupId(in.connectorGroup().strip());
        return group.isEmpty() || in.url() == null || in.url().strip().regionMatches(true, 0, "ldaps://", 0, 8)
                ? Optional.empty() : Optional.of(PLAIN_THROUGH_CONNECTOR);
    }

    static final String PLAIN_THROUGH_CONNECTOR = "url must be ldaps:// when LDAP is reached through a connector group: every "
            + "connector of the group carries the connection, and plain ldap:// would show it the bind password and every user's password";

    /** The attribute to store: the one entered (blank: not synced), else the stored one, else {@code dflt}. */
    private static String chosen(String entered, Optional<String> stored, String dflt) {
        return (entered != null ? entered : stored.orElse(dflt)).strip();
    }

    private static boolean passwordEntered(LdapSyncSettings in) {
        return in.bindPassword() != null && !in.bindPassword().equals("********");
    }

    private static String strip(String s) {
        return s == null ? "" : s.strip();
    }

    /** Runs the sync now. */
    public DirectorySyncResult run() throws LDAPException {
        Stored stored = stored().orElseThrow(() -> new LDAPException(ResultCode.PARAM_ERROR, "directory sync is not configured"));
        LdapSyncSettings s = stored.settings();
        Instant now = clock.instant();
        int created = 0, updated = 0, groupsCreated = 0, groupsUpdated = 0;
        List<String> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (LDAPConnection c = connect(s, stored.groupId())) {
            if (s.bindDn() != null && !s.bindDn().isBlank()) {
                c.bind(s.bindDn(), s.bindPassword());
            }
            LdapUserReader reader = new LdapUserReader(s);
            List<SyncedUser> users = new ArrayList<>();
            for (SearchResultEntry e : c.search(s.userBase(), SearchScope.SUB, or(s.userFilter(), "(objectClass=person)"),
                    reader.requested(USER_ACCOUNT_CONTROL, NS_ACCOUNT_LOCK)).getSearchEntries()) {
                if (disabledInDirectory(e)) {
                    // Left out of "seen": disabled below with its sessions ended, and never re-enabled while flagged.
                    continue;
                }
                reader.read(e, problems).ifPresent(users::add);
            }
            for (SyncedUser u : LdapUserReader.unambiguous(users, problems)) {
                try {
                    if (store.upsertSyncedUser(u, now)) {
                        created++;
                    } else {
                        updated++;
                    }
                    seen.add(u.dn());
                } catch (ConflictException ex) {
                    problems.add(u.dn() + ": " + ex.getMessage());
                }
            }
            int disabled = store.disableSyncedUsersNotIn(seen, now);
            if (s.groupBase() != null && !s.groupBase().isBlank()) {
                Map<String, String> byDn = new HashMap<>();
                store.syncedUserIdsByDn().forEach((dn, id) -> byDn.put(normalize(dn), id));
                String memberAttr = or(s.memberAttribute(), "member");
                for (SearchResultEntry g : c.search(s.groupBase(), SearchScope.SUB, or(s.groupFilter(), "(objectClass=groupOfNames)"),
                        "cn", memberAttr).getSearchEntries()) {
                    Set<String> members = new HashSet<>();
                    Attribute m = g.getAttribute(memberAttr);
                    if (m != null) {
                        for (String dn : m.getValues()) {
                            Optional.ofNullable(byDn.get(normalize(dn))).ifPresent(members::add);
                        }
                    }
                    try {
                        if (store.upsertSyncedGroup(g.getDN(), Optional.ofNullable(g.getAttributeValue("cn")).orElse(g.getDN()), members, now)) {
                            groupsCreated++;
                        } else {
                            groupsUpdated++;
                        }
                    } catch (ConflictException ex) {
                        problems.add(g.getDN() + ": " + ex.getMessage());
                    }
                }
            }
            store.refreshDynamicGroups();
            DirectorySyncResult r = new DirectorySyncResult(now, created, updated, disabled, groupsCreated, groupsUpdated, problems);
            record(now, r.toString());
            LOG.info("directory sync: {}", r);
            return r;
        } catch (LDAPException e) {
            record(now, "failed: " + e.getResultCode() + " " + e.getDiagnosticMessage());
            throw e;
        }
    }

    /** Active Directory's account flags: bit 0x2 (ACCOUNTDISABLE) is how AD disables an account it keeps. */
    private static final String USER_ACCOUNT_CONTROL = "userAccountControl";
    /** 389 Directory Server / Red Hat IdM: an account an administrator deactivated. */
    private static final String NS_ACCOUNT_LOCK = "nsAccountLock";

    /**
     * Whether the directory itself marks the account disabled, whatever the sync's filter: such a user counts as gone
     * from LDAP (disabled here, sessions ended) until the flag goes away. Temporary lockouts (AD's lockoutTime, the
     * password policy's pwdAccountLockedTime) are not disables: an attacker guessing LDAP passwords must not end a
     * user's sessions here.
     */
    static boolean disabledInDirectory(SearchResultEntry e) {
        Long uac = e.getAttributeValueAsLong(USER_ACCOUNT_CONTROL);
        return (uac != null && (uac & 0x2) != 0) || "true".equalsIgnoreCase(e.getAttributeValue(NS_ACCOUNT_LOCK));
    }

    /** Runs the sync if its interval has passed since the last run (called every minute by the server). */
    public void runIfDue() {
        Optional<LdapSyncSettings> s = settings();
        if (s.isEmpty() || s.get().intervalMinutes() == null || s.get().intervalMinutes() < 1) {
            return;
        }
        var last = dsl.select(DIRECTORY_SYNC.LAST_RUN_AT).from(DIRECTORY_SYNC).where(DIRECTORY_SYNC.ID.eq(ROW)).fetchOne(DIRECTORY_SYNC.LAST_RUN_AT);
        if (last == null || last.toInstant().plus(Duration.ofMinutes(s.get().intervalMinutes())).isBefore(clock.instant())) {
            try {
                run();
            } catch (LDAPException | RuntimeException e) {
                LOG.warn("scheduled directory sync failed: {}", e.getMessage());
            }
        }
    }

    /** Checks a synced user's password by binding as the user; false for wrong credentials or when LDAP verification is off. */
    public boolean verifyPassword(String userDn, String password) {
        Optional<Stored> s = stored();
        if (s.isEmpty() || !Boolean.TRUE.equals(s.get().settings().verifyPasswordsWithLdap()) || password == null || password.isEmpty()) {
            return false;
        }
        try (LDAPConnection c = connect(s.get().settings(), s.get().groupId())) {
            c.bind(userDn, password);
            return true;
        } catch (LDAPException e) {
            if (e.getResultCode() != ResultCode.INVALID_CREDENTIALS) {
                LOG.warn("LDAP bind for sign-in failed: {}: {}", e.getResultCode(), Optional.ofNullable(e.getDiagnosticMessage()).orElse(e.getMessage()));
            }
            return false;
        }
    }

    /** Connects directly, or through a connector of {@code groupId}. */
    private LDAPConnection connect(LdapSyncSettings s, Optional<String> groupId) throws LDAPException {
        LDAPURL url = new LDAPURL(s.url());
        if (groupId.isPresent() && !"ldaps".equalsIgnoreCase(url.getScheme())) {
            // Settings saved before plainThroughConnector existed: refused here too, before any tunnel is used.
            throw new LDAPException(ResultCode.CONNECT_ERROR, PLAIN_THROUGH_CONNECTOR);
        }
        LDAPConnectionOptions options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis(10_000);
        options.setResponseTimeoutMillis(30_000);
        if (groupId.isPresent()) {
            if (!tunnels.available(groupId.get())) {
                throw new LDAPException(ResultCode.CONNECT_ERROR, "no connector of group '" + s.connectorGroup()
                        + "' is connected to this server; start one, or pick another group for directory sync");
            }
            // The name is the connector's to resolve, inside the network; this server may not know it.
            options.setNameResolver(TunnelledNames.INSTANCE);
        }
        SocketFactory sockets = groupId.map(g -> tunnels.socketFactory(g, "ldap")).orElse(null);
        if (url.getScheme().equals("ldaps")) {
            try {
                // The JVM's trusted CAs, and the certificate must name the host.
                options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(false));
                SSLSocketFactory tls = sslUtil().createSSLSocketFactory();
                return new LDAPConnection(groupId.isPresent() ? tunnels.sslSocketFactory(groupId.get(), "ldap", tls) : tls,
                        options, url.getHost(), url.getPort());
            } catch (GeneralSecurityException e) {
                throw new LDAPException(ResultCode.CONNECT_ERROR, "TLS setup failed: " + e.getMessage());
            }
        }
        return new LDAPConnection(sockets, options, url.getHost(), url.getPort());
    }

    /** The TLS client for ldaps:// (the JVM's trusted CAs unless a test replaced them). */
    private SSLUtil sslUtil() {
        return trustOverride != null ? new SSLUtil(trustOverride) : new SSLUtil(JVMDefaultTrustManager.getInstance());
    }

    private volatile TrustManager trustOverride;

    /** Trusts only {@code trust} for ldaps:// instead of the JVM's CAs (tests with their own CA). */
    public void trustForTests(TrustManager trust) {
        this.trustOverride = trust;
    }

    /**
     * Names are not resolved on this server when LDAP is reached through a connector: each lookup answers
     * an address that only carries the name (0.0.0.0 as placeholder), which the tunnel socket hands to the
     * connector as it is.
     */
    private static final class TunnelledNames extends NameResolver {
        static final TunnelledNames INSTANCE = new TunnelledNames();

        @Override
        public InetAddress getByName(String host) throws UnknownHostException {
            return InetAddress.getByAddress(host, new byte[4]);
        }

        @Override
        public InetAddress[] getAllByName(String host) throws UnknownHostException {
            return new InetAddress[]{getByName(host)};
        }

        @Override
        public void toString(StringBuilder buffer) {
            buffer.append("TunnelledNames()");
        }
    }

    private void record(Instant at, String result) {
        dsl.update(DIRECTORY_SYNC).set(DIRECTORY_SYNC.LAST_RUN_AT, at.atOffset(ZoneOffset.UTC))
                .set(DIRECTORY_SYNC.LAST_RESULT, result.length() > 2000 ? result.substring(0, 2000) : result)
                .where(DIRECTORY_SYNC.ID.eq(ROW)).execute();
    }

    private static String normalize(String dn) {
        try {
            return new DN(dn).toNormalizedString();
        } catch (LDAPException e) {
            return dn.toLowerCase(Locale.ROOT);
        }
    }

    private static String or(String v, String dflt) {
        return v == null || v.isBlank() ? dflt : v;
    }

    private static LdapSyncSettings read(String json) {
        try {
            return Json.MAPPER.readValue(json, LdapSyncSettings.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored directory sync settings are not valid JSON", e);
        }
    }

    private static String write(LdapSyncSettings s) {
        try {
            return Json.MAPPER.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
