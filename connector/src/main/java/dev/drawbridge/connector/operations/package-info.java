/**
 * Operating the connector: its metrics ({@link dev.drawbridge.connector.operations.ConnectorMetrics}, the catalogue in
 * {@link dev.drawbridge.connector.operations.ConnectorMeter}), its health
 * ({@link dev.drawbridge.connector.operations.ConnectorHealth}), the optional management listener that serves both
 * ({@link dev.drawbridge.connector.operations.ManagementServer}) and the access log of its streams
 * ({@link dev.drawbridge.connector.operations.StreamLog}). See docs/operations.md.
 */
package dev.drawbridge.connector.operations;
