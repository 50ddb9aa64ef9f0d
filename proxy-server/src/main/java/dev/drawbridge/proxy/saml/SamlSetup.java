package dev.drawbridge.proxy.saml;

import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.Problem.FieldError;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.proxy.apps.AppService;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RequestPath;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.web.ValidationException;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What administrators do with an app's SAML identity provider (through the admin API): download its metadata, turn a
 * service provider's metadata into settings, and the checks of SAML settings that need the app: the ACS URL lies under
 * the app's external URL (the browser reaches the service provider through Drawbridge, so the response goes nowhere
 * else), and the app keeps the external Host (a service provider checks that the response was posted to the URL it
 * sees, which it builds from the Host header: mod_auth_mellon refuses "Invalid Destination" otherwise).
 */
public final class SamlSetup {
    private final IdpKeys keys;
    private final String loginOrigin;

    public SamlSetup(IdpKeys keys, String loginOrigin) {
        this.keys = keys;
        this.loginOrigin = loginOrigin;
    }

    /**
     * The app's identity provider metadata, with its SAML settings, or the defaults while it has none (so the service
     * provider can be set up first); the app's key is made now if it has none ({@code actor} is audited as making it).
     */
    public String idpMetadata(PublishedApp app, String actor) throws ConflictException {
        requirePreAuthenticated(app);
        SamlSso settings = app.sso().method() == SsoMethod.SAML && app.sso().saml() != null ? app.sso().saml()
                : new SamlSso("urn:unset", app.externalOrigin() + "/");
        return IdpMetadata.xml(new IdpUrls(loginOrigin, app.id()), settings, keys.forApp(app.id(), actor));
    }

    /** The settings a service provider's metadata implies for {@code app}; a field error when they cannot work for it. */
    public SamlSso spMetadata(PublishedApp app, byte[] xml) throws ValidationException, ConflictException {
        requirePreAuthenticated(app);
        SamlSso s;
        try {
            s = SpMetadata.read(xml);
        } catch (SamlRefusal e) {
            throw new ValidationException("metadata", e.getMessage());
        }
        List<FieldError> errors = new ArrayList<>();
        acsProblem(app, s.acsUrl(), errors);
        if (!errors.isEmpty()) {
            throw new ValidationException(errors);
        }
        return s;
    }

    /** The checks of an app's SAML settings for {@link AppService} (other methods: none). */
    public static AppService.SsoChecks ssoChecks() {
        return (app, settings) -> settings.method() == SsoMethod.SAML ? problems(app, settings.saml()) : List.of();
    }

    /** The problems of {@code saml} as {@code app}'s settings that only the server can see; empty when none. */
    public static List<FieldError> problems(PublishedApp app, SamlSso saml) {
        List<FieldError> errors = new ArrayList<>();
        if (saml == null) {
            return errors;
        }
        if (app.isWildcard()) {
            // The service provider posts to one ACS URL; a wildcard app has one host per label, and its sessions are per host.
            errors.add(new FieldError("method", "SAML single sign-on names one external URL; a wildcard app (" + app.externalUrl()
                    + ") has one per host: publish the service provider as an app of its own host"));
            return errors;
        }
        acsProblem(app, saml.acsUrl(), errors);
        if (app.translateHostHeader()) {
            errors.add(new FieldError("translateHostHeader", "a SAML app must keep the external Host: set the app's translateHostHeader"
                    + " to false (the service provider checks that the response was posted to the URL it sees, built from the Host)"));
        }
        return errors;
    }

    private static void acsProblem(PublishedApp app, String acsUrl, List<FieldError> errors) {
        URI acs;
        try {
            acs = URI.create(acsUrl);
        } catch (IllegalArgumentException e) {
            return;
        }
        String origin = (acs.getScheme() + "://" + acs.getRawAuthority()).toLowerCase(Locale.ROOT);
        String path = acs.getRawPath() == null ? "" : acs.getRawPath();
        boolean under = app.caseInsensitivePaths() ? path.toLowerCase(Locale.ROOT).startsWith(app.externalPath().toLowerCase(Locale.ROOT))
                : path.startsWith(app.externalPath());
        if (!origin.equals(app.externalOrigin().toLowerCase(Locale.ROOT)) || !under || !readable(path)) {
            errors.add(new FieldError("saml.acsUrl", "the ACS URL " + RequestChecks.cut(acsUrl) + " is not under the app's external URL "
                    + app.externalUrl() + ": configure the service provider with its external URL (what the browser opens through"
                    + " Drawbridge), e.g. " + app.externalOrigin() + app.externalPath() + "mellon/postResponse"));
        }
    }

    /**
     * Whether {@code path} reads the same raw and normalised: no dot segments in any spelling ({@code ..}, {@code %2e%2e},
     * after a backslash), which a browser resolves before it posts, so a path under the app's could land under another's.
     */
    private static boolean readable(String path) {
        try {
            RequestPath.parse(path);
            return true;
        } catch (RequestPath.BadPathException e) {
            return false;
        }
    }

    private static void requirePreAuthenticated(PublishedApp app) throws ConflictException {
        if (app.preAuthentication() != PreAuthentication.DIRECTORY) {
            throw new ConflictException("preAuthentication", "SAML single sign-on needs an app pre-authenticated by the directory"
                    + " (preAuthentication DIRECTORY): there is no user to sign in otherwise");
        }
    }
}
