package dev.drawbridge.proxy.oauth;

import dev.drawbridge.model.api.OAuthClientView;
import org.jooq.ExecuteContext;
import org.jooq.ExecuteListener;
import org.jooq.impl.DefaultExecuteListenerProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

import static dev.drawbridge.proxy.oauth.IssuerServer.API;
import static dev.drawbridge.proxy.oauth.IssuerServer.CODE_AND_REFRESH;
import static dev.drawbridge.proxy.oauth.IssuerServer.CODE_ONLY;
import static dev.drawbridge.proxy.oauth.IssuerServer.REDIRECT;
import static dev.drawbridge.proxy.store.db.Tables.REFRESH_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Review 10's two races through the real token endpoint: the other party's step is run by a jOOQ listener at the exact
 * statement of the request in flight (deterministic, no sleeps), so the issuer's own order of reads and writes is what
 * is tested.
 */
class TokenRacesThroughIssuerTest {
    @TempDir
    Path dir;

    /** Runs {@code step} once, when a statement whose SQL starts with {@code verb} on {@code table} starts or ends. */
    static void once(IssuerServer issuer, String verb, String table, boolean afterIt, ThrowingRunnable step) {
        AtomicReference<ThrowingRunnable> pending = new AtomicReference<>(step);
        ExecuteListener listener = new ExecuteListener() {
            @Override
            public void executeStart(ExecuteContext ctx) {
                if (!afterIt) {
                    fire(ctx);
                }
            }

            @Override
            public void executeEnd(ExecuteContext ctx) {
                if (afterIt) {
                    fire(ctx);
                }
            }

            private void fire(ExecuteContext ctx) {
                String sql = ctx.sql() == null ? "" : ctx.sql().toLowerCase(Locale.ROOT);
                if (sql.startsWith(verb) && sql.contains(table)) {
                    ThrowingRunnable r = pending.getAndSet(null);
                    if (r != null) {
                        try {
                            r.run();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }
                }
            }
        };
        issuer.db.dsl().configuration().set(new DefaultExecuteListenerProvider(listener));
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    static String signIn(IssuerServer issuer) throws Exception {
        IssuerServer.Pkce pkce = IssuerServer.Pkce.fresh();
        IssuerServer.Answer t = issuer.redeem("cli", IssuerServer.code(issuer.authorize(IssuerServer.request("cli", REDIRECT, pkce, API)), REDIRECT),
                REDIRECT, pkce);
        assertThat(t.status()).as(t.toString()).isEqualTo(200);
        return t.json().path("refresh_token").asText();
    }

    static int liveRefreshTokens(IssuerServer issuer) {
        return issuer.db.dsl().fetchCount(REFRESH_TOKEN, REFRESH_TOKEN.USED_AT.isNull());
    }

    /** The thief's refresh marks RT1 used; the app's replay of RT1 lands before the thief's successor is written. */
    @Test
    void aReplayBetweenTheWinnersRedeemAndItsSuccessorLeavesTheWinnerNothing() throws Exception {
        try (IssuerServer issuer = new IssuerServer(dir)) {
            issuer.register("cli", List.of(REDIRECT), CODE_AND_REFRESH, List.of());
            String rt1 = signIn(issuer);
            AtomicReference<IssuerServer.Answer> replay = new AtomicReference<>();
            once(issuer, "update", "refresh_token", true, () -> replay.set(issuer.refresh("cli", rt1)));

            IssuerServer.Answer thief = issuer.refresh("cli", rt1);

            assertThat(replay.get().error()).as("the app's replay").isEqualTo("invalid_grant");
            assertThat(thief.status()).as("the winner of the race gets nothing: " + thief).isEqualTo(400);
            assertThat(thief.error()).isEqualTo("invalid_grant");
            assertThat(liveRefreshTokens(issuer)).as("no refresh token of the revoked sign-in is left").isZero();
        }
    }

    /**
     * An admin takes the refresh grant away between the request's read of the client and its redemption of the code: before
     * the code's row is read, or between that read and the UPDATE that marks it used.
     */
    @ParameterizedTest
    @ValueSource(strings = {"select", "update"})
    void aClientChangeBetweenTheReadAndTheRedemptionIsRefusedAndLeavesNoRefreshTokenForWhenTheGrantComesBack(String before) throws Exception {
        try (IssuerServer issuer = new IssuerServer(dir)) {
            OAuthClientView c = issuer.register("cli", List.of(REDIRECT), CODE_AND_REFRESH, List.of());
            IssuerServer.Pkce pkce = IssuerServer.Pkce.fresh();
            String code = IssuerServer.code(issuer.authorize(IssuerServer.request("cli", REDIRECT, pkce, API)), REDIRECT);
            Instant at = Instant.now();
            once(issuer, before, "oauth_code", false, () -> issuer.clients.replace(new OAuthClientView("cli", "cli", List.of(REDIRECT), CODE_ONLY,
                    List.of(), c.createdAt(), at.plusSeconds(1))));

            IssuerServer.Answer t = issuer.redeem("cli", code, REDIRECT, pkce);
            issuer.clients.replace(new OAuthClientView("cli", "cli", List.of(REDIRECT), CODE_AND_REFRESH, List.of(), c.createdAt(), at.plusSeconds(2)));

            assertThat(t.json().path("refresh_token").isMissingNode())
                    .as("no refresh token from the view read before the refresh grant was taken away: " + t).isTrue();
            assertThat(t.error()).as(t.toString()).isEqualTo("invalid_grant");
            assertThat(liveRefreshTokens(issuer)).as("none written to come back with the grant").isZero();
        }
    }
}
