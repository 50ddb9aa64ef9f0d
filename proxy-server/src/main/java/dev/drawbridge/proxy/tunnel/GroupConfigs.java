package dev.drawbridge.proxy.tunnel;

import dev.drawbridge.model.tunnel.Frame;

import java.util.List;
import java.util.Objects;

/**
 * The configuration a connector group's connectors are sent over their tunnels (CONFIG frames, only to tunnels that
 * announced single sign-on): each tunnel gets its group's current frames when it opens, and again whenever one's
 * version changes ({@link ConnectorRegistry#refreshConfigs}); a kind that is gone is sent empty (a removal).
 */
@FunctionalInterface
public interface GroupConfigs {
    /** None. */
    GroupConfigs NONE = group -> List.of();

    /** The group's current configuration, one entry per kind. */
    List<GroupConfig> of(String groupId);

    /** One kind of configuration: {@code version} changes whenever {@code frame}'s content does. */
    record GroupConfig(String version, Frame.Config frame) {
        public GroupConfig {
            Objects.requireNonNull(version, "version");
            Objects.requireNonNull(frame, "frame");
        }

        public String kind() {
            return frame.kind();
        }
    }
}
