/**
 * The app editor's "Single sign-on" section: how the connector signs the verified user in to the app's backend (the
 * method and its settings, checked as the admin types with shared-model's rules), saved on its own.
 */
package dev.drawbridge.console.apps.sso;
