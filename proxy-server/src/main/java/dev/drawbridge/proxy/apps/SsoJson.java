package dev.drawbridge.proxy.apps;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.sso.SsoInstruction;
import dev.drawbridge.proxy.web.Json;

import java.io.UncheckedIOException;

/**
 * An app's single sign-on settings as stored (column {@code app.sso_settings}) and as sent to the connector in an
 * OPEN's single sign-on instruction: the JSON of {@link SsoSettings}, which holds no secret.
 */
public final class SsoJson {
    private SsoJson() {
    }

    public static String write(SsoSettings s) {
        try {
            return Json.MAPPER.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The instruction an OPEN carries to the connector (the settings, and a vaulted credential when one goes along). */
    public static String instruction(SsoInstruction instruction) {
        try {
            return Json.MAPPER.writeValueAsString(instruction);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static SsoSettings read(String json) {
        try {
            return Json.MAPPER.readValue(json, SsoSettings.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("stored single sign-on settings are unreadable", e);
        }
    }
}
