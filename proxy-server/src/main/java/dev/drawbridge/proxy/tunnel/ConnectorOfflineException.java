package dev.drawbridge.proxy.tunnel;

import java.net.ConnectException;

/** No connector of a group has a usable tunnel to this server (none connected, or every one tried failed at once). */
public final class ConnectorOfflineException extends ConnectException {
    private final String groupName;

    public ConnectorOfflineException(String groupName) {
        super("no connector of group '" + groupName + "' is connected to this server; start one (or pick another group)");
        this.groupName = groupName;
    }

    /** The connector group's name, for messages. */
    public String groupName() {
        return groupName;
    }
}
