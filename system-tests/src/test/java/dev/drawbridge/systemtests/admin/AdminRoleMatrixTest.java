package dev.drawbridge.systemtests.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.drawbridge.model.api.AdminRole.APPLICATION_ADMINISTRATOR;
import static dev.drawbridge.model.api.AdminRole.CLOUD_APPLICATION_ADMINISTRATOR;
import static dev.drawbridge.model.api.AdminRole.GLOBAL_ADMINISTRATOR;
import static dev.drawbridge.model.api.AdminRole.HELPDESK_ADMINISTRATOR;
import static dev.drawbridge.model.api.AdminRole.SECURITY_READER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every caller (each role, a user whose roles were removed, the bootstrap credential) against every target (no role,
 * each role, several roles; another user or the caller's own account) for every operation that changes a user,
 * including granting and removing every role, through the real admin API over TLS. The expected answer comes from
 * the tables below, written from Entra's "who can reset passwords" rule, not from the server's code: a helpdesk
 * administrator changes only users without an admin role and other helpdesk administrators; only a global
 * administrator changes other administrators or roles; nobody grants a role they could not hold themselves; nobody
 * changes their own roles, resets their own password or MFA, or disables or deletes themselves.
 */
class AdminRoleMatrixTest {
    static final String PASSWORD = "correct horse battery staple";

    @TempDir
    static Path dir;
    static DrawbridgeStack stack;
    static String groupId;
    static final AtomicInteger serial = new AtomicInteger();

    /** Who calls. */
    enum Who {
        BOOTSTRAP(null), GLOBAL(GLOBAL_ADMINISTRATOR), APP(APPLICATION_ADMINISTRATOR), CLOUD_APP(CLOUD_APPLICATION_ADMINISTRATOR),
        HELPDESK(HELPDESK_ADMINISTRATOR), READER(SECURITY_READER), NO_ROLE(null);

        final AdminRole role;

        Who(AdminRole role) {
            this.role = role;
        }
    }

    /** Every operation of the admin API that changes a user. */
    enum Op {
        PASSWORD, RESET_MFA, REVOKE_SESSIONS, DISABLE, ENABLE, DELETE, MEMBER_ADD, MEMBER_ADD_BY_UPN, MEMBER_REMOVE,
        GRANT_GLOBAL, GRANT_APP, GRANT_CLOUD_APP, GRANT_HELPDESK, GRANT_READER, REMOVE_ALL_ROLES;

        AdminRole granted() {
            return switch (this) {
                case GRANT_GLOBAL -> GLOBAL_ADMINISTRATOR;
                case GRANT_APP -> APPLICATION_ADMINISTRATOR;
                case GRANT_CLOUD_APP -> CLOUD_APPLICATION_ADMINISTRATOR;
                case GRANT_HELPDESK -> HELPDESK_ADMINISTRATOR;
                case GRANT_READER -> SECURITY_READER;
                default -> null;
            };
        }

        boolean roleChange() {
            return granted() != null || this == REMOVE_ALL_ROLES;
        }
    }

    // ---- The rule, written out (docs/admin.md) ----

    /** Which callers hold the permission each operation needs. */
    static final Map<Op, Set<Who>> PERMITTED = new EnumMap<>(Op.class);
    /** Whose accounts each caller may change, by the target's roles (a target without roles: every caller with the permission). */
    static final Map<Who, Set<AdminRole>> MANAGES = new EnumMap<>(Who.class);
    /** Which roles each caller may grant or remove. */
    static final Map<Who, Set<AdminRole>> GRANTS = new EnumMap<>(Who.class);
    /** What a caller may do to their own account (with the permission). */
    static final Set<Op> ON_SELF = EnumSet.of(Op.REVOKE_SESSIONS, Op.MEMBER_ADD, Op.MEMBER_ADD_BY_UPN, Op.MEMBER_REMOVE);

    static {
        Set<Who> global = EnumSet.of(Who.BOOTSTRAP, Who.GLOBAL);
        Set<Who> helpdesk = EnumSet.of(Who.BOOTSTRAP, Who.GLOBAL, Who.HELPDESK);
        for (Op op : Op.values()) {
            PERMITTED.put(op, switch (op) {
                case PASSWORD, RESET_MFA, REVOKE_SESSIONS -> helpdesk;
                default -> global;
            });
        }
        for (Who w : Who.values()) {
            MANAGES.put(w, switch (w) {
                case BOOTSTRAP, GLOBAL -> EnumSet.allOf(AdminRole.class);
                case HELPDESK -> EnumSet.of(HELPDESK_ADMINISTRATOR);
                default -> EnumSet.noneOf(AdminRole.class);
            });
            GRANTS.put(w, w == Who.BOOTSTRAP || w == Who.GLOBAL ? EnumSet.allOf(AdminRole.class) : EnumSet.noneOf(AdminRole.class));
        }
    }

    static final List<Set<AdminRole>> TARGETS = List.of(Set.of(), Set.of(GLOBAL_ADMINISTRATOR), Set.of(APPLICATION_ADMINISTRATOR),
            Set.of(CLOUD_APPLICATION_ADMINISTRATOR), Set.of(HELPDESK_ADMINISTRATOR), Set.of(SECURITY_READER),
            Set.of(HELPDESK_ADMINISTRATOR, SECURITY_READER), Set.of(HELPDESK_ADMINISTRATOR, APPLICATION_ADMINISTRATOR),
            Set.of(GLOBAL_ADMINISTRATOR, HELPDESK_ADMINISTRATOR));

    enum Outcome { ALLOWED, FORBIDDEN, UNAUTHENTICATED }

    static Outcome expected(Who who, Op op, Set<AdminRole> target, boolean self) {
        if (who == Who.NO_ROLE) {
            return Outcome.UNAUTHENTICATED;
        }
        boolean permitted = PERMITTED.get(op).contains(who);
        boolean manages = MANAGES.get(who).containsAll(target);
        boolean grants = true;
        if (op.granted() != null && !target.contains(op.granted())) {
            grants = GRANTS.get(who).contains(op.granted());
        } else if (op == Op.REMOVE_ALL_ROLES) {
            grants = GRANTS.get(who).containsAll(target);
        }
        boolean selfOk = !self || ON_SELF.contains(op);
        return permitted && manages && grants && selfOk ? Outcome.ALLOWED : Outcome.FORBIDDEN;
    }

    // ---- The server ----

    static final Map<Who, String> tokens = new EnumMap<>(Who.class);
    static final Map<Who, String> ids = new EnumMap<>(Who.class);

    @BeforeAll
    static void start() throws Exception {
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        tokens.put(Who.BOOTSTRAP, stack.adminToken());
        groupId = ok(stack.api("POST", "groups", Map.of("name", "matrix"))).path("id").asText();
        for (Who w : Who.values()) {
            if (w != Who.BOOTSTRAP) {
                String[] signedIn = signIn("caller", w.role == null ? SECURITY_READER : w.role);
                ids.put(w, signedIn[0]);
                tokens.put(w, signedIn[1]);
            }
        }
        // The no-role caller signed in while it held a role; the token must stop working the moment the role goes.
        ok(stack.api("PUT", "users/" + ids.get(Who.NO_ROLE) + "/roles", Map.of("roles", List.of())));
    }

    /** A new user holding {@code role}, signed in to the admin API: its id and admin token. */
    static String[] signIn(String prefix, AdminRole role) throws Exception {
        String upn = prefix + "-" + serial.incrementAndGet() + "@corp.example";
        String id = ok(stack.api("POST", "users", Map.of("upn", upn, "displayName", prefix, "password", PASSWORD))).path("id").asText();
        ok(stack.api("PUT", "users/" + id + "/roles", Map.of("roles", List.of(role))));
        Answer t = call(null, "POST", "auth/token", Map.of("username", upn, "password", PASSWORD));
        assertThat(t.status()).as(String.valueOf(t.body())).isEqualTo(200);
        return new String[]{id, t.body().path("accessToken").asText()};
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    record Answer(int status, JsonNode body) {
    }

    static Answer call(String token, String method, String path, Object body) throws Exception {
        var req = stack.http().newRequest(stack.adminUrl().resolve("/api/v1/" + path)).method(method).timeout(30, TimeUnit.SECONDS);
        if (token != null) {
            req.headers(h -> h.put("Authorization", "Bearer " + token));
        }
        if (body != null) {
            req.body(new StringRequestContent("application/json", body instanceof String s ? s : Json.MAPPER.writeValueAsString(body)));
        }
        ContentResponse r = req.send();
        return new Answer(r.getStatus(), r.getContent().length == 0 ? null : Json.MAPPER.readTree(r.getContent()));
    }

    static JsonNode ok(DrawbridgeStack.ApiAnswer a) {
        assertThat(a.status()).as(String.valueOf(a.body())).isBetween(200, 204);
        return a.body();
    }

    /** A fresh user holding {@code roles}; its id and UPN. */
    static String[] target(Set<AdminRole> roles) throws Exception {
        String upn = "target-" + serial.incrementAndGet() + "@corp.example";
        String id = ok(stack.api("POST", "users", Map.of("upn", upn, "displayName", "Target"))).path("id").asText();
        if (!roles.isEmpty()) {
            ok(stack.api("PUT", "users/" + id + "/roles", Map.of("roles", roles)));
        }
        return new String[]{id, upn};
    }

    /** Prepares the target so the operation has something to change (a disabled user to enable, a member to remove). */
    static void prepare(Op op, String id) throws Exception {
        if (op == Op.ENABLE) {
            ok(stack.api("POST", "users/" + id + "/disable", "{}"));
        } else if (op == Op.MEMBER_REMOVE) {
            ok(stack.api("POST", "groups/" + groupId + "/members", Map.of("user", id)));
        }
    }

    static Answer perform(Op op, String token, String id, String upn, Set<AdminRole> held) throws Exception {
        return switch (op) {
            case PASSWORD -> call(token, "POST", "users/" + id + "/password", Map.of("password", "a brand new passphrase " + id));
            case RESET_MFA -> call(token, "POST", "users/" + id + "/reset-mfa", "{}");
            case REVOKE_SESSIONS -> call(token, "POST", "users/" + id + "/revoke-sessions", "{}");
            case DISABLE -> call(token, "POST", "users/" + id + "/disable", "{}");
            case ENABLE -> call(token, "POST", "users/" + id + "/enable", "{}");
            case DELETE -> call(token, "DELETE", "users/" + id, null);
            case MEMBER_ADD -> call(token, "POST", "groups/" + groupId + "/members", Map.of("user", id));
            case MEMBER_ADD_BY_UPN -> call(token, "POST", "groups/" + groupId + "/members", Map.of("user", " " + upn.toUpperCase(Locale.ROOT)));
            case MEMBER_REMOVE -> call(token, "DELETE", "groups/" + groupId + "/members/" + id, null);
            case REMOVE_ALL_ROLES -> call(token, "PUT", "users/" + id + "/roles", Map.of("roles", List.of()));
            default -> {
                EnumSet<AdminRole> next = held.isEmpty() ? EnumSet.noneOf(AdminRole.class) : EnumSet.copyOf(held);
                next.add(op.granted());
                yield call(token, "PUT", "users/" + id + "/roles", Map.of("roles", next));
            }
        };
    }

    /** Whether the operation's effect is visible on the target, read with the bootstrap credential. */
    static boolean changed(Op op, String id, Set<AdminRole> held) throws Exception {
        return switch (op) {
            case PASSWORD -> audited("user.password", id);
            case RESET_MFA -> audited("user.reset-mfa", id);
            case REVOKE_SESSIONS -> audited("user.revoke-sessions", id);
            case DISABLE -> !stack.api("GET", "users/" + id, null).body().path("enabled").asBoolean();
            case ENABLE -> stack.api("GET", "users/" + id, null).body().path("enabled").asBoolean();
            case DELETE -> stack.api("GET", "users/" + id, null).status() == 404;
            case MEMBER_ADD, MEMBER_ADD_BY_UPN -> isMember(id);
            case MEMBER_REMOVE -> !isMember(id);
            default -> {
                List<String> now = new ArrayList<>();
                stack.api("GET", "users/" + id + "/roles", null).body().path("roles").forEach(r -> now.add(r.asText()));
                yield op == Op.REMOVE_ALL_ROLES ? now.isEmpty() && !held.isEmpty() : now.contains(op.granted().name()) && !held.contains(op.granted());
            }
        };
    }

    static boolean audited(String action, String id) throws Exception {
        return stack.api("GET", "audit-logs?action=" + action + "&targetId=" + id, null).body().path("total").asInt() > 0;
    }

    static boolean isMember(String id) throws Exception {
        return stack.api("GET", "groups/" + groupId + "/members", null).body().findValuesAsText("id").contains(id);
    }

    /** Checks one case; returns what was wrong, or null. */
    static String check(Who who, String token, Op op, String id, String upn, Set<AdminRole> held, boolean self) throws Exception {
        Outcome want = expected(who, op, held, self);
        prepare(op, id);
        Answer a = perform(op, token, id, upn, held);
        Outcome got = a.status() >= 200 && a.status() < 300 ? Outcome.ALLOWED
                : a.status() == 403 ? Outcome.FORBIDDEN : a.status() == 401 ? Outcome.UNAUTHENTICATED : null;
        String what = who + (self ? " on itself" : " on " + held) + " " + op + ": ";
        if (got != want) {
            return what + "expected " + want + ", got " + a.status() + " " + a.body();
        }
        // A no-op grant (the target already holds the role) changes nothing, which is right.
        boolean noop = op.granted() != null && held.contains(op.granted()) || op == Op.REMOVE_ALL_ROLES && held.isEmpty();
        if (!noop && changed(op, id, held) != (want == Outcome.ALLOWED)) {
            return what + (want == Outcome.ALLOWED ? "answered " + a.status() + " but changed nothing" : "refused but the change happened");
        }
        if (want == Outcome.FORBIDDEN && PERMITTED.get(op).contains(who)) {
            // Refused on the target, not on the permission: a problem document, and an audit record naming the target.
            if (!a.body().path("type").asText().endsWith("/forbidden")) {
                return what + "refused without the forbidden problem type: " + a.body();
            }
            if (!audited("access.denied", id)) {
                return what + "refusal not in the audit log";
            }
        }
        return null;
    }

    @Test
    void everyCallerAgainstEveryTargetForEveryUserChangingOperation() throws Exception {
        List<String> wrong = new ArrayList<>();
        int cases = 0;
        for (Who who : Who.values()) {
            for (Set<AdminRole> held : TARGETS) {
                for (Op op : Op.values()) {
                    String[] t = target(held);
                    String problem = check(who, tokens.get(who), op, t[0], t[1], held, false);
                    if (problem != null) {
                        wrong.add(problem);
                    }
                    cases++;
                }
            }
        }
        assertThat(wrong).as("%d of %d cases", wrong.size(), cases).isEmpty();
        assertThat(cases).isEqualTo(Who.values().length * TARGETS.size() * Op.values().length);
    }

    @Test
    void everyCallerOnTheirOwnAccount() throws Exception {
        List<String> wrong = new ArrayList<>();
        int cases = 0;
        for (Who who : List.of(Who.GLOBAL, Who.APP, Who.CLOUD_APP, Who.HELPDESK, Who.READER)) {
            // A caller of its own, since revoking one's own sessions ends the token (so that goes last).
            String[] me = signIn("self", who.role);
            String id = me[0];
            String upn = stack.api("GET", "users/" + id, null).body().path("upn").asText();
            List<Op> ops = new ArrayList<>(List.of(Op.values()));
            ops.remove(Op.REVOKE_SESSIONS);
            ops.add(Op.REVOKE_SESSIONS);
            for (Op op : ops) {
                if (op == Op.ENABLE) {
                    // Only an enabled caller can call: enabling oneself is refused, and changes nothing.
                    Answer a = perform(op, me[1], id, upn, Set.of(who.role));
                    if (a.status() != 403) {
                        wrong.add(who + " on itself ENABLE: expected 403, got " + a.status() + " " + a.body());
                    }
                } else {
                    String problem = check(who, me[1], op, id, upn, Set.of(who.role), true);
                    if (problem != null) {
                        wrong.add(problem);
                    }
                }
                cases++;
            }
        }
        assertThat(wrong).as("%d of %d cases", wrong.size(), cases).isEmpty();
        assertThat(cases).isEqualTo(5 * Op.values().length);
    }
}
