package dev.drawbridge.cli;

import dev.drawbridge.adminclient.Rollback;
import dev.drawbridge.model.api.RolloutSettings;
import dev.drawbridge.model.api.RolloutState;
import dev.drawbridge.model.api.RolloutView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code drawbridge connector-groups rollout GROUP} shows a group's connector update rollout;
 * {@code rollout pause|resume|pin|unpin|rollback GROUP} change it. Every change is one {@code PUT} of the whole settings
 * (paused, pinned version) read just before, and any change clears a halt: resuming a halted rollout is
 * {@code rollout resume}.
 */
@Command(name = "rollout", description = "A group's connector update rollout: show it (GROUP), or pause, resume, pin, unpin, "
        + "roll back.", subcommands = {RolloutCommands.Pause.class, RolloutCommands.Resume.class, RolloutCommands.Pin.class,
        RolloutCommands.Unpin.class, RolloutCommands.RollBack.class})
final class RolloutCommands extends ApiCommand {
    @Parameters(paramLabel = "GROUP", arity = "0..1", description = "Name or id")
    String group;

    @Override
    protected int execute() throws Exception {
        if (group == null) {
            throw CliException.usage("name the connector group: drawbridge connector-groups rollout GROUP");
        }
        print(this, api().connectorGroups().rollout(ConnectorCommands.groupId(this, group)));
        return 0;
    }

    /** The rollout: its JSON, its state (quiet), or its settings then a table of its connectors. */
    static void print(ApiCommand c, RolloutView r) {
        Output o = c.output();
        if (o.json()) {
            o.pretty(r);
        } else if (o.quiet()) {
            o.out().println(r.state());
        } else {
            Map<String, String> host = new HashMap<>();
            r.connectors().forEach(x -> host.put(x.id(), x.hostName()));
            List<List<String>> head = new ArrayList<>();
            head.add(List.of("Group:", r.groupName() + " (" + r.groupId() + ")"));
            head.add(List.of("State:", r.state().name()));
            head.add(List.of("Target:", orNone(r.targetVersion(), "none (no bundle uploaded)")));
            head.add(List.of("Pinned:", orNone(r.pinnedVersion(), "no (the highest uploaded version)")));
            head.add(List.of("Paused:", r.paused() ? "yes" : "no"));
            if (r.state() == RolloutState.HALTED || !r.haltedReason().isEmpty()) {
                head.add(List.of("Halted:", r.haltedReason() + (r.haltedAt() == null ? "" : " (" + at(r.haltedAt()) + ")")));
            }
            if (!r.updatingConnectorId().isEmpty()) {
                head.add(List.of("Updating:", host.getOrDefault(r.updatingConnectorId(), r.updatingConnectorId())
                        + (r.updatingSince() == null ? "" : " (since " + at(r.updatingSince()) + ")")));
            }
            // A halt's reason carries a connector's own words: one line, no control character.
            o.out().print(Table.rows(head.stream().map(l -> l.stream().map(TerminalText::oneLine).toList()).toList()));
            o.out().println();
            o.out().print(Table.render(Columns.ROLLOUT_CONNECTORS, Output.items(Output.tree(r.connectors()))));
            if (r.connectors().isEmpty()) {
                o.out().println("(no connectors in this group)");
            }
            o.out().flush();
        }
    }

    private static String orNone(String v, String none) {
        return v == null || v.isEmpty() ? none : v;
    }

    private static String at(Instant t) {
        return Table.text(Output.tree(t));
    }

    /** Reads the group's rollout, puts the settings {@code change} makes of it, prints {@code sentence} and the result. */
    abstract static class Change extends ApiCommand {
        @Parameters(index = "0", paramLabel = "GROUP", description = "Name or id")
        String group;

        /** The settings to put, given the current rollout. */
        abstract RolloutSettings settings(RolloutView now) throws Exception;

        /** What was done, for people. */
        abstract String done(RolloutView after);

        @Override
        protected int execute() throws Exception {
            String id = ConnectorCommands.groupId(this, group);
            RolloutView now = api().connectorGroups().rollout(id);
            RolloutView after = api().connectorGroups().setRollout(id, settings(now));
            Output o = output();
            if (o.json() || o.quiet()) {
                print(this, after);
            } else {
                o.out().println(done(after));
                o.out().println();
                print(this, after);
            }
            return 0;
        }
    }

    @Command(name = "pause", description = "Pause a group's rollout: no connector starts updating (one updating now finishes).")
    static final class Pause extends Change {
        @Override
        RolloutSettings settings(RolloutView now) {
            return new RolloutSettings(true, now.pinnedVersion());
        }

        @Override
        String done(RolloutView after) {
            return "Paused the rollout of connector group " + after.groupName();
        }
    }

    @Command(name = "resume", description = "Resume a group's rollout: clears a pause and a halt.")
    static final class Resume extends Change {
        @Override
        RolloutSettings settings(RolloutView now) {
            return new RolloutSettings(false, now.pinnedVersion());
        }

        @Override
        String done(RolloutView after) {
            return "Resumed the rollout of connector group " + after.groupName();
        }
    }

    @Command(name = "pin", description = "Pin a group to an uploaded version (lower or higher than its connectors'); clears a halt.")
    static final class Pin extends Change {
        @Parameters(index = "1", paramLabel = "VERSION", description = "An uploaded version, e.g. 1.4.0")
        String version;

        @Override
        RolloutSettings settings(RolloutView now) {
            return new RolloutSettings(now.paused(), version);
        }

        @Override
        String done(RolloutView after) {
            return "Pinned connector group " + after.groupName() + " to version " + after.pinnedVersion() + paused(after);
        }
    }

    @Command(name = "unpin", description = "Unpin a group: its connectors follow the highest uploaded version again; clears a halt.")
    static final class Unpin extends Change {
        @Override
        RolloutSettings settings(RolloutView now) {
            return new RolloutSettings(now.paused(), "");
        }

        @Override
        String done(RolloutView after) {
            return "Unpinned connector group " + after.groupName() + ": it follows the highest uploaded version ("
                    + orNone(after.targetVersion(), "none") + ")" + paused(after);
        }
    }

    @Command(name = "rollback", description = "Roll a group back: pin the highest uploaded version below its target; clears a halt.")
    static final class RollBack extends Change {
        private String from = "";

        @Override
        RolloutSettings settings(RolloutView now) throws Exception {
            return switch (Rollback.plan(now, api().connectorUpdates().list())) {
                case Rollback.Pin p -> {
                    from = p.from();
                    yield new RolloutSettings(now.paused(), p.version());
                }
                case Rollback.Refused r -> throw UpdateCommands.refused(r);
            };
        }

        @Override
        String done(RolloutView after) {
            return "Rolled connector group " + after.groupName() + " back from " + from + " to " + after.pinnedVersion()
                    + " (pinned)" + paused(after);
        }
    }

    private static String paused(RolloutView r) {
        return r.paused() ? "; the rollout is paused: drawbridge connector-groups rollout resume " + r.groupName() + " starts it" : "";
    }
}
