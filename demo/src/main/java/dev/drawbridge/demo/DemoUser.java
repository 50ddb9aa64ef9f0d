package dev.drawbridge.demo;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.adminclient.Users;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.AssignmentBody;
import dev.drawbridge.model.api.GroupBody;
import dev.drawbridge.model.api.GroupView;
import dev.drawbridge.model.api.MemberBody;
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
 * directory so later runs can print it again), assigned to the demo's apps, a member of
 * {@value #GROUP} (so that the header-SSO app has groups to show), and a global administrator.
 */
record DemoUser(String upn, String password) {
    static final String UPN = "demo@drawbridge.localhost";
    static final String DISPLAY_NAME = "Demo User";
    static final String GROUP = "Demo users";

    /** The user name the demo's Kerberos realm knows the user by: the UPN's part before {@code @}. */
    static String kerberosName() {
        return UPN.substring(0, UPN.lastIndexOf('@'));
    }

    static DemoUser ensure(DrawbridgeStack stack, Path dataDir, List<String> appUrls) throws Exception {
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
                existing = Optional.of(api.users().create(new UserSpec(UPN, DISPLAY_NAME, null, null, password)));
            }
            SecretFiles.write(file, password);
        }
        // The demo user is also a global administrator, so the admin console's sign-in dialog works with it.
        String userId = existing.get().id();
        api.users().setRoles(userId, new RolesBody(List.of(AdminRole.GLOBAL_ADMINISTRATOR)));
        for (AppView app : api.apps().list(Paging.LARGEST).items()) {
            if (appUrls.contains(app.externalUrl())
                    && api.apps().assignments(app.id()).stream().noneMatch(a -> a.principalId().equals(userId))) {
                api.apps().assign(app.id(), new AssignmentBody("USER", UPN));
            }
        }
        Optional<GroupView> found = api.groups().list(Paging.LARGEST, new Users.Search(GROUP)).items().stream()
                .filter(g -> g.name().equals(GROUP)).findFirst();
        GroupView group = found.isPresent() ? found.get()
                : api.groups().create(new GroupBody(GROUP, "The demo's users (the header-SSO app shows its groups)", null));
        if (api.groups().members(group.id()).stream().noneMatch(u -> u.id().equals(userId))) {
            api.groups().addMember(group.id(), new MemberBody(userId));
        }
        return new DemoUser(UPN, password);
    }
}
