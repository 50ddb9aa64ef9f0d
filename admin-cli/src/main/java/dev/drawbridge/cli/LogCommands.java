package dev.drawbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.Connectors;
import dev.drawbridge.adminclient.Logs;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.adminclient.ServerUnreachableException;
import dev.drawbridge.cli.Table.Column;
import dev.drawbridge.model.api.ConnectorEventType;
import dev.drawbridge.model.api.SignInEvent;
import dev.drawbridge.model.api.SignInResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code drawbridge logs sign-ins|audit|connector-events}: filtered, newest first; with
 * {@code --follow}, oldest first and then every new entry as it appears (like {@code tail -f}).
 */
@Command(name = "logs", description = "Sign-in, audit and connector logs, with filters and --follow.",
        subcommands = {LogCommands.SignIns.class, LogCommands.Audit.class, LogCommands.ConnectorEvents.class, LogCommands.Stats.class})
final class LogCommands {
    private static final Pattern DURATION = Pattern.compile("(\\d+)([smhdw])");

    private LogCommands() {
    }

    /** "1h", "90m", "2d", "1h30m", an ISO-8601 duration (PT1H) or instant: the start of the window. */
    static Instant since(String value, Instant now) throws CliException {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (v.matches("(\\d+[smhdw])+")) {
            Duration d = Duration.ZERO;
            Matcher m = DURATION.matcher(v);
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                d = d.plus(switch (m.group(2)) {
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    case "d" -> Duration.ofDays(n);
                    default -> Duration.ofDays(7 * n);
                });
            }
            return now.minus(d);
        }
        try {
            return v.startsWith("p") ? now.minus(Duration.parse(value.strip())) : Instant.parse(value.strip());
        } catch (DateTimeParseException | ArithmeticException e) {
            throw CliException.usage("--since '" + value + "' is neither a duration such as 15m, 1h, 2d or 1h30m nor an instant "
                    + "such as 2026-11-25T08:00:00Z");
        }
    }

    /** A log command: its path, filters and columns; this class does the window, paging and following. */
    abstract static class LogCommand extends ApiCommand {
        @Option(names = "--since", paramLabel = "WHEN", description = "Only entries newer than this: 15m, 1h, 2d, or an instant")
        String since;
        @Option(names = "--limit", paramLabel = "N", description = "At most N entries per call (1 to 1000; default 100)")
        Integer limit;
        @Option(names = {"-f", "--follow"}, description = "Keep polling and print new entries as they arrive (Ctrl-C stops)")
        boolean follow;
        @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "5",
                description = "Seconds between polls with --follow (default: ${DEFAULT-VALUE})")
        double interval;
        @Option(names = "--max-polls", paramLabel = "N", description = "With --follow, stop after N polls (default: never)")
        Integer maxPolls;

        private final List<Column> columns;

        LogCommand(List<Column> columns) {
            this.columns = columns;
        }

        /** One page of this log, newest first. */
        @FunctionalInterface
        interface Fetch {
            Object page(AdminApi api, Paging paging) throws Exception;
        }

        /** The call this kind's filter options ask for (names resolved to ids once), from {@code from} on. */
        abstract Fetch query(Instant from) throws Exception;

        /** {@code value}, absent when not given. */
        static String given(String value) {
            return value == null || value.isBlank() ? null : value;
        }

        @Override
        protected int execute() throws Exception {
            if (interval < 0.1) {
                throw CliException.usage("--interval must be at least 0.1 seconds");
            }
            if (maxPolls != null && maxPolls < 1) {
                throw CliException.usage("--max-polls must be 1 or more");
            }
            Fetch q = query(since == null ? null : since(since, cli().clock().instant()));
            Paging paging;
            try {
                paging = Paging.of(null, limit);
            } catch (IllegalArgumentException e) {
                throw CliException.usage(e.getMessage() + " (--limit)");
            }
            JsonNode first = Output.tree(q.page(api(), paging));
            if (!follow) {
                output().list(first, columns);
                return 0;
            }
            return follow(q, paging, first);
        }

        private int follow(Fetch q, Paging paging, JsonNode first) throws Exception {
            Output o = output();
            Set<String> seen = new HashSet<>();
            List<JsonNode> batch = fresh(first, seen);
            int[] widths = null;
            if (!o.json() && !o.quiet()) {
                widths = widths(batch);
                o.out().print(row(columns.stream().map(Column::header).toList(), widths));
            }
            print(o, batch, widths);
            for (int polls = 1; maxPolls == null || polls < maxPolls; polls++) {
                Thread.sleep((long) (interval * 1000));
                try {
                    print(o, fresh(Output.tree(q.page(api(), paging)), seen), widths);
                } catch (ServerUnreachableException e) {
                    // A tail outlives a server restart: say so and poll again.
                    err().println("warning: " + mask("cannot reach " + server() + ": " + Connect.reason(e)) + "; retrying");
                    err().flush();
                }
            }
            return 0;
        }

        /** The highest numeric id printed so far: log ids only grow, so a long tail needs no memory of what it printed. */
        private long lastId = Long.MIN_VALUE;

        /** Entries not printed yet, oldest first. */
        private List<JsonNode> fresh(JsonNode answer, Set<String> seen) {
            List<JsonNode> out = new ArrayList<>();
            long newest = lastId;
            for (JsonNode e : Output.items(answer)) {
                boolean isNew = e.path("id").isIntegralNumber() ? e.path("id").asLong() > lastId : seen.add(e.toString());
                if (isNew) {
                    out.add(e);
                    newest = Math.max(newest, e.path("id").asLong(Long.MIN_VALUE));
                }
            }
            lastId = newest;
            return out.reversed();
        }

        private void print(Output o, List<JsonNode> entries, int[] widths) {
            for (JsonNode e : entries) {
                if (o.json()) {
                    o.compact(e);
                } else if (o.quiet()) {
                    o.out().println(e.path("id").asText());
                } else {
                    o.out().print(row(columns.stream().map(c -> c.cell().apply(e)).toList(), widths));
                }
            }
            o.out().flush();
        }

        /** Column widths for a stream: wide enough for the header, the first batch and a typical value. */
        private int[] widths(List<JsonNode> batch) {
            int[] w = new int[columns.size()];
            for (int i = 0; i < w.length; i++) {
                Column c = columns.get(i);
                w[i] = Math.max(c.header().length(), c.header().equals("TIME") ? 20 : 8);
                for (JsonNode e : batch) {
                    w[i] = Math.max(w[i], TerminalText.oneLine(c.cell().apply(e)).length());
                }
            }
            return w;
        }

        private static String row(List<String> cells, int[] widths) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cells.size(); i++) {
                String cell = TerminalText.oneLine(cells.get(i));
                sb.append(cell);
                if (i < cells.size() - 1) {
                    sb.append(" ".repeat(Math.max(widths[i] - cell.length(), 0) + 2));
                }
            }
            return sb.toString().stripTrailing() + "\n";
        }
    }

    @Command(name = "sign-ins", description = "Sign-in attempts and access decisions.")
    static final class SignIns extends LogCommand {
        @Option(names = "--user", paramLabel = "UPN", description = "Only this user")
        String user;
        @Option(names = "--app", paramLabel = "APP", description = "Only this app (name, external URL or id)")
        String app;
        @Option(names = "--result", paramLabel = "RESULT", description = "${COMPLETION-CANDIDATES} (any case)")
        SignInResult result;
        @Option(names = "--event", paramLabel = "EVENT", description = "${COMPLETION-CANDIDATES} (any case)")
        SignInEvent event;

        SignIns() {
            super(Columns.SIGN_INS);
        }

        @Override
        Fetch query(Instant from) throws Exception {
            Logs.SignInFilter f = new Logs.SignInFilter(given(user), app == null ? null : AppCommands.appId(this, app), result,
                    event, from, null);
            return (api, paging) -> api.logs().signIns(paging, f);
        }
    }

    @Command(name = "audit", description = "Every change made through the admin API, with before and after (-o json).")
    static final class Audit extends LogCommand {
        @Option(names = "--action", paramLabel = "ACTION", description = "e.g. app.create, user.disable")
        String action;
        @Option(names = "--target-type", paramLabel = "TYPE", description = "e.g. app, user, group, connector")
        String targetType;
        @Option(names = "--target", paramLabel = "ID", description = "Id of the changed object")
        String target;
        @Option(names = {"--actor", "--user"}, paramLabel = "WHO", description = "Only changes made by this admin (UPN, or admin)")
        String actor;

        Audit() {
            super(Columns.AUDIT);
        }

        @Override
        Fetch query(Instant from) {
            Logs.AuditFilter f = new Logs.AuditFilter(given(actor), given(action), given(targetType), given(target), from, null);
            return (api, paging) -> api.logs().audit(paging, f);
        }
    }

    @Command(name = "connector-events", description = "Connector events: registrations, tunnels up and down, revocations.")
    static final class ConnectorEvents extends LogCommand {
        @Option(names = "--connector", paramLabel = "CONNECTOR", description = "Only this connector (id or host name)")
        String connector;
        @Option(names = {"--type", "--event"}, paramLabel = "TYPE", description = "${COMPLETION-CANDIDATES} (any case)")
        ConnectorEventType type;

        ConnectorEvents() {
            super(Columns.CONNECTOR_EVENTS);
        }

        @Override
        Fetch query(Instant from) throws Exception {
            Connectors.EventFilter f = new Connectors.EventFilter(connector == null ? null : ConnectorCommands.connectorId(this, connector),
                    type, from, null);
            return (api, paging) -> api.connectors().events(paging, f);
        }
    }

    @Command(name = "stats", description = "Sign-ins that succeeded and that were denied, per hour.")
    static final class Stats extends ApiCommand {
        @Option(names = "--hours", paramLabel = "N", description = "How many hours back (default 24)")
        Integer hours;

        @Override
        protected int execute() throws Exception {
            JsonNode stats = Output.tree(api().logs().signInStats(new Logs.StatsWindow(hours)));
            Output o = output();
            if (o.json()) {
                o.pretty(stats);
            } else {
                o.list(stats.path("buckets"), Columns.SIGN_IN_STATS);
            }
            return 0;
        }
    }

}
