package dev.drawbridge.proxy.apps;

import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proves {@link AppService} against embedded H2: the case flag is stored and shown, and two apps of one host whose
 * paths differ only in letter case are refused (routing could not tell them apart), on create and on replace.
 */
class AppServiceTest {
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    @TempDir
    Path dir;
    Database db;
    AppService apps;

    @BeforeEach
    void open() {
        db = Database.h2(dir);
        ConnectorStore connectors = new ConnectorStore(db);
        connectors.ensureDefaultGroup(NOW);
        AppStore store = new AppStore(db);
        apps = new AppService(store, connectors, new AppValidator("example.com", 443), new Routes(store), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    private static AppSpec spec(String name, String url, Boolean caseInsensitive) {
        return new AppSpec(name, url, "http://intranet/", null, null, null, null, null, caseInsensitive);
    }

    @Test
    void theCaseFlagIsStoredAndShown() throws Exception {
        AppView iis = apps.create(spec("IIS", "https://intra.example.com/hr/", true));
        AppView plain = apps.create(spec("Plain", "https://intra.example.com/docs/", null));
        assertThat(apps.get(iis.id()).orElseThrow().caseInsensitivePaths()).isTrue();
        assertThat(apps.get(plain.id()).orElseThrow().caseInsensitivePaths()).isFalse();
        assertThat(apps.replace(iis.id(), spec("IIS", "https://intra.example.com/hr/", false)).orElseThrow().caseInsensitivePaths()).isFalse();
    }

    @Test
    void pathsThatDifferOnlyInLetterCaseCannotShareAHost() throws Exception {
        apps.create(spec("HR", "https://intra.example.com/hr/", null));
        assertThatThrownBy(() -> apps.create(spec("HR2", "https://intra.example.com/HR/", null)))
                .isInstanceOf(ConflictException.class).hasMessageContaining("only in letter case");
        AppView other = apps.create(spec("Other", "https://intra.example.com/other/", null));
        assertThatThrownBy(() -> apps.replace(other.id(), spec("Other", "https://intra.example.com/Hr/", true)))
                .isInstanceOf(ConflictException.class);
        // Another host, or the same app re-saved, is fine.
        apps.create(spec("HR elsewhere", "https://hr2.example.com/HR/", null));
        assertThat(apps.list()).hasSize(3);
    }
}
