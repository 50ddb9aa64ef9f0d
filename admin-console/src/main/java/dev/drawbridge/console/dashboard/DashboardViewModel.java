package dev.drawbridge.console.dashboard;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.AdminClientException;
import dev.drawbridge.adminclient.Connectors;
import dev.drawbridge.adminclient.Logs;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.console.session.Failures;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.CertificateView;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.ConnectorView;
import dev.drawbridge.model.api.SignInLogEntry;
import dev.drawbridge.model.api.SignInStats;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The dashboard: connector health per group, sign-ins and denials per hour over the last day, and certificates
 * that expire within 30 days (uploaded ones and connectors' client certificates).
 */
public final class DashboardViewModel {
    static final Duration SOON = Duration.ofDays(30);
    static final int HOURS = 24;

    /**
     * The sign-in chart's count axis: from 0 to {@code upper} in steps of {@code tick}, both whole numbers (one cannot
     * count half a sign-in).
     */
    public record Axis(long upper, long tick) {
        /** At most this many steps; a day without sign-ins still shows 0 to 5. */
        static final int STEPS = 8;
        static final Axis EMPTY = new Axis(5, 1);

        /** A whole-number axis that fits {@code max} with 1, 2, 5, 10, 20, 50 … per step. */
        public static Axis fitting(long max) {
            if (max <= EMPTY.upper()) {
                return EMPTY;
            }
            long tick = 1;
            for (long decade = 1; ; decade *= 10) {
                for (long n : new long[]{1, 2, 5}) {
                    tick = n * decade;
                    if ((max + tick - 1) / tick <= STEPS) {
                        return new Axis((max + tick - 1) / tick * tick, tick);
                    }
                }
            }
        }
    }

    /** A certificate to renew soon. */
    public record Expiring(String kind, String name, Instant notAfter, long daysLeft) {
    }

    private final AdminApi api;
    private final Tasks tasks;
    private final Permissions perms;
    private final Clock clock;
    private final ObservableList<ConnectorGroupView> groups = FXCollections.observableArrayList();
    private final ObservableList<SignInStats.Bucket> signIns = FXCollections.observableArrayList();
    private final ObservableList<Expiring> expiring = FXCollections.observableArrayList();
    private final StringProperty signInSource = new SimpleStringProperty("");
    private final ObjectProperty<Axis> axis = new SimpleObjectProperty<>(Axis.EMPTY);
    private boolean loading;

    public DashboardViewModel(Session session, Tasks tasks, Clock clock) {
        this.api = session.api();
        this.tasks = tasks;
        this.perms = session.permissions();
        this.clock = clock;
    }

    public ObservableList<ConnectorGroupView> groups() {
        return groups;
    }

    public ObservableList<SignInStats.Bucket> signIns() {
        return signIns;
    }

    public ObservableList<Expiring> expiring() {
        return expiring;
    }

    /** The count axis the sign-in chart needs for the hours shown. */
    public ObjectProperty<Axis> axisProperty() {
        return axis;
    }

    public StringProperty signInSourceProperty() {
        return signInSource;
    }

    /** Everything the dashboard shows, in one background call. */
    record Data(List<ConnectorGroupView> groups, List<SignInStats.Bucket> buckets, String source, List<Expiring> expiring) {
    }

    public void refresh() {
        if (loading) {
            return;
        }
        loading = true;
        tasks.run("load the dashboard", this::load, d -> {
            loading = false;
            groups.setAll(d.groups());
            axis.set(Axis.fitting(d.buckets().stream().mapToLong(b -> b.succeeded() + b.denied()).max().orElse(0)));
            signIns.setAll(d.buckets());
            signInSource.set(d.source());
            expiring.setAll(d.expiring());
        }, e -> loading = false);
    }

    private Data load() throws Exception {
        Instant now = clock.instant();
        List<ConnectorGroupView> gs = perms.has(Permission.CONNECTORS_READ)
                ? api.connectorGroups().list(Paging.LARGEST).items() : List.of();
        List<SignInStats.Bucket> buckets = List.of();
        String source = "";
        if (perms.has(Permission.LOGS_READ)) {
            try {
                buckets = api.logs().signInStats(new Logs.StatsWindow(HOURS)).buckets();
                source = "Last " + HOURS + " hours";
            } catch (AdminClientException e) {
                if (!Failures.notFound(e)) {
                    throw e;
                }
                buckets = bucketsFromLog(now);
                source = "Last " + HOURS + " hours (counted from the latest 1000 sign-in log entries)";
            }
        }
        List<Expiring> exp = new ArrayList<>();
        if (perms.has(Permission.CERTIFICATES_READ)) {
            try {
                for (CertificateView c : api.certificates().list()) {
                    addIfSoon(exp, "Certificate", String.join(", ", c.hosts()), c.notAfter(), now);
                }
            } catch (AdminClientException e) {
                if (!Failures.notFound(e)) {
                    throw e;
                }
            }
        }
        if (perms.has(Permission.CONNECTORS_READ)) {
            for (ConnectorView c : api.connectors().list(Paging.LARGEST, Connectors.Filter.NONE).items()) {
                if (c.status() != ConnectorStatus.REVOKED) {
                    addIfSoon(exp, "Connector", c.hostName() + " (" + c.groupName() + ")", c.certificateNotAfter(), now);
                }
            }
        }
        exp.sort(Comparator.comparing(Expiring::notAfter));
        return new Data(gs, buckets, source, exp);
    }

    private static void addIfSoon(List<Expiring> out, String kind, String name, Instant notAfter, Instant now) {
        if (notAfter != null && notAfter.isBefore(now.plus(SOON))) {
            out.add(new Expiring(kind, name, notAfter, Duration.between(now, notAfter).toDays()));
        }
    }

    private List<SignInStats.Bucket> bucketsFromLog(Instant now) throws AdminClientException {
        Instant from = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(HOURS - 1));
        List<SignInLogEntry> log = api.logs().signIns(Paging.LARGEST,
                new Logs.SignInFilter(null, null, null, null, from, null)).items();
        return bucket(log, from);
    }

    /** Counts successes and denials (DENIED, FAILURE) per hour from {@code from}. */
    static List<SignInStats.Bucket> bucket(List<SignInLogEntry> log, Instant from) {
        Map<Instant, long[]> counts = new LinkedHashMap<>();
        for (int i = 0; i < HOURS; i++) {
            counts.put(from.plus(Duration.ofHours(i)), new long[2]);
        }
        for (SignInLogEntry e : log) {
            long[] c = counts.get(e.at().truncatedTo(ChronoUnit.HOURS));
            if (c == null) {
                continue;
            }
            switch (e.result()) {
                case SUCCESS -> c[0]++;
                case DENIED, FAILURE -> c[1]++;
                default -> { }
            }
        }
        return counts.entrySet().stream().map(x -> new SignInStats.Bucket(x.getKey(), x.getValue()[0], x.getValue()[1])).toList();
    }
}
