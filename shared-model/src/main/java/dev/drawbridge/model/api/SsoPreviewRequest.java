package dev.drawbridge.model.api;

/**
 * Body of {@code POST /api/v1/apps/{id}/sso/preview}: whom to preview the app's single sign-on for, and optionally settings
 * not yet stored (an editor's draft) to preview instead of the app's own.
 *
 * @param user     the user, by id or UPN
 * @param settings the settings to preview; absent: the app's stored ones
 */
public record SsoPreviewRequest(String user, SsoSettings settings) {
    /** A preview of the app's stored settings for {@code user}. */
    public static SsoPreviewRequest of(String user) {
        return new SsoPreviewRequest(user, null);
    }
}
