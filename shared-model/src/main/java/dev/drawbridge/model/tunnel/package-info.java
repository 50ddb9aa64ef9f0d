/**
 * The tunnel wire protocol: frames, their codec, and the per-stream flow-controlled multiplexer
 * that both the proxy server and the connector run over their WebSocket connection.
 */
package dev.drawbridge.model.tunnel;
