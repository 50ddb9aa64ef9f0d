package dev.drawbridge.model.api;

import java.util.Arrays;
import java.util.List;

/** How a user proved who they are: the {@code amr} values (RFC 8176) of sessions and tokens. */
public enum AuthMethod {
    /** A password. */
    PASSWORD("pwd"),
    /** A one-time code of an authenticator app (or a recovery code). */
    ONE_TIME_CODE("otp"),
    /** The external identity provider (federation). */
    FEDERATED("fed");

    private final String amr;

    AuthMethod(String amr) {
        this.amr = amr;
    }

    /** The {@code amr} claim of a session proved by these methods, in their order. */
    public static List<String> claims(AuthMethod... methods) {
        return Arrays.stream(methods).map(AuthMethod::amr).toList();
    }

    /** The {@code amr} claim value. */
    public String amr() {
        return amr;
    }
}
