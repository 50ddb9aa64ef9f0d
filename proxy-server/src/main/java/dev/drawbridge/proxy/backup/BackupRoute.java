package dev.drawbridge.proxy.backup;

import dev.drawbridge.model.http.LocalhostNames;
import dev.drawbridge.proxy.web.Responses;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import javax.sql.DataSource;

/**
 * {@code POST /local/backup} on the management listener: the running server's copy of its embedded database
 * ({@link H2Copy}, H2's ZIP) for {@code drawbridge-server backup}, which seals it with the keys. Wraps the management
 * listener's handler, in front of it:
 * <pre>
 *   management listener ─▶ BackupRoute (POST /local/backup) ─▶ ManagementEndpoints (/metrics, /health/…) ─▶ public chain
 * </pre>
 * The management listener has no authentication, so this route asks for more than its neighbours, all of it:
 * <ul>
 *   <li>the exact path as sent, not decoded or normalised ({@code /local/%62ackup}, {@code ;} parameters, dot segments
 *   are other paths), and {@code POST} (any other spelling goes on, where it finds 404 or 405);</li>
 *   <li>a peer on this machine (a loopback address or one of its own), and a {@code Host} that is a loopback name or an
 *   address literal of this machine (no DNS name a browser could be tricked into rebinding);</li>
 *   <li>{@code Authorization: Bearer <token>}, the token of this start in the data directory's {@link LocalControl}
 *   file (compared in constant time): reading it takes the same access as reading the keys themselves;</li>
 *   <li>one backup at a time (409 while one runs).</li>
 * </ul>
 * With PostgreSQL, there is no embedded database to copy: 409 (pg_dump backs it up).
 */
public final class BackupRoute extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(BackupRoute.class);
    public static final String PATH = "/local/backup";
    private static final String BEARER = "Bearer ";

    private final Connector listener;
    private final LocalControl control;
    private final Optional<DataSource> h2;
    private final Path dbFolder;
    private final Semaphore oneAtATime = new Semaphore(1);

    /**
     * @param listener the management listener (requests on others go on untouched)
     * @param h2       the embedded database, or empty with PostgreSQL
     */
    public BackupRoute(Connector listener, LocalControl control, Optional<DataSource> h2, Path dataDir, Handler next) {
        super(next);
        this.listener = listener;
        this.control = control;
        this.h2 = h2;
        this.dbFolder = dataDir.resolve("db");
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getConnectionMetaData().getConnector() != listener || !PATH.equals(request.getHttpURI().getPath())
                || !HttpMethod.POST.is(request.getMethod())) {
            return super.handle(request, response, callback);
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        SocketAddress peer = request.getConnectionMetaData().getRemoteSocketAddress();
        if (!(peer instanceof InetSocketAddress a) || !isThisMachine(a.getAddress()) || !localHost(Request.getServerName(request))) {
            Responses.problem(response, callback, 403, "Forbidden", "backups are given only to a client on this machine that "
                    + "addresses it by a loopback name or one of its addresses");
            return true;
        }
        List<String> auth = request.getHeaders().getValuesList(HttpHeader.AUTHORIZATION);
        if (auth.size() != 1 || !auth.getFirst().startsWith(BEARER) || !control.accepts(auth.getFirst().substring(BEARER.length()))) {
            LOG.warn("refused a backup request from {}: {}", peer, auth.isEmpty() ? "no token" : "a wrong token");
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer");
            Responses.problem(response, callback, 401, "Unauthorized", "give the token of the data directory's " + LocalControl.FILE
                    + " file, as drawbridge-server backup does");
            return true;
        }
        if (h2.isEmpty()) {
            Responses.problem(response, callback, 409, "Conflict", "the database is PostgreSQL: back it up with pg_dump");
            return true;
        }
        if (!oneAtATime.tryAcquire()) {
            Responses.problem(response, callback, 409, "Conflict", "a backup is running already: try again when it ends");
            return true;
        }
        try {
            stream(response, callback);
        } finally {
            oneAtATime.release();
        }
        return true;
    }

    private void stream(Response response, Callback callback) {
        Path zip;
        try (Connection c = h2.orElseThrow().getConnection()) {
            zip = H2Copy.backup(c, dbFolder);
        } catch (Exception e) {
            LOG.error("the database backup failed: {}", e.getMessage());
            Responses.problem(response, callback, 503, "Service unavailable", "the database could not be copied: " + e.getMessage());
            return;
        }
        try (InputStream in = Files.newInputStream(zip)) {
            response.setStatus(200);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/zip");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, Files.size(zip));
            OutputStream out = Content.Sink.asOutputStream(response);
            long bytes = in.transferTo(out);
            // Closed only on success: closing after a failure would end the body as if it were complete.
            out.close();
            callback.succeeded();
            LOG.info("the database was copied for a backup ({} bytes)", bytes);
        } catch (Exception e) {
            LOG.warn("a database copy for a backup was not delivered: {}", e.getMessage());
            callback.failed(e);
        } finally {
            try {
                Files.deleteIfExists(zip);
            } catch (Exception e) {
                LOG.warn("cannot delete the temporary database copy {}: {}", zip, e.getMessage());
            }
        }
    }

    private static boolean isThisMachine(InetAddress a) {
        try {
            return a.isLoopbackAddress() || NetworkInterface.getByInetAddress(a) != null;
        } catch (Exception e) {
            return false;
        }
    }

    /** A loopback name, or an address literal of this machine (never a DNS name). */
    private static boolean localHost(String host) {
        if (LocalhostNames.isLoopback(host)) {
            return true;
        }
        String literal = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        try {
            return isThisMachine(InetAddress.ofLiteral(literal));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
