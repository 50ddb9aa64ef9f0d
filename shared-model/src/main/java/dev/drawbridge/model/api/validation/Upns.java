package dev.drawbridge.model.api.validation;

import java.util.regex.Pattern;

/** User principal names and e-mail addresses: {@code name@domain}, no spaces, one {@code @}, each side 1 to 200 characters. */
public final class Upns {
    private static final Pattern UPN = Pattern.compile("^[^@\\s]{1,200}@[^@\\s]{1,200}$");

    private Upns() {
    }

    /** Whether {@code value} (as given: strip it first where the API strips) looks like {@code name@domain}. */
    public static boolean valid(String value) {
        return value != null && UPN.matcher(value).matches();
    }
}
