/** Sign-in: server URL, credentials or admin token, MFA when asked, trust on first use of the server's CA. */
package dev.drawbridge.console.signin;
