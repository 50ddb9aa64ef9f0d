package dev.drawbridge.proxy.tunnel;

import dev.drawbridge.model.api.GroupMaintenance;

import java.net.ConnectException;
import java.util.Optional;

/**
 * No connector of a group may carry the request: none has a usable tunnel to this server (none connected, or every one
 * tried failed at once); or, for an app with single sign-on, none of those connected can carry it ({@link #tooOldForSso}:
 * they predate it); or the group is in maintenance mode ({@link #maintenance}: no new request goes to its connectors).
 */
public final class ConnectorOfflineException extends ConnectException {
    private final String groupName;
    private final boolean tooOldForSso;
    private final Optional<GroupMaintenance> maintenance;

    public ConnectorOfflineException(String groupName) {
        this(groupName, false);
    }

    public ConnectorOfflineException(String groupName, boolean tooOldForSso) {
        this(groupName, tooOldForSso, Optional.empty());
    }

    private ConnectorOfflineException(String groupName, boolean tooOldForSso, Optional<GroupMaintenance> maintenance) {
        super(maintenance.isPresent() ? "connector group '" + groupName + "' is in maintenance mode; end it to send requests again"
                : tooOldForSso
                ? "no connector of group '" + groupName + "' that is connected supports single sign-on; update the group's connectors"
                : "no connector of group '" + groupName + "' is connected to this server; start one (or pick another group)");
        this.groupName = groupName;
        this.tooOldForSso = tooOldForSso;
        this.maintenance = maintenance;
    }

    /** The group is in maintenance mode. */
    public static ConnectorOfflineException inMaintenance(String groupName, GroupMaintenance maintenance) {
        return new ConnectorOfflineException(groupName, false, Optional.of(maintenance));
    }

    /** The connector group's name, for messages. */
    public String groupName() {
        return groupName;
    }

    /** Whether connectors of the group are connected but none can carry the request's single sign-on. */
    public boolean tooOldForSso() {
        return tooOldForSso;
    }

    /** The group's maintenance mode, when that is why. */
    public Optional<GroupMaintenance> maintenance() {
        return maintenance;
    }
}
