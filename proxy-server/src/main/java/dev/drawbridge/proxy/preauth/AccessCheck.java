package dev.drawbridge.proxy.preauth;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AuthMethod;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.apps.PathAccess;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.federation.FederatedSessions;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.policy.ConditionalAccess;

import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one authorization decision for a signed-in user's exchange with an app: the identity provider the session came
 * from (when the app offers only some), assignment (when the app requires it), then the users the request's path rule
 * names, then conditional access (the app's policies and the path rule's) with the exchange's context, then the second
 * factor a policy may want. The edge asks it for each request ({@link AuthorizationHandler}); {@link LiveSessions} asks
 * it again, with the request's original context, for every WebSocket and stream still open, so that what would refuse a
 * new request cuts the open ones too.
 */
public final class AccessCheck {
    private AccessCheck() {
    }

    /**
     * Where an exchange comes from, as conditional access sees it.
     *
     * @param address    the client's address (after trusted proxies)
     * @param clientType a browser (session cookie) or a native client (bearer token)
     * @param amr        how the session was authenticated ({@code otp} once a second factor was given)
     * @param path       what the path rule of the request's path adds ({@link PathAccess}: who may use it besides the app's
     *                   assignment, and policies that apply besides the app's), decided when the request came
     */
    public record Origin(InetAddress address, AccessPolicy.ClientType clientType, List<String> amr, PathAccess path) {
        /** Under no path rule: the app's assignment and policies alone. */
        public static final PathAccess NO_PATH_RULE = new PathAccess("", PreAuthentication.DIRECTORY, Set.of(), Set.of());

        public Origin {
            Objects.requireNonNull(address);
            Objects.requireNonNull(clientType);
            Objects.requireNonNull(path);
            amr = List.copyOf(amr);
        }

        /** An exchange under no path rule. */
        public Origin(InetAddress address, AccessPolicy.ClientType clientType, List<String> amr) {
            this(address, clientType, amr, NO_PATH_RULE);
        }
    }

    /** What the check says. */
    public sealed interface Verdict {
        /** Let through; {@code groups} are the user's (forwarded as part of the identity). */
        record Allowed(List<DirectoryStore.Group> groups, ConditionalAccess.Decision decision) implements Verdict {
        }

        /**
         * The session came from an identity provider the app does not offer ({@link AccessSettings#identityProviders}):
         * an app session, code or token made before the app's choice narrowed, or a token refreshed since.
         */
        record ProviderNotOffered(String providerId) implements Verdict {
        }

        /** The app requires assignment and the user is not assigned, neither directly nor through a group. */
        record NotAssigned() implements Verdict {
        }

        /** A path rule names who may use the path, and the user is not among them ({@code rule}: the rule's path). */
        record PathNotAllowed(String rule) implements Verdict {
        }

        /** A conditional-access policy blocks. */
        record Blocked(ConditionalAccess.Decision decision) implements Verdict {
        }

        /** A policy wants a second factor the session lacks. */
        record NeedsStepUp(ConditionalAccess.Decision decision) implements Verdict {
        }
    }

    /** The verdict for {@code user} on {@code app} at {@code at}. */
    public static Verdict decide(Assignments directory, ConditionalAccess policies, PublishedApp app, DirectoryUser user,
                                 Origin origin, Instant at) {
        if (!FederatedSessions.allowedFor(app.access(), origin.amr())) {
            return new Verdict.ProviderNotOffered(FederatedSessions.provider(origin.amr()).orElse(""));
        }
        if (!directory.lets(app, user.id())) {
            return new Verdict.NotAssigned();
        }
        List<DirectoryStore.Group> groups = directory.groupsOf(user.id());
        if (!origin.path().lets(user.id(), groups.stream().map(DirectoryStore.Group::id).collect(Collectors.toSet()))) {
            return new Verdict.PathNotAllowed(origin.path().rule());
        }
        ConditionalAccess.Decision decision = policies.evaluate(context(app, user, groups, origin.address(), origin.clientType(), at),
                origin.path().policies());
        return switch (decision.outcome()) {
            case BLOCK -> new Verdict.Blocked(decision);
            case REQUIRE_MFA -> origin.amr().contains(AuthMethod.ONE_TIME_CODE.amr()) ? new Verdict.Allowed(groups, decision)
                    : new Verdict.NeedsStepUp(decision);
            case ALLOW -> new Verdict.Allowed(groups, decision);
        };
    }

    /** The conditional-access context of an exchange. */
    static ConditionalAccess.Context context(PublishedApp app, DirectoryUser user, List<DirectoryStore.Group> groups, InetAddress address,
                                             AccessPolicy.ClientType clientType, Instant at) {
        return new ConditionalAccess.Context(user.id(), user.upn(),
                groups.stream().map(DirectoryStore.Group::id).collect(Collectors.toSet()),
                groups.stream().map(DirectoryStore.Group::name).collect(Collectors.toSet()), app.id(), address, clientType, at);
    }
}
