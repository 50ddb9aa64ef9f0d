package dev.drawbridge.model;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The version is the build's Maven project version (the surefire run passes it), filtered into the resource. */
class DrawbridgeVersionTest {
    @Test
    void isTheMavenProjectVersion() {
        assertThat(DrawbridgeVersion.current()).isEqualTo(System.getProperty("drawbridge.project.version"))
                .matches("\\d+\\.\\d+\\.\\d+(-[A-Za-z0-9.]+)?");
    }
}
