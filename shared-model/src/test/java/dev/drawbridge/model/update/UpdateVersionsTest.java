package dev.drawbridge.model.update;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The order of versions: numbers as numbers, a qualified version before the plain one, qualifiers by semantic
 * versioning 2.0.0's precedence (numeric identifiers as numbers, below alphanumeric ones, a prefix first); what is a
 * version and what is not.
 */
class UpdateVersionsTest {
    /** Lowest to highest (semver.org's example and more). */
    static final List<String> ASCENDING = List.of("0.1.0-SNAPSHOT", "0.1.0", "0.9.0", "0.10.0", "1.0.0-0", "1.0.0-2", "1.0.0-10",
            "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1",
            "1.0.0-rc.2", "1.0.0-rc.10", "1.0.0-rc.10.1", "1.0.0", "1.0.1", "1.2.0", "1.10.0", "2.0.0", "10.0.0", "999999999.0.0");

    @Test
    void versionsSortAsSemanticVersioningSays() {
        List<String> shuffled = new ArrayList<>(ASCENDING);
        Collections.shuffle(shuffled, new Random(7));
        shuffled.sort(UpdateVersions.ORDER);
        assertThat(shuffled).containsExactlyElementsOf(ASCENDING);
        for (int i = 0; i < ASCENDING.size(); i++) {
            for (int j = 0; j < ASCENDING.size(); j++) {
                assertThat(Integer.signum(UpdateVersions.compare(ASCENDING.get(i), ASCENDING.get(j))))
                        .as(ASCENDING.get(i) + " vs " + ASCENDING.get(j)).isEqualTo(Integer.signum(Integer.compare(i, j)));
            }
        }
    }

    @Test
    void aReleaseCandidateTenIsAboveTwo() {
        assertThat(UpdateVersions.compare("1.4.0-rc.10", "1.4.0-rc.2")).isPositive();
        assertThat(UpdateVersions.compare("1.4.0-rc.2", "1.4.0")).isNegative();
    }

    @Test
    void whatIsAVersion() {
        for (String v : List.of("0.0.0", "1.2.3", "1.2.3-rc.1", "1.2.3-SNAPSHOT", "123456789.0.1", "1.0.0-" + "a".repeat(40))) {
            assertThat(UpdateVersions.valid(v)).as(v).isTrue();
        }
        for (String v : new String[]{null, "", "1", "1.2", "1.2.3.4", "v1.2.3", "1.2.3-", "1.2.3+build", "1.2.3-rc_1", " 1.2.3",
            "1.2.3 ", "1.2.3\n", "1.2.-3", "1234567890.0.0", "1.0.0-" + "a".repeat(41), "１.２.３", "../1.2.3", "1.2.3/x"}) {
            assertThat(UpdateVersions.valid(v)).as("%s", v).isFalse();
            assertThatThrownBy(() -> UpdateVersions.compare(v, "1.0.0")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> UpdateVersions.compare("1.0.0", v)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
