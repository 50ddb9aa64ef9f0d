package dev.drawbridge.demo;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.adminclient.Users;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.AssignmentBody;
import dev.drawbridge.model.api.PasswordBody;
import dev.drawbridge.model.api.RolesBody;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.model.api.UserView;
import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.store.SecretFiles;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The demo's user: created on the first run with a random password (kept in the demo's data
 * directory so later runs can print it again), assigned to the sample app, and a global administrator.
 */
record DemoUser(String upn, String password) {
    static final String UPN = "demo@drawbridge.localhost";

    static DemoUser ensure(DrawbridgeStack stack, Path dataDir, String appUrl) throws Exception {
        AdminApi api = stack.adminApi();
        Path file = dataDir.resolve("demo-user-password.txt");
        String password;
        Optional<UserView> existing = api.users().list(Paging.LARGEST, new Users.Search(UPN)).items().stream()
                .filter(u -> u.upn().equals(UPN)).findFirst();
        if (existing.isPresent() && Files.exists(file)) {
            password = Files.readString(file).strip();
        } else {
            password = "demo-" + ServerKeys.randomToken(9);
            if (existing.isPresent()) {
                api.users().resetPassword(existing.get().id(), new PasswordBody(password));
            } else {
                existing = Optional.of(api.users().create(new UserSpec(UPN, "Demo User", null, null, password)));
            }
            SecretFiles.write(file, password);
        }
        // The demo user is also a global administrator, so the admin console's sign-in dialog works with it.
        String userId = existing.get().id();
        api.users().setRoles(userId, new RolesBody(List.of(AdminRole.GLOBAL_ADMINISTRATOR)));
        for (AppView app : api.apps().list(Paging.LARGEST).items()) {
            if (app.externalUrl().equals(appUrl)
                    && api.apps().assignments(app.id()).stream().noneMatch(a -> a.principalId().equals(userId))) {
                api.apps().assign(app.id(), new AssignmentBody("USER", UPN));
            }
        }
        return new DemoUser(UPN, password);
    }
}
