package dev.drawbridge.proxy.tunnel;

import java.net.ConnectException;

/**
 * No connector of a group has a usable tunnel to this server (none connected, or every one tried failed at once), or,
 * for an app with single sign-on, none of those connected can carry it ({@link #tooOldForSso}: they predate it).
 */
public final class ConnectorOfflineException extends ConnectException {
    private final String groupName;
    private final boolean tooOldForSso;

    public ConnectorOfflineException(String groupName) {
        this(groupName, false);
    }

    public ConnectorOfflineException(String groupName, boolean tooOldForSso) {
        super(tooOldForSso
                ? "no connector of group '" + groupName + "' that is connected supports single sign-on; update the group's connectors"
                : "no connector of group '" + groupName + "' is connected to this server; start one (or pick another group)");
        this.groupName = groupName;
        this.tooOldForSso = tooOldForSso;
    }

    /** The connector group's name, for messages. */
    public String groupName() {
        return groupName;
    }

    /** Whether connectors of the group are connected but none can carry the request's single sign-on. */
    public boolean tooOldForSso() {
        return tooOldForSso;
    }
}
