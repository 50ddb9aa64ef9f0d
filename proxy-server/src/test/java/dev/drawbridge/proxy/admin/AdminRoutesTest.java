package dev.drawbridge.proxy.admin;

import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The route table itself: every operation that can change a directory user declares its target, so that the
 * target-aware check ({@link UserGuard}) cannot be forgotten when an operation is added.
 */
class AdminRoutesTest {
    /** Writes addressed to a user (users/{id}/..., .../{userId}) or naming one in their body (a "user" field). */
    static boolean changesAUser(AdminRoutes.Route r) {
        if (r.method().equals("GET") || r.template().equals("auth/token")) {
            return false;
        }
        boolean inPath = r.template().startsWith("users/{id}") || r.template().contains("{userId}");
        boolean inBody = r.request() != null && r.request().isRecord()
                && Arrays.stream(r.request().getRecordComponents()).map(RecordComponent::getName).anyMatch(n -> n.equals("user"));
        return inPath || inBody;
    }

    @Test
    void everyWriteAddressedToAUserDeclaresItsTarget() {
        List<String> missing = AdminRoutes.all().stream()
                // App owners are a property of the app, not a change to the user (see docs/admin.md).
                .filter(r -> changesAUser(r) && !r.template().startsWith("apps/"))
                .filter(r -> r.target() instanceof UserTarget.None).map(r -> r.method() + " " + r.template()).toList();
        assertThat(missing).isEmpty();
        assertThat(AdminRoutes.all().stream().filter(r -> !(r.target() instanceof UserTarget.None)).count()).isEqualTo(9);
    }

    @Test
    void pathTargetsPointAtAParameter() {
        for (AdminRoutes.Route r : AdminRoutes.all()) {
            if (r.target() instanceof UserTarget.InPath p) {
                String part = r.template().split("/")[p.segment()];
                assertThat(part).as(r.method() + " " + r.template()).isIn("{id}", "{userId}");
            }
            if (r.target() instanceof UserTarget.InBody) {
                assertThat(r.request()).as(r.method() + " " + r.template()).isNotNull();
            }
        }
    }
}
