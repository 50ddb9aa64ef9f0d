package dev.drawbridge.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.store.SecretFiles;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The demo's user: created on the first run with a random password (kept in the demo's data
 * directory so later runs can print it again), assigned to the sample app, and a global administrator.
 */
record DemoUser(String upn, String password) {
    static final String UPN = "demo@drawbridge.localhost";

    static DemoUser ensure(DrawbridgeStack stack, Path dataDir, String appUrl) throws Exception {
        Path file = dataDir.resolve("demo-user-password.txt");
        String password;
        JsonNode users = stack.api("GET", "users", null).body().path("items");
        boolean exists = users.findValuesAsText("upn").contains(UPN);
        if (exists && Files.exists(file)) {
            password = Files.readString(file).strip();
        } else {
            password = "demo-" + ServerKeys.randomToken(9);
            if (exists) {
                String id = users.findParents("upn").stream().filter(u -> u.path("upn").asText().equals(UPN)).findFirst()
                        .orElseThrow().path("id").asText();
                stack.api("POST", "users/" + id + "/password", Map.of("password", password));
            } else {
                stack.api("POST", "users", Map.of("upn", UPN, "displayName", "Demo User", "password", password));
            }
            SecretFiles.write(file, password);
        }
        // The demo user is also a global administrator, so the admin console's sign-in dialog works with it.
        String userId = stack.api("GET", "users?search=" + UPN, null).body().path("items").get(0).path("id").asText();
        stack.api("PUT", "users/" + userId + "/roles", Map.of("roles", List.of("GLOBAL_ADMINISTRATOR")));
        String appId = null;
        for (JsonNode a : stack.api("GET", "apps", null).body().path("items")) {
            if (a.path("externalUrl").asText().equals(appUrl)) {
                appId = a.path("id").asText();
            }
        }
        if (appId != null) {
            stack.api("POST", "apps/" + appId + "/assignments", Map.of("principalType", "USER", "principal", UPN));
        }
        return new DemoUser(UPN, password);
    }
}
