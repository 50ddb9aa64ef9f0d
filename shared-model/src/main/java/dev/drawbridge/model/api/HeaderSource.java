package dev.drawbridge.model.api;

/**
 * Which attribute of the signed-in user a {@link HeaderRule} puts in its header, or a SAML assertion carries as its
 * {@code NameID} or as one of its {@link SamlAttribute}s.
 */
public enum HeaderSource {
    /** The user principal name, e.g. {@code alice@contoso.com}. */
    UPN,
    /** The user's directory id (stable; never reused). */
    OBJECT_ID,
    /** The display name. */
    DISPLAY_NAME,
    /** The e-mail address (absent: no header). */
    EMAIL,
    /** The on-premises UPN from directory sync (absent: no header). */
    ON_PREM_UPN,
    /** The on-premises SAM account name from directory sync (absent: no header). */
    SAM_ACCOUNT_NAME,
    /** The names of the user's groups, joined with the rule's separator (none: no header). */
    GROUPS,
    /** One further claim of the user, named by the rule's {@code claim} (e.g. a federation claim; absent: no header). */
    CLAIM
}
