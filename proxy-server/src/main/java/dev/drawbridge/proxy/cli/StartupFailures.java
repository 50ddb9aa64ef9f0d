package dev.drawbridge.proxy.cli;

import dev.drawbridge.proxy.ListenerException;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.keys.KeyGenerationException;
import dev.drawbridge.proxy.secrets.ClusterKeyException;
import dev.drawbridge.proxy.store.DamagedDatabaseException;
import dev.drawbridge.proxy.store.DatabaseMarker;
import org.h2.mvstore.MVStoreException;

import java.io.EOFException;
import java.io.UncheckedIOException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What stopped the proxy server from starting, as one plain sentence saying what to do. The front doors
 * ({@code drawbridge-server serve}, the demo) print it instead of a stack trace; {@link Options} names the
 * command-line options the sentence points to, since each front door spells them its own way.
 */
public final class StartupFailures {
    /** H2's "database already open" error code (the file is locked by another process). */
    private static final int H2_DATABASE_IN_USE = 90020;
    /** H2's "file corrupted" error code. */
    private static final int H2_FILE_CORRUPTED = 90030;

    /**
     * The options of a front door that move what a failure is about.
     *
     * @param byField the option for each {@link ServerConfig} field that validation names
     */
    public record Options(String dataDir, String port, String tunnelPort, String bind, String databaseUrl,
                          Map<String, String> byField) {
        public Options {
            byField = Map.copyOf(byField);
        }

        /** {@code drawbridge-server serve}'s options. */
        public static final Options SERVE = of("--data-dir", "--port", "--tunnel-port", "--bind", "--database-url", "--domain");

        public static Options of(String dataDir, String port, String tunnelPort, String bind, String databaseUrl, String domain) {
            return new Options(dataDir, port, tunnelPort, bind, databaseUrl, Map.of("dataDir", dataDir, "publicPort", port,
                    "tunnelPort", tunnelPort, "bindHost", bind, "databaseUrl", databaseUrl, "domain", domain));
        }
    }

    private StartupFailures() {
    }

    /** One sentence, without a line break, for a failure of {@code ProxyServer.start(config)}. */
    public static String explain(Throwable failure, ServerConfig config, Options options) {
        Throwable t = failure instanceof UncheckedIOException u ? u.getCause() : failure;
        if (t instanceof ServerConfig.InvalidConfigException invalid) {
            return "the configuration is invalid: " + String.join("; ", invalid.problems().stream()
                    .map(p -> renameField(p, options)).toList()) + ".";
        }
        Optional<ClusterKeyException> clusterKey = find(t, ClusterKeyException.class);
        if (clusterKey.isPresent()) {
            return clusterKey.get().getMessage();
        }
        Optional<KeyGenerationException> olderKeys = find(t, KeyGenerationException.class);
        if (olderKeys.isPresent()) {
            return olderKeys.get().getMessage();
        }
        Optional<ListenerException> listener = find(t, ListenerException.class);
        if (listener.isPresent()) {
            return listener(listener.get(), options);
        }
        if (find(t, SQLException.class).filter(StartupFailures::h2InUse).isPresent() || messages(t).contains("database may be already in use")) {
            return "the database in " + config.dataDir().resolve("db") + " is open in another Drawbridge server (a 'serve' or a demo "
                    + "on the same data directory): stop that one, or give this one its own data directory with " + options.dataDir() + ".";
        }
        Optional<DamagedDatabaseException> damaged = find(t, DamagedDatabaseException.class);
        if (damaged.isPresent()) {
            return damagedDatabase(damaged.get(), config, options);
        }
        if (config.databaseUrl().isEmpty() && unreadableH2(t)) {
            return damaged(config, "is damaged (the embedded database cannot read it)", true, options);
        }
        Optional<FileSystemException> file = find(t, FileSystemException.class);
        if (file.isPresent()) {
            FileSystemException f = file.get();
            String reason = f instanceof AccessDeniedException || f.getReason() == null ? "permission denied" : f.getReason();
            String where = f.getFile() == null || Path.of(f.getFile()).equals(config.dataDir()) ? "" : f.getFile() + ": ";
            return "cannot use the data directory " + config.dataDir() + " (" + where + oneLine(reason).toLowerCase(Locale.ROOT)
                    + "): make it a folder this user can write, or choose another with " + options.dataDir() + ".";
        }
        Optional<SQLException> sql = find(t, SQLException.class);
        if (sql.isPresent() && config.databaseUrl().isPresent()) {
            return "cannot use the PostgreSQL database of " + options.databaseUrl() + " (" + firstSentence(sql.get().getMessage())
                    + "): check that it runs and that the URL's host, port, database, user and password are right.";
        }
        return unexpected("the server could not start", t);
    }

    /**
     * The exit status for a failure of {@code ProxyServer.start(config)}: {@link FrontDoor#USAGE} (2) when starting again
     * cannot help until an operator acts (an invalid configuration, a missing or damaged embedded database, a cluster key that
     * is missing, wrong or opens no shared secret), so that the
     * service's {@code RestartPreventExitStatus=2} stops the restarts; 1 for the rest (a port in use may come free).
     */
    public static int exitCode(Throwable failure, ServerConfig config) {
        Throwable t = failure instanceof UncheckedIOException u ? u.getCause() : failure;
        boolean permanent = t instanceof ServerConfig.InvalidConfigException || find(t, DamagedDatabaseException.class).isPresent()
                || find(t, ClusterKeyException.class).isPresent() || find(t, KeyGenerationException.class).isPresent()
                || config.databaseUrl().isEmpty() && unreadableH2(t) && find(t, SQLException.class).filter(StartupFailures::h2InUse).isEmpty();
        return permanent ? FrontDoor.USAGE : 1;
    }

    /**
     * Whether the embedded database failed to read its file: H2's "file corrupted", or a read that ended early (an
     * {@link EOFException}, H2's "Reading from file ... failed": a file cut short).
     */
    private static boolean unreadableH2(Throwable t) {
        String m = messages(t);
        return find(t, SQLException.class).filter(e -> e.getErrorCode() == H2_FILE_CORRUPTED).isPresent()
                || m.contains("is corrupt") || m.contains("file corrupted") || find(t, EOFException.class).isPresent()
                || find(t, MVStoreException.class).filter(e -> String.valueOf(e.getMessage()).startsWith("Reading from file")).isPresent();
    }

    private static String damagedDatabase(DamagedDatabaseException e, ServerConfig config, Options options) {
        return damagedDatabase(e, config.dataDir(), options.dataDir());
    }

    /**
     * The sentence for a missing or damaged embedded database of {@code dataDir} ({@code dataDirOption}: how the command line
     * names the data directory): the file, what is wrong with it, and the restore command. Also {@code backup}'s.
     */
    static String damagedDatabase(DamagedDatabaseException e, Path dataDir, String dataDirOption) {
        return switch (e.problem()) {
            case MISSING -> damaged(dataDir, "is missing, although this data directory has held the server's database (" + dataDir
                    .resolve(DatabaseMarker.FILE) + " says so)", false, dataDirOption);
            case TRUNCATED -> damaged(dataDir, "is damaged (" + e.size() + " bytes: " + (e.size() < DatabaseMarker.SMALLEST_DATABASE
                    ? "too few to hold any data" : "cut short inside a " + DatabaseMarker.BLOCK / 1024 + " KiB block") + ")", true,
                    dataDirOption);
            case EMPTY -> damaged(dataDir, "is damaged (the embedded database found no data in it, although this data directory has held"
                    + " the server's database)", false, dataDirOption);
        };
    }

    private static String damaged(ServerConfig config, String what, boolean leftAsIs, Options options) {
        return damaged(config.dataDir(), what, leftAsIs, options.dataDir());
    }

    /** The sentence for an embedded database that is missing or damaged: what to do to restore it, or to start anew. */
    private static String damaged(Path dataDir, String what, boolean leftAsIs, String dataDirOption) {
        return "the database file " + dataDir.resolve(DatabaseMarker.DATABASE_FILE) + " " + what + ": restore the data directory from"
                + " a backup with 'drawbridge-server restore --from FILE --data-dir " + dataDir + " --force' (it moves the damaged"
                + " data aside), or, to start a new, empty server instead, move " + dataDir + " aside or choose another folder with "
                + dataDirOption + (leftAsIs ? "; the file was left as it is." : ".");
    }

    /** The generic sentence for a failure nobody foresaw: its root cause, and how to see the stack trace. */
    public static String unexpected(String what, Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String detail = root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + firstSentence(root.getMessage());
        return what + " (" + detail + "); set DRAWBRIDGE_DEBUG=1 to see the stack trace.";
    }

    private static String listener(ListenerException e, Options options) {
        String option = switch (e.listener()) {
            case PUBLIC -> options.port();
            case TUNNEL -> options.tunnelPort();
            case MANAGEMENT -> "--management-port";
        };
        String what = switch (e.listener()) {
            case PUBLIC -> "public HTTPS port";
            case TUNNEL -> "tunnel port";
            case MANAGEMENT -> "management port";
        };
        String bind = e.listener() == ListenerException.Listener.MANAGEMENT ? "--management-bind" : options.bind();
        String reason = Optional.ofNullable(e.getCause()).map(Throwable::getMessage).orElse("").toLowerCase(Locale.ROOT);
        if (e.getCause() instanceof UnresolvedAddressException || reason.contains("assign requested address")) {
            return "cannot listen on " + e.host() + ", which is not an address of this machine: choose one of its addresses with "
                    + bind + (e.listener() == ListenerException.Listener.MANAGEMENT ? " (127.0.0.1 for this machine only)." : " (0.0.0.0 for all).");
        }
        if (reason.contains("in use")) {
            return "the " + what + " " + e.port() + " is already in use (another Drawbridge server, a demo, or another program): stop it, "
                    + "or choose another port with " + option + ".";
        }
        if (reason.contains("permission denied") || reason.contains("access denied")) {
            return "this user may not listen on the " + what + " " + e.port() + " (ports below 1024 need privileges): choose a port above "
                    + "1023 with " + option + ", or grant the program the CAP_NET_BIND_SERVICE capability.";
        }
        return "cannot listen on the " + what + " " + e.host() + ":" + e.port() + " (" + oneLine(reason) + "): choose another with "
                + option + ".";
    }

    private static boolean h2InUse(SQLException e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof SQLException s && s.getErrorCode() == H2_DATABASE_IN_USE) {
                return true;
            }
        }
        return false;
    }

    private static String renameField(String problem, Options options) {
        int colon = problem.indexOf(':');
        if (colon > 0 && options.byField().containsKey(problem.substring(0, colon))) {
            return options.byField().get(problem.substring(0, colon)) + problem.substring(colon);
        }
        return problem;
    }

    static <T extends Throwable> Optional<T> find(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (type.isInstance(c)) {
                return Optional.of(type.cast(c));
            }
        }
        return Optional.empty();
    }

    private static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            b.append(' ').append(c.getMessage());
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }

    /** The first sentence of a library's message, on one line (PostgreSQL's and H2's run on for several). */
    static String firstSentence(String message) {
        String s = oneLine(message == null ? "" : message);
        int end = s.indexOf(". ");
        return end > 0 ? s.substring(0, end) : s.replaceAll("\\.$", "");
    }

    static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }
}
