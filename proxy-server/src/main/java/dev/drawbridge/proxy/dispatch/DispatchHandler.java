package dev.drawbridge.proxy.dispatch;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.tunnel.BodyChunks;
import dev.drawbridge.model.tunnel.FrameCodec;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.ResponseHead;
import dev.drawbridge.model.tunnel.StreamChunk;
import dev.drawbridge.model.tunnel.StreamResetException;
import dev.drawbridge.model.tunnel.TunnelStream;
import dev.drawbridge.proxy.apps.PathAccess;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RequestPath;
import dev.drawbridge.proxy.apps.Routed;
import dev.drawbridge.proxy.edge.ProxyFailure;
import dev.drawbridge.proxy.edge.WebSocketUpgrade;
import dev.drawbridge.proxy.preauth.AccessCheck;
import dev.drawbridge.proxy.preauth.Authorized;
import dev.drawbridge.proxy.preauth.Identity;
import dev.drawbridge.proxy.preauth.LiveSessions;
import dev.drawbridge.proxy.translation.BodyTranslation;
import dev.drawbridge.proxy.translation.LinkMap;
import dev.drawbridge.proxy.translation.LinkTranslations;
import dev.drawbridge.proxy.translation.TranslatedEtag;
import dev.drawbridge.proxy.tunnel.ConnectorOfflineException;
import dev.drawbridge.proxy.tunnel.ConnectorPicker;
import dev.drawbridge.tunnel.transport.ChunkWrites;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpHeaderValue;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Dispatch, the last handler of the app chain: sends the routed, authorized request to its app
 * through a connector ({@link StreamOpener}: the least-loaded live tunnel of the app's connector
 * group, another one when the connector refuses the stream unstarted), streams the request body up
 * and the response back (never buffering a whole body), relays WebSocket upgrades
 * ({@link WebSocketRelay}), and answers a failed exchange with a {@link ProxyFailure}. The HTML and CSS responses of an
 * app that turned link translation on pass through a {@link BodyTranslation} on their way out. Runs on
 * virtual threads, so blocking reads and writes are fine here.
 */
public final class DispatchHandler extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(DispatchHandler.class);

    private final StreamOpener opener;
    private final Function<String, String> groupNames;
    private final WebSocketRelay webSockets;
    private final Function<BackendTimeout, Duration> timeouts;
    private final BiFunction<PublishedApp, Identity, List<HeaderField>> identityHeaders;
    private final LiveSessions live;
    private final SingleSignOn sso;
    private final PasswordVaulting passwords;
    private final LinkTranslations translations;
    /** The request attribute holding what to do when the connector refuses single sign-on for this request. */
    private static final String SSO_REFUSED = DispatchHandler.class.getName() + ".ssoRefused";
    /** The {@link LinkMap} an exchange with an app that translates links runs with. */
    private static final String LINK_MAP = DispatchHandler.class.getName() + ".linkMap";

    /** A dispatcher that sends connectors no signed identities. */
    public DispatchHandler(StreamOpener opener, Function<String, String> groupNames, WebSocketRelay webSockets,
                           Function<BackendTimeout, Duration> timeouts,
                           BiFunction<PublishedApp, Identity, List<HeaderField>> identityHeaders, LiveSessions live) {
        this(opener, groupNames, webSockets, timeouts, identityHeaders, live, SingleSignOn.NONE);
    }

    /**
     * @param groupNames      a connector group's name by id, for messages
     * @param timeouts        what an app's backend timeout setting means (unless the app has its own in seconds, {@code AppLimits})
     * @param identityHeaders the headers that carry a signed-in user to the app
     * @param live            where exchanges hold their access while they run (a signed-in user's with the request's
     *                        context), so that a revocation, disable, removed assignment, blocking policy or app change
     *                        meanwhile cuts them
     * @param sso             signs a signed-in user's identity for the stream their request travels on (sent only to
     *                        connectors that read it), and records the connector's single sign-on refusals
     */
    public DispatchHandler(StreamOpener opener, Function<String, String> groupNames, WebSocketRelay webSockets,
                           Function<BackendTimeout, Duration> timeouts,
                           BiFunction<PublishedApp, Identity, List<HeaderField>> identityHeaders, LiveSessions live,
                           SingleSignOn sso) {
        this(opener, groupNames, webSockets, timeouts, identityHeaders, live, sso, PasswordVaulting.NONE);
    }

    /**
     * As above, with {@code passwords}: the stored user name and password a request to a BASIC app carries to the
     * connector, or what answers it instead ({@link PasswordStep}).
     */
    public DispatchHandler(StreamOpener opener, Function<String, String> groupNames, WebSocketRelay webSockets,
                           Function<BackendTimeout, Duration> timeouts,
                           BiFunction<PublishedApp, Identity, List<HeaderField>> identityHeaders, LiveSessions live,
                           SingleSignOn sso, PasswordVaulting passwords) {
        this(opener, groupNames, webSockets, timeouts, identityHeaders, live, sso, passwords, LinkTranslations.none());
    }

    /** As above, with {@code translations}: which responses have the published apps' internal URLs translated. */
    public DispatchHandler(StreamOpener opener, Function<String, String> groupNames, WebSocketRelay webSockets,
                           Function<BackendTimeout, Duration> timeouts,
                           BiFunction<PublishedApp, Identity, List<HeaderField>> identityHeaders, LiveSessions live,
                           SingleSignOn sso, PasswordVaulting passwords, LinkTranslations translations) {
        this.translations = translations;
        this.passwords = passwords;
        this.sso = sso;
        this.live = live;
        this.opener = opener;
        this.groupNames = groupNames;
        this.webSockets = webSockets;
        this.timeouts = timeouts;
        this.identityHeaders = identityHeaders;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        Routed routed = Routed.ATTRIBUTE.get(request);
        Authorized authorized = Authorized.ATTRIBUTE.get(request);
        PublishedApp app = routed.app();
        List<HeaderField> forwardedIdentity = authorized.identity().map(id -> identityHeaders.apply(app, id)).orElse(List.of());
        boolean websocket = isWebSocketUpgrade(request);
        // One link map for the whole exchange: the If-None-Match sent, the page's links and its ETag all follow it.
        LinkMap links = app.translateLinksInBody() ? translations.map(app) : LinkMap.empty();
        request.setAttribute(LINK_MAP, links);
        RequestHead forwarded = ForwardedRequest.build(app, request, routed.remainder(), websocket,
                app.limits().backendTimeout().orElseGet(() -> timeouts.apply(app.backendTimeout())),
                forwardedIdentity, authorized.bearer(), links);
        // A BASIC app's request carries its stored password, or is answered here (no password stored: to My Apps).
        Optional<RequestHead> withPassword = PasswordStep.prepare(passwords, app, authorized.identity(), authorized.bearer(), forwarded,
                request, response, callback);
        if (withPassword.isEmpty()) {
            return true;
        }
        RequestHead head = withPassword.get();
        // A pre-authenticated app's request carries its user's identity, signed for the stream it is sent on.
        ConnectorPicker.Attempt attempt = new ConnectorPicker.Attempt(authorized.identity().map(id -> sso.identity(app, id))
                .orElse(null));
        authorized.identity().ifPresent(id -> request.setAttribute(SSO_REFUSED,
                (Consumer<String>) reason -> sso.refused(app, id, Request.getRemoteAddr(request), reason)));
        // An exchange holds its access as long as it runs: a revocation meanwhile cuts it (LiveSessions); a signed-in user's
        // keeps the request's conditional-access context, so that the recheck judges it as the request was judged.
        AccessPolicy.ClientType clientType = authorized.bearer() ? AccessPolicy.ClientType.NATIVE : AccessPolicy.ClientType.BROWSER;
        String kind = websocket ? "WebSocket" : "response";
        InetAddress from = clientAddress(request);
        // The routed path too, so that the recheck decides the app's path rules again for it (none in the proxy's namespace).
        PathAccess pathAccess = PathAccess.of(request, app);
        RequestPath path = routed.inReservedNamespace() ? null : routed.path();
        Optional<LiveSessions.Lease> lease = Optional.of(authorized.identity().map(id -> live.open(app, kind, id,
                new AccessCheck.Origin(from, clientType, id.amr(), pathAccess), path))
                .orElseGet(() -> live.openAnonymous(app, kind, from, pathAccess, path)));
        if (websocket) {
            // The WebSocket outlives this callback: the relay closes the lease when the socket ends.
            webSockets.relay(app, head, request, response, callback, (a, h, t) -> leased(lease, openStream(a, h, attempt)), lease);
        } else {
            exchange(app, head, request, response, lease.<Callback>map(l -> Callback.from(l::close, callback)).orElse(callback),
                    lease, attempt);
        }
        return true;
    }

    /** The client's address (after trusted proxies), as authorization read it; the unspecified address if none is known. */
    private static InetAddress clientAddress(Request request) {
        try {
            return InetAddress.ofLiteral(Request.getRemoteAddr(request));
        } catch (IllegalArgumentException e) {
            // Only for a passthrough app's exchange (authorization parsed a signed-in user's): the address is for the log.
            return InetAddress.ofLiteral("0.0.0.0");
        }
    }

    /** A stream opened for a leased exchange is reset when the user's session is revoked while it runs. */
    private static Result<TunnelStream> leased(Optional<LiveSessions.Lease> lease, Result<TunnelStream> opened) {
        if (opened instanceof Result.Ok<TunnelStream> ok && lease.isPresent()) {
            lease.get().onRevoke(reason -> ok.value().reset(ResetCode.CANCEL, "access revoked: " + reason));
        }
        return opened;
    }

    static boolean isWebSocketUpgrade(Request request) {
        return WebSocketUpgrade.is(request);
    }

    /** Opens a stream to a connector of the app's group, or says why not. */
    Result<TunnelStream> openStream(PublishedApp app, RequestHead head, ConnectorPicker.Attempt attempt) {
        try {
            return new Result.Ok<>(opener.open(app.connectorGroupId(), head, attempt));
        } catch (ConnectorOfflineException e) {
            String group = groupNames.apply(app.connectorGroupId());
            if (e.maintenance().isPresent()) {
                return new Result.Failed<>(new ProxyFailure.InMaintenance(app.name(), Optional.ofNullable(e.maintenance().get().message())));
            }
            return new Result.Failed<>(e.tooOldForSso() ? new ProxyFailure.ConnectorTooOld(app.name(), group)
                    : new ProxyFailure.ConnectorOffline(app.name(), group));
        }
    }

    private void exchange(PublishedApp app, RequestHead head, Request request, Response response, Callback callback,
                          Optional<LiveSessions.Lease> lease, ConnectorPicker.Attempt attempt) {
        if (head.body()) {
            exchangeWithBody(app, head, request, response, callback, lease, attempt);
        } else {
            exchangeWithoutBody(app, head, request, response, callback, attempt, lease);
        }
    }

    /**
     * A bodyless request: the OPEN frame is the whole request, and this thread is done once it is sent. The answer is
     * handled where it arrives: a complete small response (a WHOLE frame) is written to the client right there, on the
     * tunnel's reader thread; anything that streams, fails or times out continues on a virtual thread.
     */
    private void exchangeWithoutBody(PublishedApp app, RequestHead head, Request request, Response response, Callback callback,
                                     ConnectorPicker.Attempt attempt, Optional<LiveSessions.Lease> lease) {
        Result<TunnelStream> opened = leased(lease, openStream(app, head, attempt));
        if (opened instanceof Result.Failed<TunnelStream> f) {
            f.failure().respond(response, callback);
            return;
        }
        TunnelStream stream = ((Result.Ok<TunnelStream>) opened).value();
        request.addFailureListener(failure -> stream.reset(ResetCode.CANCEL, "client went away"));
        stream.endOutputWithoutFrame();
        stream.whenHead(head.timeout(), (rh, failure) -> {
            try {
                byte[] body = failure == null ? stream.takeWholeBody() : null;
                if (body != null) {
                    writeWhole(app, head, request, rh, body, response, callback);
                } else {
                    Thread.startVirtualThread(() -> afterHead(app, head, request, response, callback, stream, rh, failure, attempt,
                            lease));
                }
            } catch (Throwable e) {
                // Nothing may escape: CompletableFuture would swallow it, and the client would wait for its idle timeout.
                LOG.warn("{}: relaying the response failed: {}", app.name(), e.toString());
                stream.reset(ResetCode.CANCEL, "proxy failed to relay the response");
                callback.failed(e);
            }
        });
    }

    /** The rest of a bodyless exchange whose answer streams or failed (on a virtual thread). */
    private void afterHead(PublishedApp app, RequestHead head, Request request, Response response, Callback callback,
                           TunnelStream stream, ResponseHead rh, Throwable failure, ConnectorPicker.Attempt attempt,
                           Optional<LiveSessions.Lease> lease) {
        if (failure == null) {
            streamResponse(app, request, rh, stream, response, callback);
        } else if (ConnectorPicker.mayRetry(failure, attempt)) {
            // The connector is draining and never started it: another connector may.
            exchangeWithoutBody(app, head, request, response, callback, attempt, lease);
        } else {
            headFailed(app, stream, failure, "no response head within the backend timeout", response, callback);
        }
    }

    /**
     * Answers the client when no response head came: the backend timeout passed ({@link TimeoutException}, the stream is
     * reset with {@code timeoutReason}), the connector reset the stream, or the tunnel went away.
     */
    static void headFailed(PublishedApp app, TunnelStream stream, Throwable failure, String timeoutReason,
                           Response response, Callback callback) {
        RequestHead head = stream.request();
        switch (failure) {
            case TimeoutException t -> {
                stream.reset(ResetCode.UPSTREAM_TIMEOUT, timeoutReason);
                new ProxyFailure.UpstreamTimeout(app.name(), head.timeout().toSeconds()).respond(response, callback);
            }
            case StreamResetException e -> failureFor(app, response.getRequest(), head, e).respond(response, callback);
            default -> new ProxyFailure.TunnelLost(app.name()).respond(response, callback);
        }
    }

    /**
     * A complete small response, written from the thread that received it; Jetty completes the callback. One to
     * translate is written from a virtual thread instead: decompressed, it may be large.
     */
    private void writeWhole(PublishedApp app, RequestHead head, Request request, ResponseHead rh, byte[] body, Response response,
                            Callback callback) {
        if (PasswordStep.answeredRefusal(request, rh, response, callback, () -> { })) {
            return;
        }
        boolean headOnly = HttpMethod.HEAD.is(request.getMethod());
        boolean noBody = headOnly || rh.status() == 204 || rh.status() == 304 || body.length == 0;
        // A HEAD answer has the headers the GET's would have (translated: no length, the coding sent).
        Optional<BodyTranslation> translation = noBody && !headOnly ? Optional.empty() : translation(app, request, rh);
        response.setStatus(rh.status());
        copyHeaders(app, rh, response, headersOut(app, request, rh, translation));
        if (translation.isPresent() && !headOnly) {
            chunkedUnlessLength(request, response);
            Thread.startVirtualThread(() -> writeTranslated(app, head, request, translation.get(), new ByteArrayInputStream(body),
                    () -> { }, response, callback));
            return;
        }
        if (translation.isPresent()) {
            // HEAD: the headers go out before the end, as a GET's translated body's do, so Jetty states no length of 0.
            response.write(false, BufferUtil.EMPTY_BUFFER, Callback.from(() -> response.write(true, BufferUtil.EMPTY_BUFFER, callback),
                    callback::failed));
            return;
        }
        response.write(true, noBody ? BufferUtil.EMPTY_BUFFER : ByteBuffer.wrap(body), callback);
    }

    /**
     * Writes a body to translate from {@code in} (the tunnel stream's, or a whole body's) and completes the callback.
     * A body that cannot be decompressed is the app's failure: {@code stopReading} runs, and the client gets an error
     * page, or a broken response when part of it is out.
     */
    private void writeTranslated(PublishedApp app, RequestHead head, Request request, BodyTranslation translation, InputStream in,
                                 Runnable stopReading, Response response, Callback callback) {
        try {
            OutputStream out = Content.Sink.asOutputStream(response);
            translation.relay(in, out, links(request), app);
            out.close();
        } catch (StreamResetException e) {
            LOG.debug("{}: upstream failed mid-response: {}", app.name(), e.getMessage());
            failMidResponse(app, request, response, callback, e, failureFor(app, request, head, e));
            return;
        } catch (BodyTranslation.UnreadableBodyException e) {
            LOG.info("{}: {}", app.name(), e.getMessage());
            stopReading.run();
            failMidResponse(app, request, response, callback, e, new ProxyFailure.UpstreamFailed(app.name(), e.getMessage()));
            return;
        } catch (IOException e) {
            stopReading.run();
            callback.failed(e);
            return;
        } catch (RuntimeException e) {
            // A defect of the translation, never a hung exchange: the stream is let go and the client told.
            LOG.warn("{}: link translation failed: {}", app.name(), e.toString());
            stopReading.run();
            failMidResponse(app, request, response, callback, e, new ProxyFailure.UpstreamFailed(app.name(), "the response could not be translated"));
            return;
        }
        callback.succeeded();
    }

    /** A failure while the body is relayed: an error page while nothing is out, else a broken response. */
    private static void failMidResponse(PublishedApp app, Request request, Response response, Callback callback, Throwable e,
                                        ProxyFailure failure) {
        if (!response.isCommitted()) {
            response.reset();
            failure.respond(response, callback);
        } else {
            callback.failed(e);
        }
    }

    private void exchangeWithBody(PublishedApp app, RequestHead head, Request request, Response response, Callback callback,
                                  Optional<LiveSessions.Lease> lease, ConnectorPicker.Attempt attempt) {
        Result<TunnelStream> opened = leased(lease, openStream(app, head, attempt));
        if (opened instanceof Result.Failed<TunnelStream> f) {
            f.failure().respond(response, callback);
            return;
        }
        TunnelStream stream = ((Result.Ok<TunnelStream>) opened).value();
        // A client that goes away (an HTTP/2 stream reset, a gRPC deadline) while the app has not answered: tell the app.
        request.addFailureListener(failure -> stream.reset(ResetCode.CANCEL, "client went away"));
        Thread pump = Thread.startVirtualThread(() -> pumpRequestBody(app, request, stream));
        ResponseHead rh;
        try {
            rh = stream.awaitHead(head.timeout());
        } catch (TimeoutException | IOException e) {
            headFailed(app, stream, e, "no response head within the backend timeout", response, callback);
            return;
        }
        streamResponse(app, request, rh, stream, response, callback);
        if (pump.isAlive()) {
            // The app answered without reading the whole body: stop sending it, release the stream.
            stream.reset(ResetCode.CANCEL, "response complete before the request body");
        }
    }

    /** The answer to a stream the connector reset before the response; a single sign-on refusal is also recorded. */
    @SuppressWarnings("unchecked")
    static ProxyFailure failureFor(PublishedApp app, Request request, RequestHead head, StreamResetException e) {
        return switch (e.code()) {
            case SSO_REFUSED -> {
                if (request.getAttribute(SSO_REFUSED) instanceof Consumer<?> refused) {
                    ((Consumer<String>) refused).accept(e.reason());
                }
                yield new ProxyFailure.SsoRefused(app.name(), e.reason().replaceFirst("^single sign-on refused: ", ""));
            }
            case UPSTREAM_UNREACHABLE -> new ProxyFailure.UpstreamUnreachable(app.name(), e.reason());
            case UPSTREAM_TIMEOUT -> new ProxyFailure.UpstreamTimeout(app.name(), head.timeout().toSeconds());
            case UPSTREAM_ERROR -> new ProxyFailure.UpstreamFailed(app.name(), e.reason());
            default -> new ProxyFailure.TunnelLost(app.name());
        };
    }

    private void streamResponse(PublishedApp app, Request request, ResponseHead rh, TunnelStream stream,
                                Response response, Callback callback) {
        if (PasswordStep.answeredRefusal(request, rh, response, callback,
                () -> stream.reset(ResetCode.CANCEL, "the app refused the stored password"))) {
            return;
        }
        boolean headOnly = HttpMethod.HEAD.is(request.getMethod());
        boolean noBody = headOnly || rh.status() == 204 || rh.status() == 304;
        // A HEAD answer has the headers the GET's would have (translated: no length, the coding sent).
        Optional<BodyTranslation> translation = noBody && !headOnly ? Optional.empty() : translation(app, request, rh);
        response.setStatus(rh.status());
        copyHeaders(app, rh, response, headersOut(app, request, rh, translation));
        if (!noBody) {
            chunkedUnlessLength(request, response);
        }
        if (!noBody && translation.isEmpty() && TrailerFields.clientTakesThem(request)) {
            // The app's trailers, read once its body ended (below); a gRPC answer without any gets an error status.
            response.setTrailersSupplier(() -> TrailerFields.forClient(rh, stream.trailers()));
        }
        if (translation.isPresent() && !headOnly) {
            writeTranslated(app, stream.request(), request, translation.get(), stream.inputStream(),
                    () -> stream.reset(ResetCode.CANCEL, "client disconnected or the body is unreadable"), response, callback);
            return;
        }
        OutputStream out = Content.Sink.asOutputStream(response);
        try {
            if (translation.isPresent()) {
                // HEAD: the headers go out before the end, as a GET's translated body's do, so Jetty states no length of 0.
                out.flush();
            }
            StreamChunk chunk;
            while ((chunk = stream.readChunk()) != null) {
                if (noBody) {
                    chunk.release();
                } else {
                    // A large chunk is a slice of the tunnel's input buffer, written without a copy: released once written.
                    ChunkWrites.writeAndRelease(response, chunk);
                }
            }
            // Closed only on success: closing after a failure would end the body as if it were complete.
            out.close();
        } catch (StreamResetException e) {
            LOG.debug("{}: upstream failed mid-response: {}", app.name(), e.getMessage());
            if (!response.isCommitted()) {
                // Nothing has reached the client yet (headers go out with the first body bytes): a readable error page.
                response.reset();
                failureFor(app, request, stream.request(), e).respond(response, callback);
                return;
            }
            // Part of the answer is out: abort so the client sees a broken response, not a short one.
            callback.failed(e);
            return;
        } catch (IOException e) {
            // The client went away: tell the connector to stop.
            stream.reset(ResetCode.CANCEL, "client disconnected");
            callback.failed(e);
            return;
        }
        callback.succeeded();
    }

    /**
     * A body of no stated length goes out chunked on HTTP/1.1 even when its connection closes after it (the client asked, or
     * this node drains: DrainHandler's Connection: close), where Jetty would otherwise let the connection's end delimit it:
     * an answer cut mid-body (the app's stream reset, the node stopping) would then look complete to the client, a short 200.
     * HTTP/1.0 knows no chunks: there, as ever, only the end of the connection ends the body.
     */
    private static void chunkedUnlessLength(Request request, Response response) {
        if (request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_1
                && !response.getHeaders().contains(HttpHeader.CONTENT_LENGTH)) {
            response.getHeaders().put(HttpHeader.TRANSFER_ENCODING, HttpHeaderValue.CHUNKED.asString());
        }
    }

    /** The upstream's headers, rewritten; its Date replaces the one Jetty pre-sets. */
    static void copyHeaders(PublishedApp app, ResponseHead rh, Response response) {
        copyHeaders(app, rh, response, UnaryOperator.identity());
    }

    /** The translation of this response, if it is one to translate (204 and 304 never are). */
    private Optional<BodyTranslation> translation(PublishedApp app, Request request, ResponseHead rh) {
        if (rh.status() == 204 || rh.status() == 304) {
            return Optional.empty();
        }
        String acceptEncoding = String.join(", ", request.getHeaders().getValuesList(HttpHeader.ACCEPT_ENCODING));
        return translations.forResponse(app, rh.status(), rh.headers(), acceptEncoding);
    }

    /** The link map of this exchange (set by {@link #handle}). */
    private LinkMap links(Request request) {
        return request.getAttribute(LINK_MAP) instanceof LinkMap m ? m : translations.map();
    }

    /**
     * How the app's headers change on the way out: as {@code translation} says for a body it translates; for a 304 to a
     * request that named a translated copy, its ETag is tagged as that copy's was ({@link TranslatedEtag}).
     */
    private UnaryOperator<List<HeaderField>> headersOut(PublishedApp app, Request request, ResponseHead rh,
                                                        Optional<BodyTranslation> translation) {
        LinkMap links = links(request);
        if (translation.isPresent()) {
            return headers -> translation.get().headers(headers, links);
        }
        // A 304 to a request validated by date alone (no If-None-Match) may be for a translated copy as well: its ETag is
        // tagged, so the copy is never given the app's strong validator (which an If-Range would then match).
        List<String> ifNoneMatch = request.getHeaders().getValuesList(HttpHeader.IF_NONE_MATCH);
        boolean namesTranslatedCopy = app.translateLinksInBody() && rh.status() == 304
                && (ifNoneMatch.isEmpty() || ifNoneMatch.stream().anyMatch(v -> TranslatedEtag.namesTranslatedCopy(v, links)));
        return namesTranslatedCopy ? headers -> TranslatedEtag.sent(headers, links) : UnaryOperator.identity();
    }

    /** As above, then changed by {@code change} (as a translation says). */
    static void copyHeaders(PublishedApp app, ResponseHead rh, Response response, UnaryOperator<List<HeaderField>> change) {
        List<HeaderField> rewritten = new ResponseRewriter(app).rewrite(rh.headers());
        for (HeaderField h : change.apply(rewritten)) {
            if (h.name().equalsIgnoreCase("date")) {
                response.getHeaders().put(HttpHeader.DATE, h.value());
            } else {
                response.getHeaders().add(new HttpField(h.name(), h.value()));
            }
        }
    }

    private static void pumpRequestBody(PublishedApp app, Request request, TunnelStream stream) {
        HttpFields[] trailers = new HttpFields[1];
        try (InputStream in = Content.Source.asInputStream(RequestBody.source(request, t -> trailers[0] = t))) {
            long length = request.getLength();
            int size = FrameCodec.MAX_DATA_PAYLOAD;
            byte[] buf = new byte[length > 0 && length < size ? (int) length : size];
            int n;
            // Fill a DATA frame from what has already arrived; never wait for more (keeps streaming uploads live).
            while ((n = BodyChunks.readAvailable(in, buf, 0, buf.length)) >= 0) {
                stream.write(buf, 0, n);
            }
            stream.endOutput(TrailerFields.forApp(app, trailers[0]));
        } catch (StreamResetException e) {
            // The response side reports it.
        } catch (IOException e) {
            stream.reset(ResetCode.CANCEL, "client request body failed: " + e.getMessage());
        }
    }

    /** Outcome of an attempt that either yields a value or a failure to show the user. */
    sealed interface Result<T> {
        record Ok<T>(T value) implements Result<T> {
        }

        record Failed<T>(ProxyFailure failure) implements Result<T> {
        }
    }
}
