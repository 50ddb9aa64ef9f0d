package dev.drawbridge.model.api;

/**
 * One header of header-based single sign-on: its name, the user attribute it carries and simple transformations,
 * applied in this order to each value: {@code beforeAt} (the part before the last {@code @}), {@code lowerCase},
 * {@code prefix}; a multi-valued source ({@link HeaderSource#GROUPS}) is then joined with {@code separator}. Control
 * characters never reach the header. Checked by {@link dev.drawbridge.model.api.validation.SsoRules}.
 *
 * @param name      the header's name, an HTTP token not reserved (see the rules), e.g. {@code X-Remote-User}
 * @param source    the user attribute
 * @param claim     the claim's name when {@code source} is {@link HeaderSource#CLAIM}; absent otherwise
 * @param beforeAt  keep the part before the last {@code @} (e.g. {@code alice} from {@code alice@contoso.com})
 * @param lowerCase lower-case the value
 * @param prefix    fixed text put before each value (absent: none), e.g. {@code CONTOSO\}
 * @param separator what joins several values (absent: {@code ", "})
 */
public record HeaderRule(String name, HeaderSource source, String claim, boolean beforeAt, boolean lowerCase,
                         String prefix, String separator) {
    /** The separator of multi-valued sources when the rule gives none. */
    public static final String DEFAULT_SEPARATOR = ", ";

    /** A rule that copies {@code source} as it is. */
    public static HeaderRule of(String name, HeaderSource source) {
        return new HeaderRule(name, source, null, false, false, null, null);
    }

    /** The separator in use. */
    public String separatorOrDefault() {
        return separator == null ? DEFAULT_SEPARATOR : separator;
    }
}
