package dev.drawbridge.model.update;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The update records refuse what they cannot mean, each field naming itself; optional texts become empty, never null. */
class UpdateRecordsTest {
    static final String SHA = "0123456789abcdef".repeat(4);
    static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    @Test
    void aReportNeedsAStateAndVersionsAndAShortError() {
        UpdateReport r = new UpdateReport("1.0.0", UpdateState.IDLE, null, null);
        assertThat(r.attemptedVersion()).isEmpty();
        assertThat(r.lastError()).isEmpty();
        assertThatThrownBy(() -> new UpdateReport("1.0.0", null, "", "")).hasMessageContaining("state");
        assertThatThrownBy(() -> new UpdateReport(null, UpdateState.IDLE, "", "")).hasMessageStartingWith("version:");
        assertThatThrownBy(() -> new UpdateReport("unknown", UpdateState.IDLE, "", "")).hasMessageStartingWith("version:");
        assertThatThrownBy(() -> new UpdateReport("1.0.0", UpdateState.FAILED, "2.0", "")).hasMessageStartingWith("attemptedVersion:");
        assertThat(new UpdateReport("1.0.0", UpdateState.FAILED, "2.0.0", "x".repeat(UpdateReport.MAX_ERROR)).lastError())
                .hasSize(UpdateReport.MAX_ERROR);
        assertThatThrownBy(() -> new UpdateReport("1.0.0", UpdateState.FAILED, "2.0.0", "x".repeat(UpdateReport.MAX_ERROR + 1)))
                .hasMessageStartingWith("lastError:");
        assertThat(UpdateReport.cut("y".repeat(2000))).hasSize(UpdateReport.MAX_ERROR).endsWith("…");
        assertThat(UpdateReport.cut("short")).isEqualTo("short");
        assertThat(UpdateReport.cut(null)).isNull();
    }

    @Test
    void anUpdateInstructionCarriesAVersionAndManifestNothingElseDoes() {
        UpdateInstruction none = UpdateInstruction.none("up to date");
        assertThat(none.version()).isEmpty();
        assertThat(none.manifest()).isEmpty();
        assertThat(new UpdateInstruction(UpdateInstruction.Action.NONE, null, null, null).reason()).isEmpty();
        assertThat(UpdateInstruction.update("1.2.0", "a.b.c").version()).isEqualTo("1.2.0");
        assertThatThrownBy(() -> new UpdateInstruction(null, "", "", "")).hasMessageContaining("action");
        assertThatThrownBy(() -> UpdateInstruction.update("1.2", "a.b.c")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UpdateInstruction.update("1.2.0", "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UpdateInstruction.update("1.2.0", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aManifestNamesTheProductAValidVersionHashSizeAndTime() {
        UpdateManifest m = new UpdateManifest(UpdateBundle.PRODUCT, "1.0.0", SHA, 1, NOW);
        assertThat(m.size()).isEqualTo(1);
        assertThat(new UpdateManifest(UpdateBundle.PRODUCT, "1.0.0", SHA, UpdateBundle.MAX_BUNDLE_SIZE, NOW).size())
                .isEqualTo(UpdateBundle.MAX_BUNDLE_SIZE);
        assertThatThrownBy(() -> new UpdateManifest("drawbridge-server", "1.0.0", SHA, 1, NOW)).hasMessageStartingWith("product:");
        assertThatThrownBy(() -> new UpdateManifest(null, "1.0.0", SHA, 1, NOW)).hasMessageStartingWith("product:");
        assertThatThrownBy(() -> new UpdateManifest(UpdateBundle.PRODUCT, "1.0", SHA, 1, NOW)).hasMessageStartingWith("version:");
        for (String bad : new String[]{null, "", SHA.toUpperCase(), SHA.substring(1), SHA + "0", "g".repeat(64)}) {
            assertThatThrownBy(() -> new UpdateManifest(UpdateBundle.PRODUCT, "1.0.0", bad, 1, NOW)).as("%s", bad)
                    .hasMessageStartingWith("sha256:");
        }
        for (long size : new long[]{0, -1, UpdateBundle.MAX_BUNDLE_SIZE + 1}) {
            assertThatThrownBy(() -> new UpdateManifest(UpdateBundle.PRODUCT, "1.0.0", SHA, size, NOW)).hasMessageStartingWith("size:");
        }
        assertThatThrownBy(() -> new UpdateManifest(UpdateBundle.PRODUCT, "1.0.0", SHA, 1, null)).hasMessageContaining("issuedAt");
    }

    @Test
    void aDescriptorChecksItsFields() {
        assertThat(new UpdateBundle.Descriptor("1.0.0", "a.B", 25, List.of("x.jar")).jars()).containsExactly("x.jar");
        assertThatThrownBy(() -> new UpdateBundle.Descriptor("1.0", "a.B", 25, List.of())).hasMessageStartingWith("version:");
        for (String main : new String[]{null, "", "Main", "a.", ".a", "a b.C", "a.1B", "a;b.C"}) {
            assertThatThrownBy(() -> new UpdateBundle.Descriptor("1.0.0", main, 25, List.of())).as("%s", main)
                    .hasMessageStartingWith("main-class:");
        }
        for (int java : new int[]{0, 16, 100}) {
            assertThatThrownBy(() -> new UpdateBundle.Descriptor("1.0.0", "a.B", java, List.of())).hasMessageStartingWith("java:");
        }
    }
}
