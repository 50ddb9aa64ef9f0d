package dev.drawbridge.adminclient;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The admin API operation an {@link AdminApi} method calls: the row of the server's route table with this method and
 * path template. {@link HttpAdminApi} builds the request from it; a system test ties every method to exactly one row.
 *
 * <p>How a method's parameters bind: {@code String} parameters fill the template's {@code {name}} segments in order
 * (percent-encoded); a {@link Query} record becomes query parameters; {@link RawContent} (an {@link Icon},
 * {@link SamlMetadata}, a {@link BundleFile} streamed from disk) is sent as the raw body; any other parameter is the JSON
 * body. The return type is the JSON answer ({@code void}: none is read; {@link RawContent}: the raw answer).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Operation {
    /** HTTP method, upper case. */
    String method();

    /** Path template under {@code /api/v1/}, e.g. {@code apps/{id}/owners/{userId}}. */
    String path();

    /** Answered without a bearer credential (only the admin sign-in): none is sent, whatever the client holds. */
    boolean anonymous() default false;
}
