/**
 * "Test as user" (issue 10): what an app's backend would receive from single sign-on for one user, and why it would be
 * refused or degraded for them ({@link dev.drawbridge.proxy.sso.preview.SsoPreviews}), computed with the live path's
 * own code: the identity dispatch signs ({@code sso.IdentityTokens}), the SAML assertion's values ({@code saml.UserValues}),
 * the vault's lookup, the edge's assignment check, the connector choice, and shared-model's {@code HeaderValues} and
 * {@code DelegatedLogin}, which the connector runs. A package of its own because it reads both {@code sso} and
 * {@code saml}, which itself builds on {@code sso}. Served by {@code admin.apps.AppSsoPreviewApi}.
 */
package dev.drawbridge.proxy.sso.preview;
