package dev.drawbridge.demo;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.KerberosGroupSettings;
import dev.drawbridge.model.api.KerberosSso;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;

import java.net.URI;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The demo's single sign-on apps, published through the typed admin API like an administrator would: the sample app
 * again with header-based SSO ({@value #HEADERS_NAME}), and, with the Kerberos packages, an Apache IWA app with
 * Kerberos constrained delegation ({@value #INTRANET_NAME}) for which the Default connector group gets the realm's
 * settings. An app an earlier run published is found by name and re-pointed, never created twice.
 */
final class DemoSsoApps {
    static final String HEADERS_NAME = "Sample app (header SSO)";
    static final String HEADERS_LABEL = "sample-headers";
    /** What the header-SSO app gets: the user's UPN, display name and groups. */
    static final List<HeaderRule> HEADERS = List.of(HeaderRule.of("X-Remote-User", HeaderSource.UPN),
            HeaderRule.of("X-Remote-Name", HeaderSource.DISPLAY_NAME), HeaderRule.of("X-Remote-Groups", HeaderSource.GROUPS));
    static final String INTRANET_NAME = "Intranet (Kerberos IWA)";
    static final String INTRANET_LABEL = "intranet";
    /** The connector group the demo's connector is in. */
    private static final String GROUP = "Default";

    private DemoSsoApps() {
    }

    /** Publishes the sample app with header-based SSO; returns its external URL. */
    static String headers(DrawbridgeStack stack, URI sampleApp) throws Exception {
        return publish(stack, HEADERS_NAME, HEADERS_LABEL, sampleApp, SsoSettings.headers(HEADERS));
    }

    /**
     * Gives the Default connector group the realm's settings (realm, KDC, the connectors' principal and keytab) and
     * publishes the IWA app with Kerberos SSO, the user known to the KDC by the part of the UPN before {@code @};
     * returns its external URL.
     */
    static String kerberos(DrawbridgeStack stack, DemoKerberos kerberos) throws Exception {
        AdminApi api = stack.adminApi();
        api.connectorGroups().setKerberos(api.connectorGroups().get(GROUP).id(), new KerberosGroupSettings(kerberos.realm.realm(),
                List.of(kerberos.realm.kdcAddress()), DemoKerberos.CONNECTOR, Base64.getEncoder().encodeToString(kerberos.connectorKeytab)));
        return publish(stack, INTRANET_NAME, INTRANET_LABEL, kerberos.apache.uri("/"), new SsoSettings(SsoMethod.KERBEROS, null,
                new KerberosSso(DemoKerberos.INTRANET, KerberosSso.LoginIdentity.USER_PART, false), null));
    }

    /**
     * Publishes (or re-points) a pre-authenticated app and sets its SSO unless it already has these settings; returns
     * its external URL.
     */
    static String publish(DrawbridgeStack stack, String name, String label, URI internal, SsoSettings sso) throws Exception {
        applySso(stack, publishApp(stack, name, label, internal, true), sso);
        return stack.externalUrl(label);
    }

    /**
     * Publishes a pre-authenticated app, or re-points the one an earlier run published under {@code name}, leaving its
     * single sign-on as it is; {@code translateHost} false keeps the external Host (for a backend that builds its own
     * URLs from it); returns its id.
     */
    static String publishApp(DrawbridgeStack stack, String name, String label, URI internal, boolean translateHost) throws Exception {
        AppSpec spec = new AppSpec(name, stack.externalUrl(label), internal.toString(), null, null, translateHost, PreAuthentication.DIRECTORY);
        AdminApi api = stack.adminApi();
        Optional<String> earlier = find(stack, name).map(AppView::id);
        if (earlier.isPresent()) {
            api.apps().replace(earlier.get(), spec);
            return earlier.get();
        }
        return api.apps().create(spec).id();
    }

    /** The app an earlier run published as {@code name}. */
    static Optional<AppView> find(DrawbridgeStack stack, String name) throws Exception {
        return stack.adminApi().apps().list(Paging.LARGEST).items().stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /** Sets the app's single sign-on unless it already has these settings (every change is an audit log entry). */
    static void applySso(DrawbridgeStack stack, String appId, SsoSettings sso) throws Exception {
        AdminApi api = stack.adminApi();
        if (!api.apps().sso(appId).equals(sso)) {
            api.apps().setSso(appId, sso);
        }
    }
}
