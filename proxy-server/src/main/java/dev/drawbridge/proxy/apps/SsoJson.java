package dev.drawbridge.proxy.apps;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.sso.SsoInstruction;
import dev.drawbridge.proxy.web.Json;

import java.io.UncheckedIOException;
import java.util.List;

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

    /**
     * The settings as the connector gets them: what its step needs and no more. SAML happens between the browser and the
     * proxy, so a SAML app's instruction names the method and its service provider only (the certificate and up to 50
     * attributes could outgrow the OPEN's {@value dev.drawbridge.model.tunnel.RequestHead#MAX_SSO} characters).
     */
    public static SsoSettings forConnector(SsoSettings s) {
        if (s.method() == SsoMethod.SAML && s.saml() != null) {
            return new SsoSettings(SsoMethod.SAML, List.of(), null, new SamlSso(s.saml().spEntityId(), s.saml().acsUrl()));
        }
        return s;
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
