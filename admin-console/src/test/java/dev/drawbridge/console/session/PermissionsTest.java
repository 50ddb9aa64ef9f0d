package dev.drawbridge.console.session;

import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.AdminRole.Permission;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PermissionsTest {
    @Test
    void saysWhichRoleWouldAllowWhatIsDenied() {
        Permissions reader = Permissions.of(List.of(AdminRole.SECURITY_READER));
        assertThat(reader.denied(Permission.APPS_READ)).isEmpty();
        assertThat(reader.denied(Permission.PROXY_SETTINGS_WRITE)).contains("Requires the Application administrator role");
        assertThat(reader.denied(Permission.APPS_WRITE))
                .contains("Requires the Application administrator or Cloud application administrator role");
        assertThat(reader.denied(Permission.ROLES_WRITE)).contains("Requires the Global administrator role");
        assertThat(reader.denied(Permission.USERS_RESET_PASSWORD)).contains("Requires the Helpdesk administrator role");
        assertThat(Permissions.ALL.denied(Permission.ROLES_WRITE)).isEmpty();
    }
}
