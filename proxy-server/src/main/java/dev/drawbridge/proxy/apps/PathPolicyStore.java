package dev.drawbridge.proxy.apps;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.drawbridge.model.api.PathPolicy;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.db.tables.records.AppPathPolicyRecord;
import dev.drawbridge.proxy.web.Json;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.drawbridge.proxy.store.db.Tables.APP_PATH_POLICY;

/**
 * Apps' path rules in the database ({@code app_path_policy}), validated before ({@link PathPolicyValidator}); an app's
 * rules are replaced together, in one transaction, and go with the app when it is deleted.
 */
public final class PathPolicyStore {
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {
    };
    private final DSLContext dsl;

    public PathPolicyStore(Database db) {
        this.dsl = db.dsl();
    }

    /** Every app's rules, by app id, each app's ordered by path. */
    public Map<String, List<PathPolicy>> all() {
        Map<String, List<PathPolicy>> m = new HashMap<>();
        for (AppPathPolicyRecord r : dsl.selectFrom(APP_PATH_POLICY).orderBy(APP_PATH_POLICY.APP_ID, APP_PATH_POLICY.PATH).fetch()) {
            m.computeIfAbsent(r.getAppId(), k -> new ArrayList<>()).add(toPolicy(r));
        }
        m.replaceAll((k, v) -> List.copyOf(v));
        return Map.copyOf(m);
    }

    /** One app's rules, ordered by path. */
    public List<PathPolicy> of(String appId) {
        return dsl.selectFrom(APP_PATH_POLICY).where(APP_PATH_POLICY.APP_ID.eq(appId)).orderBy(APP_PATH_POLICY.PATH).fetch(PathPolicyStore::toPolicy);
    }

    /** Replaces the app's rules with {@code rules} (empty: none). */
    public void replace(String appId, List<PathPolicy> rules) {
        dsl.transaction(c -> {
            DSLContext tx = DSL.using(c);
            tx.deleteFrom(APP_PATH_POLICY).where(APP_PATH_POLICY.APP_ID.eq(appId)).execute();
            for (PathPolicy p : rules) {
                AppPathPolicyRecord r = tx.newRecord(APP_PATH_POLICY);
                r.setAppId(appId);
                r.setPath(p.path());
                r.setPreauth(p.preAuthentication() == null ? null : p.preAuthentication().name());
                r.setUsers(p.users().isEmpty() ? null : write(p.users()));
                r.setPolicies(p.policies().isEmpty() ? null : write(p.policies()));
                r.insert();
            }
        });
    }

    private static String write(List<String> l) {
        try {
            return Json.MAPPER.writeValueAsString(l);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> read(String s) {
        if (s == null) {
            return List.of();
        }
        try {
            return Json.MAPPER.readValue(s, STRINGS);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable path rule principals or policies", e);
        }
    }

    private static PathPolicy toPolicy(AppPathPolicyRecord r) {
        return new PathPolicy(r.getPath(), r.getPreauth() == null ? null : PreAuthentication.valueOf(r.getPreauth()), read(r.getUsers()),
                read(r.getPolicies()));
    }
}
