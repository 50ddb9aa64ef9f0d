package dev.drawbridge.proxy.apps;

import dev.drawbridge.proxy.web.ValidationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Icon uploads are judged by their bytes: PNG signature or an SVG root element, matching the declared type, at most 256 KiB. */
class AppIconsTest {
    static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'};

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void pngAndSvgAreAccepted() throws Exception {
        assertThat(AppIcons.validate("image/png", PNG).contentType()).isEqualTo("image/png");
        assertThat(AppIcons.validate("image/svg+xml; charset=utf-8",
                utf8("<?xml version=\"1.0\"?>\n<!-- logo -->\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>")).contentType())
                .isEqualTo("image/svg+xml");
        assertThat(AppIcons.validate("image/png", PNG).sha256()).hasSize(64);
    }

    @Test
    void anythingElseIsRefusedNamingTheField() {
        assertThatThrownBy(() -> AppIcons.validate("image/png", utf8("<html><script>alert(1)</script>")))
                .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.errors().getFirst().field()).isEqualTo("icon"));
        assertThatThrownBy(() -> AppIcons.validate("image/svg+xml", utf8("<html><svg></svg></html>"))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> AppIcons.validate("image/svg+xml", utf8("<svgfoo/>"))).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> AppIcons.validate("image/svg+xml", PNG)).hasMessageContaining("was sent as image/svg+xml");
        assertThatThrownBy(() -> AppIcons.validate("image/gif", utf8("GIF89a"))).hasMessageContaining("image/png or image/svg+xml");
        assertThatThrownBy(() -> AppIcons.validate("image/png", new byte[0])).hasMessageContaining("empty");
        byte[] big = new byte[AppIcons.MAX_BYTES + 1];
        System.arraycopy(PNG, 0, big, 0, PNG.length);
        assertThatThrownBy(() -> AppIcons.validate("image/png", big)).hasMessageContaining("256 KiB");
    }
}
