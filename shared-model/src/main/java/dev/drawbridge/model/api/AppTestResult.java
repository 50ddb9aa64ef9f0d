package dev.drawbridge.model.api;

/**
 * {@code POST /apps/{id}/test}: what the app's internal URL answered through a connector of its group, or why it did not.
 *
 * @param status      the internal app's HTTP status; null when it gave none (then {@code error} says why)
 * @param latencyMs   time to the response head, or until the attempt failed
 * @param connectorId the connector that carried the request; null when none of the group was connected
 * @param error       why there is no status; null when the app answered
 */
public record AppTestResult(Integer status, long latencyMs, String connectorId, String error) {
    /** The app answered {@code status} after {@code latencyMs} through {@code connectorId}. */
    public static AppTestResult answered(int status, long latencyMs, String connectorId) {
        return new AppTestResult(status, latencyMs, connectorId, null);
    }

    /** No answer: {@code error} says why. */
    public static AppTestResult failed(long latencyMs, String connectorId, String error) {
        return new AppTestResult(null, latencyMs, connectorId, error);
    }
}
