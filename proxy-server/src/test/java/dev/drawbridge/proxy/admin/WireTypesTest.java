package dev.drawbridge.proxy.admin;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.drawbridge.model.api.AppIconView;
import dev.drawbridge.model.api.AppTestResult;
import dev.drawbridge.model.api.CertificateUpload;
import dev.drawbridge.model.api.DirectorySyncResult;
import dev.drawbridge.model.api.PasswordBody;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.proxy.web.Json;
import org.junit.jupiter.api.Test;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API's wire types (shared-model records) serialize as exactly their record components: a helper method on a
 * record (a summary, a factory) never becomes a JSON field, and secrets stay out of their {@code toString}.
 */
class WireTypesTest {
    /** Every record the route table names, the records they contain, and the answers the table leaves undescribed. */
    static Set<Class<?>> wireRecords() {
        Set<Class<?>> found = new LinkedHashSet<>();
        List<Class<?>> roots = new ArrayList<>(List.of(DirectorySyncResult.class, AppIconView.class));
        AdminRoutes.all().forEach(r -> {
            if (r.request() != null) {
                roots.add(r.request());
            }
            if (r.response() != null) {
                roots.add(r.response());
            }
        });
        roots.forEach(c -> collect(c, found));
        return found;
    }

    private static void collect(Type t, Set<Class<?>> found) {
        if (t instanceof ParameterizedType p) {
            Arrays.stream(p.getActualTypeArguments()).forEach(a -> collect(a, found));
        } else if (t instanceof Class<?> c && c.isRecord() && found.add(c)) {
            Arrays.stream(c.getRecordComponents()).forEach(rc -> collect(rc.getGenericType(), found));
        }
    }

    @Test
    void everyWireRecordSerializesAsItsComponents() {
        Set<Class<?>> records = wireRecords();
        assertThat(records).hasSizeGreaterThan(30);
        for (Class<?> type : records) {
            assertThat(type.getPackageName()).as(type.getName()).isEqualTo("dev.drawbridge.model.api");
            JavaType javaType = Json.MAPPER.constructType(type);
            BeanDescription d = Json.MAPPER.getSerializationConfig().introspect(javaType);
            List<String> properties = d.findProperties().stream().filter(BeanPropertyDefinition::couldSerialize)
                    .map(BeanPropertyDefinition::getName).sorted().toList();
            List<String> components = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getName).sorted().toList();
            assertThat(properties).as(type.getName()).isEqualTo(components);
        }
    }

    @Test
    void helpersStayOffTheWire() throws Exception {
        String json = Json.MAPPER.writeValueAsString(new DirectorySyncResult(Instant.EPOCH, 1, 0, 0, 2, 0, List.of()));
        assertThat(Json.MAPPER.readTree(json).has("summary")).isFalse();
        assertThat(Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(AppTestResult.failed(3, null, "offline"))).path("status").isNull())
                .isTrue();
    }

    @Test
    void secretsStayOutOfToString() {
        assertThat(new PasswordBody("hunter2-hunter2").toString()).doesNotContain("hunter2");
        assertThat(new UserSpec("a@b.c", "A", null, null, "hunter2-hunter2").toString()).doesNotContain("hunter2").contains("a@b.c");
        assertThat(CertificateUpload.pkcs12("c2VjcmV0", "hunter2").toString()).doesNotContain("hunter2").doesNotContain("c2VjcmV0");
        assertThat(CertificateUpload.pem("-----BEGIN PRIVATE KEY-----x").toString()).doesNotContain("PRIVATE");
    }
}
