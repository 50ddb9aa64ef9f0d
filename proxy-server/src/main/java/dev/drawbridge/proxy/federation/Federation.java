package dev.drawbridge.proxy.federation;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.GeneralException;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientAuthenticationMethod;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import com.nimbusds.openid.connect.sdk.AuthenticationErrorResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.AuthenticationResponse;
import com.nimbusds.openid.connect.sdk.AuthenticationResponseParser;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.drawbridge.model.api.validation.IdentityProviderRules;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sign-in through the external OpenID Connect providers (authorization code flow with PKCE S256,
 * Nimbus OAuth 2.0 / OIDC SDK):
 * <pre>
 *   begin     provider id, state, nonce, code verifier → stored (hash of state, hash of the browser's cookie, the
 *             provider, 10 min) → that provider's authorization URL
 *   complete  state → the stored request, claimed once, from the same browser, for the provider it was sent to
 *             → code + verifier at the token endpoint (client secret) → ID token validated ({@link IdTokens})
 *             → claims → user matched or created, groups synced ({@link FederatedUsers})
 * </pre>
 * Each provider's discovery document is read on first use and again after an hour or a settings change. Home-realm
 * discovery ({@link #providerForEmail}) maps an email domain to the provider that lists it.
 */
public final class Federation {
    private static final Logger LOG = LoggerFactory.getLogger(Federation.class);
    public static final Duration REQUEST_TTL = Duration.ofMinutes(10);
    private static final Duration DISCOVERY_TTL = Duration.ofHours(1);
    private static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int READ_TIMEOUT_MS = 10_000;

    /** The provider's endpoints and the ID token validator, for one version of the settings. */
    private record Discovered(OidcProvider provider, OIDCProviderMetadata metadata, IDTokenValidator validator, Instant fetchedAt) {
    }

    /** How a returning sign-in ended. */
    public sealed interface Outcome {
        Optional<String> appId();

        String returnPath();

        /** The provider the sign-in went to; empty when the request was not found. */
        String providerId();

        /** A verified user of the directory; {@code method} describes the sign-in for the log. */
        record SignedIn(DirectoryUser user, boolean created, Optional<String> appId, String returnPath, String method,
                        String providerId) implements Outcome {
        }

        /** Refused; {@code reason} is for the log and the page (no secrets, no tokens). */
        record Refused(String reason, String upnTried, Optional<String> appId, String returnPath, String providerId) implements Outcome {
        }
    }

    private final FederationStore store;
    private final FederatedUsers users;
    private final Clock clock;
    private final URI redirectUri;
    private final Map<String, Discovered> discovered = new ConcurrentHashMap<>();

    public Federation(Database db, DataKey dataKey, DirectoryStore directory, Clock clock, URI redirectUri) {
        this.store = new FederationStore(db, dataKey);
        this.users = new FederatedUsers(db, directory, clock);
        this.clock = clock;
        this.redirectUri = redirectUri;
    }

    /** The callback URL to register at the provider. */
    public URI redirectUri() {
        return redirectUri;
    }

    /** Every configured provider, by display name. */
    public List<OidcProvider> providers() {
        return store.providers();
    }

    public Optional<OidcProvider> provider(String id) {
        return store.provider(id);
    }

    /** The provider with id {@code oidc} (the single provider of earlier versions). */
    public Optional<OidcProvider> provider() {
        return store.provider(IdentityProviderRules.DEFAULT_ID);
    }

    /**
     * Home-realm discovery: the provider whose email domains list the domain of {@code email} (exact, in its one spelling,
     * {@link IdentityProviderRules#domainOfEmail}); empty for an address of no provider's domain or no address at all.
     */
    public Optional<OidcProvider> providerForEmail(String email) {
        return IdentityProviderRules.domainOfEmail(email).flatMap(store::providerOfDomain).flatMap(store::provider);
    }

    /**
     * Saves the settings; {@code secretEntered} when the client secret was entered with them (not kept from before).
     * A {@link ConflictException} naming {@code emailDomains} when another provider lists one of its domains.
     */
    public void save(OidcProvider provider, boolean secretEntered) throws ConflictException {
        store.save(provider, secretEntered, clock.instant());
        discovered.remove(provider.id());
    }

    /**
     * An administrator prepares the provider's group for a groups-claim value (to assign apps to it before anyone
     * signs in): the group {@code name}, owned by the configured provider. Empty when no provider is configured;
     * a {@link dev.drawbridge.proxy.store.ConflictException} when the name is taken or the claim value already has its group.
     */
    public Optional<String> createGroup(String name, String claimValue) throws ConflictException {
        return createGroup(IdentityProviderRules.DEFAULT_ID, name, claimValue);
    }

    /** {@link #createGroup(String, String)} for the provider {@code providerId}. */
    public Optional<String> createGroup(String providerId, String name, String claimValue) throws ConflictException {
        Optional<OidcProvider> p = store.provider(providerId);
        if (p.isEmpty()) {
            return Optional.empty();
        }
        Optional<String> existing = users.groups().owned(p.get(), claimValue);
        if (existing.isPresent()) {
            throw new ConflictException("claim", "the provider already has a group for '" + claimValue + "'");
        }
        return Optional.of(users.groups().create(p.get(), claimValue, List.of(name), clock.instant())
                .orElseThrow(() -> new ConflictException("name", "a group named '" + name + "' already exists")));
    }

    /**
     * Removes the provider, its domains and its sign-ins in flight, and ends what it vouched for: the sessions of every user
     * linked to an identity at its issuer are revoked (app cookies, OAuth tokens and live streams end, on every node), as
     * deleting a provider is how an administrator answers its compromise. A linked user who also has a password or another
     * provider signs in again.
     */
    public boolean delete(String id) {
        discovered.remove(id);
        Optional<OidcProvider> before = store.provider(id);
        boolean deleted = store.delete(id);
        if (deleted && before.isPresent()) {
            int n = users.revokeSessionsOf(before.get().issuer().toString(), clock.instant());
            LOG.info("identity provider {} deleted: the sessions of {} user(s) linked to it revoked", id, n);
        }
        return deleted;
    }

    /** Starts a sign-in with the provider {@code oidc}. */
    public URI begin(String browserId, Optional<String> appId, String returnPath) throws FederationException {
        return begin(IdentityProviderRules.DEFAULT_ID, browserId, appId, returnPath, Optional.empty());
    }

    /**
     * Starts a sign-in with the provider {@code providerId} for the browser holding {@code browserId} (a random cookie
     * value); returns the provider's authorization URL to send it to, with {@code loginHint} (the address typed for
     * home-realm discovery) when there is one.
     */
    public URI begin(String providerId, String browserId, Optional<String> appId, String returnPath, Optional<String> loginHint)
            throws FederationException {
        Discovered d = discover(providerId);
        State state = new State();
        Nonce nonce = new Nonce();
        CodeVerifier verifier = new CodeVerifier();
        Instant now = clock.instant();
        store.insertPending(hash(state.getValue()), hash(browserId),
                new FederationStore.Pending(nonce.getValue(), verifier.getValue(), appId, returnPath, providerId), now.plus(REQUEST_TTL), now);
        return new AuthenticationRequest.Builder(ResponseType.CODE, new Scope(d.provider().scopes().toArray(String[]::new)),
                new ClientID(d.provider().clientId()), redirectUri)
                .endpointURI(d.metadata().getAuthorizationEndpointURI())
                .state(state).nonce(nonce).codeChallenge(verifier, CodeChallengeMethod.S256).loginHint(loginHint.orElse(null))
                .build().toURI();
    }

    /** Completes the sign-in whose callback carried {@code query}, in the browser holding {@code browserId}. */
    public Outcome complete(String query, String browserId) {
        Map<String, List<String>> params = URLUtils.parseParameters(query == null ? "" : query);
        String state = params.getOrDefault("state", List.of("")).getFirst();
        if (state.isEmpty() || browserId.isEmpty()) {
            return new Outcome.Refused(state.isEmpty() ? "the response carries no state" : "the sign-in was not started in this browser",
                    "", Optional.empty(), "", "");
        }
        FederationStore.Claim claim = store.claim(hash(state), hash(browserId), clock.instant());
        if (claim instanceof FederationStore.Claim.Refused r) {
            return new Outcome.Refused(r.reason(), "", Optional.empty(), "", "");
        }
        FederationStore.Pending p = ((FederationStore.Claim.Ok) claim).pending();
        try {
            return finish(query, p);
        } catch (FederationException e) {
            return new Outcome.Refused(e.getMessage(), "", p.appId(), p.returnPath(), p.providerId());
        }
    }

    private Outcome finish(String query, FederationStore.Pending p) throws FederationException {
        Discovered d = discover(p.providerId());
        OidcProvider provider = d.provider();
        AuthenticationResponse response;
        try {
            response = AuthenticationResponseParser.parse(URI.create(redirectUri + "?" + query));
        } catch (ParseException e) {
            throw new FederationException("the provider's response could not be read: " + e.getMessage());
        }
        if (response instanceof AuthenticationErrorResponse error) {
            throw new FederationException("the provider answered " + error.getErrorObject().getCode()
                    + (error.getErrorObject().getDescription() == null ? "" : " (" + error.getErrorObject().getDescription() + ")"));
        }
        var success = response.toSuccessResponse();
        // RFC 9207: a response naming another issuer is a mix-up attempt; a provider that says it names itself must.
        if (success.getIssuer() != null && !success.getIssuer().getValue().equals(d.metadata().getIssuer().getValue())) {
            throw new FederationException("the response names issuer " + success.getIssuer() + ", not " + d.metadata().getIssuer());
        }
        if (success.getIssuer() == null && d.metadata().supportsAuthorizationResponseIssuerParam()) {
            throw new FederationException("the response names no issuer, though " + d.metadata().getIssuer() + " says it always does");
        }
        AuthorizationCode code = success.getAuthorizationCode();
        if (code == null) {
            throw new FederationException("the response carries no authorization code");
        }
        OIDCTokenResponse tokens = redeem(d, code, new CodeVerifier(p.codeVerifier()));
        JWT idToken = tokens.getOIDCTokens().getIDToken();
        if (idToken == null) {
            throw new FederationException("the token endpoint returned no ID token");
        }
        IDTokenClaimsSet claims;
        try {
            claims = d.validator().validate(idToken, new Nonce(p.nonce()));
        } catch (BadJOSEException | JOSEException e) {
            throw new FederationException("the ID token is not valid: " + e.getMessage());
        }
        Map<String, Object> all = new HashMap<>(claims.toJSONObject());
        if (needsUserInfo(provider, all) && d.metadata().getUserInfoEndpointURI() != null) {
            userInfo(d, tokens.getOIDCTokens().getBearerAccessToken(), claims.getSubject().getValue())
                    .forEach(all::putIfAbsent);
        }
        FederatedUsers.Match match = users.signIn(provider, claims.getSubject().getValue(), all, store.providers());
        return switch (match) {
            case FederatedUsers.Match.Refused r -> new Outcome.Refused(r.reason(), r.upnTried(), p.appId(), p.returnPath(), provider.id());
            case FederatedUsers.Match.Ok ok -> {
                if (ok.created()) {
                    LOG.info("user {} created on first sign-in with {}", ok.user().upn(), provider.displayName());
                }
                if (!ok.groupsJoined().isEmpty() || !ok.groupsLeft().isEmpty()) {
                    LOG.info("user {}: joined {} and left {} from the {} groups claim", ok.user().upn(), ok.groupsJoined(),
                            ok.groupsLeft(), provider.displayName());
                }
                yield new Outcome.SignedIn(ok.user(), ok.created(), p.appId(), p.returnPath(),
                        "federated with " + provider.displayName() + (ok.created() ? " (user created)" : ""), provider.id());
            }
        };
    }

    private static boolean needsUserInfo(OidcProvider provider, Map<String, Object> claims) {
        return !claims.containsKey(provider.usernameClaim()) || (!provider.groupsClaim().isEmpty() && !claims.containsKey(provider.groupsClaim()));
    }

    private OIDCTokenResponse redeem(Discovered d, AuthorizationCode code, CodeVerifier verifier) throws FederationException {
        ClientID clientId = new ClientID(d.provider().clientId());
        Secret secret = new Secret(d.provider().clientSecret());
        var methods = d.metadata().getTokenEndpointAuthMethods();
        ClientAuthentication auth = methods == null || methods.contains(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
                ? new ClientSecretBasic(clientId, secret) : new ClientSecretPost(clientId, secret);
        HTTPRequest request = new TokenRequest(d.metadata().getTokenEndpointURI(), auth,
                new AuthorizationCodeGrant(code, redirectUri, verifier)).toHTTPRequest();
        request.setConnectTimeout(CONNECT_TIMEOUT_MS);
        request.setReadTimeout(READ_TIMEOUT_MS);
        try {
            TokenResponse response = OIDCTokenResponseParser.parse(request.send());
            if (!response.indicatesSuccess()) {
                var error = response.toErrorResponse().getErrorObject();
                throw new FederationException("the token endpoint refused the code: " + error.getCode()
                        + (error.getDescription() == null ? "" : " (" + error.getDescription() + ")"));
            }
            return (OIDCTokenResponse) response.toSuccessResponse();
        } catch (IOException e) {
            throw new FederationException("the token endpoint could not be reached: " + e.getMessage());
        } catch (ParseException | ClassCastException e) {
            throw new FederationException("the token endpoint's answer could not be read: " + e.getMessage());
        }
    }

    private Map<String, Object> userInfo(Discovered d, BearerAccessToken token, String subject) throws FederationException {
        HTTPRequest request = new UserInfoRequest(d.metadata().getUserInfoEndpointURI(), token).toHTTPRequest();
        request.setConnectTimeout(CONNECT_TIMEOUT_MS);
        request.setReadTimeout(READ_TIMEOUT_MS);
        try {
            UserInfoResponse response = UserInfoResponse.parse(request.send());
            if (!response.indicatesSuccess()) {
                throw new FederationException("the userinfo endpoint refused: " + response.toErrorResponse().getErrorObject().getCode());
            }
            var info = response.toSuccessResponse().getUserInfo();
            if (info == null || !info.getSubject().getValue().equals(subject)) {
                // Claims about someone else must never be merged into this user's.
                throw new FederationException("the userinfo endpoint answered for another subject");
            }
            return info.toJSONObject();
        } catch (IOException | ParseException e) {
            throw new FederationException("the userinfo endpoint failed: " + e.getMessage());
        }
    }

    private Discovered discover(String providerId) throws FederationException {
        OidcProvider provider = store.provider(providerId).orElseThrow(() -> new FederationException("the identity provider '"
                + providerId + "' is not configured"));
        Discovered d = discovered.get(providerId);
        Instant now = clock.instant();
        if (d != null && d.provider().equals(provider) && d.fetchedAt().plus(DISCOVERY_TTL).isAfter(now)) {
            return d;
        }
        try {
            // Nimbus checks that the document's issuer is exactly the configured one.
            OIDCProviderMetadata metadata = OIDCProviderMetadata.resolve(new Issuer(provider.issuer().toString()),
                    CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS);
            if (metadata.getAuthorizationEndpointURI() == null || metadata.getTokenEndpointURI() == null
                    || metadata.getJWKSetURI() == null) {
                throw new FederationException("the provider's discovery document lacks the authorization, token or JWKS endpoint");
            }
            URL jwks = metadata.getJWKSetURI().toURL();
            JWKSource<SecurityContext> keys = JWKSourceBuilder.<SecurityContext>create(jwks,
                    new DefaultResourceRetriever(CONNECT_TIMEOUT_MS, READ_TIMEOUT_MS, 512 * 1024)).retrying(false).build();
            // The secret follows its destination: the first token endpoint after it was entered is the only one it goes to.
            String tokenEndpoint = metadata.getTokenEndpointURI().toString();
            store.pinTokenEndpoint(providerId, tokenEndpoint);
            Optional<String> pinned = store.secretTokenEndpoint(providerId);
            if (pinned.isPresent() && !pinned.get().equals(tokenEndpoint)) {
                throw new FederationException("the provider's token endpoint moved from " + pinned.get() + " to " + tokenEndpoint
                        + "; an administrator must enter the client secret again before it is sent there");
            }
            IDTokenValidator validator = IdTokens.validator(metadata.getIssuer().getValue(), provider.clientId(),
                    IdTokens.accepted(metadata.getIDTokenJWSAlgs()), keys);
            Discovered fresh = new Discovered(provider, metadata, validator, now);
            discovered.put(providerId, fresh);
            return fresh;
        } catch (GeneralException | IOException e) {
            throw new FederationException("the provider's discovery document at " + provider.issuer()
                    + "/.well-known/openid-configuration could not be read: " + e.getMessage());
        }
    }

    static String hash(String s) {
        return HexFormat.of().formatHex(ServerKeys.sha256(s));
    }
}
