/**
 * Single sign-on to backends, what both ends agree on: the user's identity the proxy signs for each stream
 * ({@link dev.drawbridge.model.sso.SsoIdentity}, a compact JWS of type {@value dev.drawbridge.model.sso.SsoWire#TOKEN_TYPE}),
 * the keys the connector verifies it with ({@link dev.drawbridge.model.sso.SsoKeys}, a CONFIG frame), and how a connector
 * announces that it reads them ({@link dev.drawbridge.model.sso.SsoWire}). Signing and verifying live in the programs
 * (proxy-server and connector), which have a JOSE library; this module has none.
 */
package dev.drawbridge.model.sso;
