package dev.drawbridge.connector.http;

import org.eclipse.jetty.client.BasicAuthentication;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpProxy;
import org.eclipse.jetty.client.HttpResponseException;
import org.eclipse.jetty.client.Origin;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

/**
 * The HTTP forward proxy the connector reaches its server through, as in networks where only a proxy may go out (Entra's
 * connector has the same setting). Only the server-bound clients use it (registration, the endpoint lookup, the tunnels):
 * they ask it for a {@code CONNECT} tunnel, inside which TLS runs end to end with the server, so the proxy sees only the
 * server's host and port. Internal apps are always reached directly.
 *
 * <p>The proxy is {@code http://host:port} (the CONNECT request in clear, as with most corporate proxies) or
 * {@code https://host:port} (TLS to the proxy first). Its credentials, when it wants some, are sent preemptively as
 * {@code Proxy-Authorization: Basic} on each CONNECT and to nobody else. Stored by {@code register} or {@code set-proxy}
 * in the state directory ({@value #FILE}, mode 0600), read by {@code run}.
 *
 * @param uri      the proxy: scheme, host and port only
 * @param user     the user name it wants; absent when it wants none
 * @param password the password with {@code user}
 */
public record OutboundProxy(URI uri, Optional<String> user, Optional<String> password) {
    /** The file in the state directory. */
    public static final String FILE = "outbound-proxy.properties";
    private static final Set<String> SCHEMES = Set.of("http", "https");

    public OutboundProxy {
        // First, before any refusal that repeats the URL: credentials in it must not reach a message (the journal, a terminal).
        if (uri != null && (uri.getRawUserInfo() != null || uri.toString().contains("@"))) {
            throw credentialsInUrl();
        }
        if (uri == null || uri.getScheme() == null || !SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT)) || uri.getHost() == null) {
            throw new IllegalArgumentException("outbound proxy '" + uri + "' is not an http://host:port or https://host:port URL");
        }
        if (uri.getPort() < 1) {
            throw new IllegalArgumentException("outbound proxy '" + uri + "' has no port: give it, e.g. http://proxy.corp.example:3128");
        }
        if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/")) || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("outbound proxy '" + uri + "' has a path or query: give scheme, host and port only");
        }
        user = user == null ? Optional.empty() : user.filter(u -> !u.isEmpty());
        password = password == null ? Optional.empty() : password;
        if (user.isPresent() && user.get().contains(":")) {
            throw new IllegalArgumentException("outbound proxy user name must not contain ':' (Basic authentication cannot carry it)");
        }
        if (user.isEmpty() && password.isPresent()) {
            throw new IllegalArgumentException("outbound proxy password given without a user name: give --outbound-proxy-user");
        }
        if (user.isPresent() && password.isEmpty()) {
            throw new IllegalArgumentException("outbound proxy user name given without a password: give --outbound-proxy-password-file"
                    + " or set DRAWBRIDGE_OUTBOUND_PROXY_PASSWORD");
        }
        for (String s : new String[] {user.orElse(""), password.orElse("")}) {
            if (s.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
                throw new IllegalArgumentException("outbound proxy credentials must not contain control characters");
            }
        }
        uri = URI.create(uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority());
    }

    /** A proxy without credentials. */
    public static OutboundProxy of(String url) {
        return new OutboundProxy(parse(url), Optional.empty(), Optional.empty());
    }

    /** A proxy {@code url} with optional credentials. */
    public static OutboundProxy of(String url, Optional<String> user, Optional<String> password) {
        return new OutboundProxy(parse(url), user, password);
    }

    private static IllegalArgumentException credentialsInUrl() {
        return new IllegalArgumentException("outbound proxy: give its user name with --outbound-proxy-user and its password"
                + " in a file or DRAWBRIDGE_OUTBOUND_PROXY_PASSWORD, not in the URL (it would show in the process list); the URL is"
                + " not repeated here since it holds a password");
    }

    private static URI parse(String url) {
        if (url.contains("@")) {
            throw credentialsInUrl(); // a proxy's scheme, host and port never hold one
        }
        try {
            return new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("outbound proxy '" + url + "' is not a URL: " + e.getReason());
        }
    }

    /** Makes {@code http} reach every destination through this proxy, with its credentials on each CONNECT. */
    public void applyTo(HttpClient http) {
        Origin.Address address = new Origin.Address(uri.getHost(), uri.getPort());
        if (uri.getScheme().equals("https")) {
            // TLS to the proxy is checked against the system's trust store (a public or corporate CA) and the proxy's host
            // name, not against the pinned server CA the client itself trusts: the server's TLS runs inside the tunnel.
            SslContextFactory.Client toProxy = new SslContextFactory.Client();
            toProxy.setEndpointIdentificationAlgorithm("HTTPS");
            try {
                toProxy.start();
            } catch (Exception e) {
                throw new IllegalStateException("cannot set up TLS to the outbound proxy " + uri + ": " + e.getMessage(), e);
            }
            http.getProxyConfiguration().addProxy(new HttpProxy(address, toProxy));
        } else {
            http.getProxyConfiguration().addProxy(new HttpProxy(address, false));
        }
        if (user.isPresent()) {
            // The CONNECT request's URI is the proxy's: this result applies to it, and to no request to a destination.
            http.getAuthenticationStore().addAuthenticationResult(
                    new BasicAuthentication.BasicResult(uri, HttpHeader.PROXY_AUTHORIZATION, user.get(), password.orElseThrow()));
        }
    }

    /**
     * A sentence for a proxy's refusal of a CONNECT anywhere in {@code failure}'s causes (Jetty reports it as an
     * {@link HttpResponseException} for the tunnel request); empty when the failure is something else.
     */
    public static Optional<String> refusal(Throwable failure) {
        for (Throwable c = failure; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof HttpResponseException e && e.getResponse() != null
                    && HttpMethod.CONNECT.is(e.getResponse().getRequest().getMethod())) {
                Request connect = e.getResponse().getRequest();
                int status = e.getResponse().getStatus();
                String target = connect.getPath();
                return Optional.of("the outbound proxy refused to connect to " + target + " (HTTP " + status + (switch (status) {
                    case 407 -> ": it wants other credentials; check --outbound-proxy-user and the password";
                    case 403 -> ": its rules do not allow that host or port; ask its administrators to allow it";
                    case 502, 503, 504 -> ": it cannot reach the server; check the server's address from the proxy's side";
                    default -> "";
                }) + ")");
            }
        }
        return Optional.empty();
    }

    /** The proxy stored in {@code stateDir}; empty when none is. */
    public static Optional<OutboundProxy> load(Path stateDir) throws IOException {
        Path file = stateDir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (var in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (AccessDeniedException e) {
            throw new IOException("cannot read " + file + " (permission denied): run as the connector's user", e);
        }
        String url = p.getProperty("url");
        if (url == null) {
            throw new IOException(file + " has no url: run 'drawbridge-connector set-proxy' again");
        }
        try {
            return Optional.of(of(url, Optional.ofNullable(p.getProperty("user")), Optional.ofNullable(p.getProperty("password"))));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage() + "; run 'drawbridge-connector set-proxy' again", e);
        }
    }

    /** Stores this proxy in {@code stateDir} (mode 0600, replaced atomically). */
    public void save(Path stateDir) throws IOException {
        Properties p = new Properties();
        p.setProperty("url", uri.toString());
        user.ifPresent(u -> p.setProperty("user", u));
        password.ifPresent(pw -> p.setProperty("password", pw));
        StringWriter out = new StringWriter();
        p.store(out, "The HTTP proxy this connector reaches its server through (drawbridge-connector set-proxy)");
        Files.createDirectories(stateDir);
        boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
        Path tmp = posix
                ? Files.createTempFile(stateDir, FILE, ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(stateDir, FILE, ".tmp");
        try {
            Files.writeString(tmp, out.toString(), StandardCharsets.UTF_8);
            Files.move(tmp, stateDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Removes the stored proxy from {@code stateDir}: the connector then dials its server directly. */
    public static boolean remove(Path stateDir) throws IOException {
        return Files.deleteIfExists(stateDir.resolve(FILE));
    }

    /** The proxy and its user, never the password. */
    @Override
    public String toString() {
        return uri + user.map(u -> " (as " + u + ")").orElse("");
    }
}
