package dev.drawbridge.console.api;

/** {@code POST /apps/{id}/test}: what the internal URL answered through a connector, or why it did not. */
public record AppTestResult(int status, long latencyMs, String connectorId, String error) {
}
