package dev.drawbridge.model.api;

import java.util.List;
import java.util.Optional;

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
 * @param forms    the settings of password vaulting for login forms (where the form is, its fields, whose credentials);
 *                 absent for the other methods
 */
public record SsoSettings(SsoMethod method, List<HeaderRule> headers, KerberosSso kerberos, SamlSso saml, BasicSso basic,
                          FormsSso forms) {
    /** No single sign-on. */
    public static final SsoSettings NONE = new SsoSettings(SsoMethod.NONE, List.of());

    public SsoSettings {
        method = method == null ? SsoMethod.NONE : method;
        headers = headers == null ? List.of() : headers.stream().toList();
        // Password vaulting's one setting has a default: each user's own credentials.
        basic = basic == null && method == SsoMethod.BASIC ? BasicSso.USER : basic;
    }

    /** Settings without password vaulting for login forms. */
    public SsoSettings(SsoMethod method, List<HeaderRule> headers, KerberosSso kerberos, SamlSso saml, BasicSso basic) {
        this(method, headers, kerberos, saml, basic, null);
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

    /** Password vaulting for login forms with these settings. */
    public static SsoSettings forms(FormsSso forms) {
        return new SsoSettings(SsoMethod.FORMS, List.of(), null, null, null, forms);
    }

    /**
     * Whose stored user name and password the backend gets, for the password-vaulting methods ({@link SsoMethod#BASIC},
     * {@link SsoMethod#FORMS}); empty for the others.
     */
    public Optional<BasicSso.Credentials> vaultCredentials() {
        return switch (method) {
            case BASIC -> Optional.of(basic == null ? BasicSso.Credentials.USER : basic.credentials());
            case FORMS -> Optional.of(forms == null ? BasicSso.Credentials.USER : forms.credentials());
            default -> Optional.empty();
        };
    }
}
