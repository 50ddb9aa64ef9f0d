package dev.drawbridge.model.api;

/** Whether a connector's tunnels are heartbeating. */
public enum ConnectorStatus {
    ACTIVE, INACTIVE, REVOKED
}
