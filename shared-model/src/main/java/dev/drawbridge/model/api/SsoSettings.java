package dev.drawbridge.model.api;

import java.util.List;

/**
 * An app's single sign-on to its backend (admin API {@code /api/v1/apps/{id}/sso}): the method and its settings.
 * Holds no secret. Checked by {@link dev.drawbridge.model.api.validation.SsoRules}.
 *
 * @param method  the method ({@link SsoMethod#NONE} when absent)
 * @param headers  the headers of {@link SsoMethod#HEADERS} (1 to {@value dev.drawbridge.model.api.validation.SsoRules#MAX_HEADERS});
 *                 empty for the other methods
 * @param kerberos the settings of Kerberos constrained delegation; absent for the other methods
 * @param saml     the settings of SAML-based single sign-on; absent for the other methods
 * @param basic    the settings of password vaulting for HTTP Basic (whose credentials); absent for the other methods
 */
public record SsoSettings(SsoMethod method, List<HeaderRule> headers, KerberosSso kerberos, SamlSso saml, BasicSso basic) {
    /** No single sign-on. */
    public static final SsoSettings NONE = new SsoSettings(SsoMethod.NONE, List.of());

    public SsoSettings {
        method = method == null ? SsoMethod.NONE : method;
        headers = headers == null ? List.of() : headers.stream().toList();
        // Password vaulting's one setting has a default: each user's own credentials.
        basic = basic == null && method == SsoMethod.BASIC ? BasicSso.USER : basic;
    }

    /** Settings without password vaulting. */
    public SsoSettings(SsoMethod method, List<HeaderRule> headers, KerberosSso kerberos, SamlSso saml) {
        this(method, headers, kerberos, saml, null);
    }

    /** Settings of a method that has no settings object of its own ({@link SsoMethod#NONE}, {@link SsoMethod#HEADERS}). */
    public SsoSettings(SsoMethod method, List<HeaderRule> headers) {
        this(method, headers, null, null);
    }

    /** Header-based single sign-on with these rules. */
    public static SsoSettings headers(List<HeaderRule> rules) {
        return new SsoSettings(SsoMethod.HEADERS, rules);
    }

    /** Password vaulting for HTTP Basic with these settings. */
    public static SsoSettings basic(BasicSso basic) {
        return new SsoSettings(SsoMethod.BASIC, List.of(), null, null, basic);
    }
}
