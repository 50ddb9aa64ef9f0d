package dev.drawbridge.proxy.admin;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.model.api.UserView;
import dev.drawbridge.proxy.web.Json;
import org.junit.jupiter.api.Test;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A user's on-premises UPN and SAM account name come from directory sync only: the admin API shows them
 * ({@link UserView}) and no route's request body, at any depth, has a field to set them; an administrator sending them
 * anyway (creating a user, the one body that carries user attributes) is refused, since unknown fields are.
 */
class OnPremIdentityReadOnlyTest {
    static final Set<String> ON_PREM = Set.of("onPremUpn", "samAccountName");

    @Test
    void noRequestBodyOfAnyRouteCanSetThem() {
        Set<Class<?>> requests = new LinkedHashSet<>();
        AdminRoutes.all().stream().filter(r -> r.request() != null).forEach(r -> collect(r.request(), requests));
        assertThat(requests).contains(UserSpec.class).hasSizeGreaterThan(10);
        for (Class<?> type : requests) {
            assertThat(Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName)).as(type.getName())
                    .doesNotContainAnyElementsOf(ON_PREM);
        }
        assertThat(Arrays.stream(UserView.class.getRecordComponents()).map(RecordComponent::getName)).containsAll(ON_PREM);
    }

    @Test
    void aUserSpecCarryingThemIsRefused() {
        for (String field : ON_PREM) {
            String body = "{\"upn\":\"eve@corp.example\",\"displayName\":\"Eve\",\"" + field + "\":\"Administrator\"}";
            assertThatThrownBy(() -> Json.MAPPER.readValue(body, UserSpec.class)).as(field).isInstanceOf(UnrecognizedPropertyException.class);
        }
    }

    private static void collect(Type t, Set<Class<?>> found) {
        if (t instanceof ParameterizedType p) {
            Arrays.stream(p.getActualTypeArguments()).forEach(a -> collect(a, found));
        } else if (t instanceof Class<?> c && c.isRecord() && found.add(c)) {
            Arrays.stream(c.getRecordComponents()).forEach(rc -> collect(rc.getGenericType(), found));
        }
    }
}
