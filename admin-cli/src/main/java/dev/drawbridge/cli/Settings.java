package dev.drawbridge.cli;

import dev.drawbridge.model.http.LocalhostNames;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a command connects and with what: each of server, credential and CA comes from its
 * option, then its environment variable, then the stored login (only when that login is for the
 * same server: a credential is never sent to another one). The CA never comes from the working
 * directory ({@link #caFile}).
 */
record Settings(URI server, Optional<String> token, Optional<Path> caFile) {
    @Override
    public String toString() {
        return "Settings[server=" + server + ", token=" + token.map(t -> "***").orElse("none") + ", caFile=" + caFile + "]";
    }

    /** Resolves the settings; {@code needToken} makes a missing credential an error (exit 2). */
    static Settings resolve(DrawbridgeCli cli, boolean needToken) throws CliException {
        Optional<StoredLogin> stored;
        try {
            stored = StoredLogin.read(cli.configDirectory());
        } catch (CliException e) {
            // A damaged login file does not matter when everything is given explicitly.
            if (cli.server == null || cli.token == null) {
                throw e;
            }
            stored = Optional.empty();
        }
        URI server = server(cli, stored);
        Optional<StoredLogin> same = stored.filter(l -> l.isFor(server));
        Optional<String> token = Optional.ofNullable(cli.token).filter(t -> !t.isBlank())
                .or(() -> cli.envValue("DRAWBRIDGE_TOKEN")).or(() -> cli.envValue("DRAWBRIDGE_ADMIN_TOKEN"));
        if (token.isEmpty() && same.isPresent()) {
            StoredLogin l = same.get();
            if (l.expiresAt() != null && !l.expiresAt().isAfter(cli.clock().instant())) {
                throw CliException.usage("your login to " + server + " expired at " + l.expiresAt() + "; run drawbridge login");
            }
            token = Optional.of(l.token());
        }
        if (needToken && token.isEmpty()) {
            throw CliException.usage("not logged in to " + server + ": run drawbridge login, or pass --token / set DRAWBRIDGE_TOKEN");
        }
        return new Settings(server, token, caFile(cli, same));
    }

    /** The server alone, for login: option, environment, then the stored login's. */
    static URI server(DrawbridgeCli cli, Optional<StoredLogin> stored) throws CliException {
        URI server = Optional.ofNullable(cli.server).or(() -> cli.envValue("DRAWBRIDGE_SERVER").map(Settings::uri))
                .or(() -> stored.map(StoredLogin::server))
                .orElseThrow(() -> CliException.usage("no server: pass --server https://admin.<domain>:<port>, set DRAWBRIDGE_SERVER, "
                        + "or run drawbridge login"));
        String scheme = server.getScheme() == null ? "" : server.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("https") || scheme.equals("http")) || server.getHost() == null) {
            throw CliException.usage("server '" + server + "' is not a URL; use e.g. https://admin.example.com:8443");
        }
        if (scheme.equals("http") && !LocalhostNames.isLoopback(server.getHost())) {
            throw CliException.usage("refusing to send a credential over plain http to " + server.getHost() + "; use https://");
        }
        return server;
    }

    /**
     * The trust anchor: {@code --ca-file}, then {@code $DRAWBRIDGE_CA_FILE}, then the stored login's (for this server),
     * then {@code $DRAWBRIDGE_DATA/pki/server-ca.pem} when that variable is an absolute path and the file exists; else
     * none (the system trust store). Never a file found relative to the working directory: running the CLI in a
     * directory someone else controls must not let them replace the CA (their {@code ./drawbridge-data/pki/} would).
     */
    static Optional<Path> caFile(DrawbridgeCli cli, Optional<StoredLogin> same) throws CliException {
        Optional<Path> explicit = Optional.ofNullable(cli.caFile).or(() -> cli.envValue("DRAWBRIDGE_CA_FILE").map(Path::of));
        if (explicit.isPresent()) {
            if (!Files.isReadable(explicit.get())) {
                throw CliException.usage("CA file " + explicit.get() + " does not exist or cannot be read");
            }
            return explicit.map(Path::toAbsolutePath);
        }
        Optional<Path> fromLogin = same.map(StoredLogin::caFile).map(Path::of);
        if (fromLogin.isPresent()) {
            if (!fromLogin.get().isAbsolute()) {
                throw CliException.usage("the stored login's CA file '" + fromLogin.get() + "' is not an absolute path; run drawbridge "
                        + "login again with --ca-file");
            }
            return fromLogin;
        }
        return cli.envValue("DRAWBRIDGE_DATA").map(Path::of).filter(Path::isAbsolute).map(d -> d.resolve("pki").resolve("server-ca.pem"))
                .filter(Files::isReadable);
    }

    private static URI uri(String s) {
        try {
            return URI.create(s.strip());
        } catch (IllegalArgumentException e) {
            return URI.create("invalid:" + s.strip().replaceAll("[^A-Za-z0-9.:/-]", "_"));
        }
    }

    /** scheme://host:port, the unit a credential belongs to. */
    static String origin(URI u) {
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        int port = u.getPort() != -1 ? u.getPort() : scheme.equals("http") ? 80 : 443;
        return scheme + "://" + (u.getHost() == null ? "" : u.getHost().toLowerCase(Locale.ROOT)) + ":" + port;
    }
}
