/**
 * Published apps in the admin API: {@code /apps} (publish, edit, unpublish, test through a connector), their icons, their single sign-on
 * to the backend ({@code /apps/{id}/sso}), and who may use them ({@code /apps/{id}/assignments}) and decide their access requests ({@code /apps/{id}/owners}).
 */
package dev.drawbridge.proxy.admin.apps;
