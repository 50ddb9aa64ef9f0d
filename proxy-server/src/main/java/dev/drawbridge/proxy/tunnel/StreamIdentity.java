package dev.drawbridge.proxy.tunnel;

/**
 * Signs the identity of a request's user for the one stream it travels on ({@code drawbridge-sso+jwt}, bound to the
 * tunnel connection's id and the stream id, see {@code model.sso.SsoWire}). Called only for tunnels whose connector
 * announced it reads identities, when the stream id is chosen; other tunnels get the request without one.
 */
@FunctionalInterface
public interface StreamIdentity {
    String sign(String tunnelId, int streamId);
}
