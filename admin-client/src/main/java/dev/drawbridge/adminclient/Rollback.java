package dev.drawbridge.adminclient;

import dev.drawbridge.model.api.ConnectorUpdateView;
import dev.drawbridge.model.api.RolloutConnector;
import dev.drawbridge.model.api.RolloutView;
import dev.drawbridge.model.update.UpdateVersions;

import java.util.List;
import java.util.Optional;

/**
 * Rolling a connector group back, as the console and the CLI both do it: pin the highest uploaded version below the
 * group's target ({@code PUT /connector-groups/{id}/rollout}); the server then updates its connectors to that version,
 * one at a time. When no uploaded version is below the target there is nothing to pin: the sentence says which bundle
 * to upload (the highest version below the target that a connector of the group still runs).
 */
public final class Rollback {
    /** What rolling back would do. */
    public sealed interface Plan permits Pin, Refused {
    }

    /** Pin {@code version}, below the group's target {@code from}. */
    public record Pin(String version, String from) implements Plan {
    }

    /** Nothing to roll back to, in a sentence. */
    public record Refused(String sentence) implements Plan {
    }

    private Rollback() {
    }

    /** The plan for {@code rollout}, given the {@code uploaded} bundles. */
    public static Plan plan(RolloutView rollout, List<ConnectorUpdateView> uploaded) {
        String target = rollout.targetVersion();
        if (target == null || !UpdateVersions.valid(target)) {
            return new Refused("Connector group " + rollout.groupName() + " has nothing to roll back: no update bundle is uploaded.");
        }
        Optional<String> below = uploaded.stream().map(ConnectorUpdateView::version).filter(UpdateVersions::valid)
                .filter(v -> UpdateVersions.compare(v, target) < 0).max(UpdateVersions.ORDER);
        if (below.isPresent()) {
            return new Pin(below.get(), target);
        }
        Optional<String> ran = rollout.connectors().stream().map(RolloutConnector::version).filter(UpdateVersions::valid)
                .filter(v -> UpdateVersions.compare(v, target) < 0).max(UpdateVersions.ORDER);
        return new Refused("No uploaded version is below " + target + ", the target of connector group " + rollout.groupName()
                + ": upload the bundle of " + ran.map(v -> "version " + v).orElse("the version to go back to") + " first.");
    }
}
