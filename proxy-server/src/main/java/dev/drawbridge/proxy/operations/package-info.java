/**
 * Operating the server: its metrics ({@link dev.drawbridge.proxy.operations.ProxyMetrics}, the catalogue in
 * {@link dev.drawbridge.proxy.operations.ProxyMeter}), its health ({@link dev.drawbridge.proxy.operations.Health}), the
 * management listener that serves both ({@link dev.drawbridge.proxy.operations.ManagementEndpoints}), and what every
 * request on the public listener leaves behind: its id in the log context, its metrics, its access-log line
 * ({@link dev.drawbridge.proxy.operations.RequestObserver}). See docs/operations.md.
 */
package dev.drawbridge.proxy.operations;
