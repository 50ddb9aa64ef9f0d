package dev.drawbridge.console.session;

import dev.drawbridge.console.labels.Labels;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.AdminRole.Permission;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What the signed-in admin may do, and, for what they may not, a sentence naming the role that would allow it. */
public record Permissions(Set<Permission> granted) {
    public static final Permissions ALL = new Permissions(EnumSet.allOf(Permission.class));

    public Permissions {
        granted = Set.copyOf(granted);
    }

    public static Permissions of(List<AdminRole> roles) {
        return new Permissions(AdminRole.permissionsOf(roles));
    }

    public boolean has(Permission p) {
        return granted.contains(p);
    }

    /** Empty when allowed; else e.g. "Requires the Application administrator or Cloud application administrator role". */
    public Optional<String> denied(Permission p) {
        if (has(p)) {
            return Optional.empty();
        }
        List<String> roles = Arrays.stream(AdminRole.values())
                .filter(r -> r != AdminRole.GLOBAL_ADMINISTRATOR && r.permissions().contains(p))
                .map(Labels::of).toList();
        String names = roles.isEmpty() ? Labels.of(AdminRole.GLOBAL_ADMINISTRATOR)
                : roles.size() == 1 ? roles.getFirst()
                : String.join(", ", roles.subList(0, roles.size() - 1)) + " or " + roles.getLast();
        return Optional.of("Requires the " + names + " role");
    }
}
