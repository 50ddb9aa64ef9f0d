package dev.drawbridge.console;

import dev.drawbridge.adminclient.AdminApiException;
import dev.drawbridge.adminclient.BundleFile;
import dev.drawbridge.adminclient.ConnectorUpdates;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.ConnectorUpdateView;
import dev.drawbridge.model.api.ConnectorView;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.RolloutConnector;
import dev.drawbridge.model.api.RolloutSettings;
import dev.drawbridge.model.api.RolloutState;
import dev.drawbridge.model.api.RolloutView;
import dev.drawbridge.model.update.UpdateBundle;
import dev.drawbridge.model.update.UpdateVersions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import static dev.drawbridge.console.FakeAdminApi.NOW;
import static dev.drawbridge.console.FakeAdminApi.found;

/**
 * {@link FakeAdminApi}'s connector update bundles and group rollouts, as the server keeps them: an upload is read with
 * {@link UpdateBundle#inspect} (its sentence as a 400 problem), a version only once (409); a bundle that a group pins or
 * a connector is updating to cannot be deleted (409); the rollout's target is the pinned version, else the highest
 * uploaded; a pinned version must be uploaded (400 naming it) and any change clears a halt.
 */
final class FakeUpdates {
    private final FakeAdminApi f;

    FakeUpdates(FakeAdminApi fake) {
        this.f = fake;
    }

    ConnectorUpdates connectorUpdates() {
        return new ConnectorUpdates() {
            @Override
            public List<ConnectorUpdateView> list() throws AdminApiException {
                f.record("connectorUpdates.list");
                return f.updates.values().stream().sorted((a, b) -> UpdateVersions.compare(b.version(), a.version())).toList();
            }

            @Override
            public ConnectorUpdateView upload(BundleFile bundle) throws AdminApiException {
                f.record("connectorUpdates.upload", bundle);
                UpdateBundle.Descriptor d;
                String sha;
                try {
                    d = UpdateBundle.inspect(bundle.path());
                    sha = sha256(bundle);
                } catch (UpdateBundle.InvalidBundleException | IOException e) {
                    throw problem(400, "Bad Request", e.getMessage());
                }
                if (f.updates.containsKey(d.version())) {
                    throw problem(409, "Conflict", "version " + d.version() + " is uploaded already; delete it first to replace it");
                }
                ConnectorUpdateView v = new ConnectorUpdateView(d.version(), sha, bundle.size(), NOW, "admin");
                f.updates.put(v.version(), v);
                return v;
            }

            @Override
            public void delete(String version) throws AdminApiException {
                f.record("connectorUpdates.delete", version);
                found(f.updates.get(version));
                for (var e : f.rolloutSettings.entrySet()) {
                    if (e.getValue().pinnedVersion().equals(version)) {
                        throw problem(409, "Conflict", "connector group " + e.getKey() + " pins version " + version + "; unpin it first");
                    }
                }
                f.updates.remove(version);
            }
        };
    }

    RolloutView rollout(String groupId) throws AdminApiException {
        ConnectorGroupView g = found(f.connectorGroups.get(groupId));
        RolloutSettings s = f.rolloutSettings.getOrDefault(groupId, new RolloutSettings(false, ""));
        String target = !s.pinnedVersion().isEmpty() ? s.pinnedVersion()
                : f.updates.keySet().stream().max(UpdateVersions.ORDER).orElse("");
        List<ConnectorView> members = f.connectors.values().stream().filter(c -> c.groupId().equals(groupId)).toList();
        String halted = f.halted.getOrDefault(groupId, "");
        RolloutState state = !halted.isEmpty() ? RolloutState.HALTED
                : s.paused() ? RolloutState.PAUSED
                : target.isEmpty() ? RolloutState.NO_UPDATES
                : members.stream().filter(c -> c.status() == ConnectorStatus.ACTIVE).allMatch(c -> c.version().equals(target))
                ? RolloutState.UP_TO_DATE : RolloutState.ROLLING;
        return new RolloutView(g.id(), g.name(), state, target, s.pinnedVersion(), s.paused(), halted, halted.isEmpty() ? null : NOW,
                "", null, members.stream().map(c -> new RolloutConnector(c.id(), c.hostName(), c.version(), c.status(), c.updateState(),
                c.updateError().isEmpty() ? "" : target, c.updateError(), NOW)).toList());
    }

    RolloutView setRollout(String groupId, RolloutSettings settings) throws AdminApiException {
        found(f.connectorGroups.get(groupId));
        if (!settings.pinnedVersion().isEmpty() && !f.updates.containsKey(settings.pinnedVersion())) {
            throw AdminApiException.of(new Problem("about:blank", "Invalid request", 400, "invalid", List.of(new Problem.FieldError(
                    "pinnedVersion", "version " + settings.pinnedVersion() + " is not uploaded; upload its bundle first"))));
        }
        f.rolloutSettings.put(groupId, settings);
        f.halted.remove(groupId);
        return rollout(groupId);
    }

    private static AdminApiException problem(int status, String title, String detail) {
        return AdminApiException.of(new Problem("about:blank", title, status, detail, List.of()));
    }

    private static String sha256(BundleFile bundle) throws IOException {
        try (InputStream in = Files.newInputStream(bundle.path())) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
