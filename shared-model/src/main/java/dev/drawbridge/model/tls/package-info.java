/**
 * The TLS profile every Drawbridge endpoint speaks: the proxy server's public and tunnel listeners and the
 * connector's client side towards the server.
 */
package dev.drawbridge.model.tls;
