package dev.drawbridge.proxy.dispatch;

import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.TunnelStream;
import dev.drawbridge.proxy.tunnel.ConnectorOfflineException;
import dev.drawbridge.proxy.tunnel.ConnectorPicker;

/** Opens a stream to a connector of a group for one request ({@link ConnectorPicker#open} in production). */
@FunctionalInterface
public interface StreamOpener {
    TunnelStream open(String groupId, RequestHead head, ConnectorPicker.Attempt attempt) throws ConnectorOfflineException;
}
