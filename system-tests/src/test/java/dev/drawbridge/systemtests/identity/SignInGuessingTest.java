package dev.drawbridge.systemtests.identity;

import dev.drawbridge.adminclient.Logs;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.RolesBody;
import dev.drawbridge.model.api.SignInEvent;
import dev.drawbridge.model.api.SignInLogEntry;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.signin.SignInForms;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.util.Fields;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guessing sign-ins over real HTTPS, on the sign-in host and the admin API: the second factor under parallel
 * guesses by someone who knows the password, a correct password between wrong codes, a pending second-factor
 * cookie replayed past its bound, rate limits per client address and per account name (each scenario leaves
 * from its own loopback address, 127.0.x.y), and locked, unknown, disabled and wrong-password answers that
 * cannot be told apart.
 */
class SignInGuessingTest {
    static final String PASSWORD = "correct horse battery staple";
    static final String NOT_VALID = "That code is not valid";
    @TempDir
    static Path dir;
    static DrawbridgeStack stack;
    static String login;
    static final AtomicInteger addresses = new AtomicInteger(10);

    @BeforeAll
    static void start() throws Exception {
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        login = stack.externalUrl("login");
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    /** A browser-like client leaving from a loopback address of its own. */
    static HttpClient client() throws Exception {
        int n = addresses.getAndIncrement();
        return Https.client(stack.server().serverCaCertificate(), true, Optional.of("127.0." + (n / 250) + "." + (2 + n % 250)));
    }

    static String user(String upn, boolean mfa) throws Exception {
        stack.createUser(upn, upn.substring(0, upn.indexOf('@')), PASSWORD);
        return mfa ? enroll(upn) : "";
    }

    /** Turns on TOTP for the user as the user would; returns the secret. */
    static String enroll(String upn) throws Exception {
        HttpClient b = client();
        try {
            ContentResponse signedIn = password(b, upn, PASSWORD);
            assertThat(signedIn.getStatus()).isEqualTo(303);
            ContentResponse page = get(b, login + "mfa/enroll");
            Matcher key = Pattern.compile("id=\"secret\">([A-Z2-7]+)<").matcher(page.getContentAsString());
            assertThat(key.find()).as(page.getContentAsString()).isTrue();
            Fields f = SignInForms.hiddenFields(page.getContentAsString());
            f.put("code", code(key.group(1), 0));
            assertThat(post(b, login + "mfa/enroll", f).getContentAsString()).contains("Recovery codes");
            return key.group(1);
        } finally {
            b.stop();
        }
    }

    static String code(String secret, int stepOffset) throws Exception {
        return new DefaultCodeGenerator().generate(secret, Instant.now().getEpochSecond() / 30 + stepOffset);
    }

    /** A code that is certainly wrong now (none of the three accepted steps). */
    static String wrongCode(String secret, int n) throws Exception {
        List<String> valid = List.of(code(secret, -1), code(secret, 0), code(secret, 1), code(secret, 2));
        for (int i = n; ; i++) {
            String c = String.format("%06d", (i * 7919L) % 1_000_000);
            if (!valid.contains(c)) {
                return c;
            }
        }
    }

    /** The sign-in form, then the password: the answer (303 done, 200 the code page, 401, 429). */
    static ContentResponse password(HttpClient b, String upn, String password) throws Exception {
        Fields f = SignInForms.hiddenFields(get(b, login + "signin").getContentAsString());
        f.put("upn", upn);
        f.put("password", password);
        return post(b, login + "signin", f);
    }

    static ContentResponse secondFactor(HttpClient b, String codePage, String code) throws Exception {
        Fields f = SignInForms.hiddenFields(codePage);
        f.put("code", code);
        return post(b, login + "mfa", f);
    }

    @Test
    void fiftyParallelWrongCodesAfterTheRightPasswordAreCheckedAtMostFiveTimes() throws Exception {
        String secret = user("gus@corp.example", true);
        List<HttpClient> clients = new ArrayList<>();
        List<String> pages = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                HttpClient b = client();
                clients.add(b);
                ContentResponse page = password(b, "gus@corp.example", PASSWORD);
                assertThat(page.getStatus()).isEqualTo(200);
                pages.add(page.getContentAsString());
            }
            List<ContentResponse> answers = parallel(50, i -> secondFactor(clients.get(i), pages.get(i), wrongCode(secret, i)));
            long checked = answers.stream().filter(r -> r.getStatus() == 401 && r.getContentAsString().contains(NOT_VALID)).count();
            assertThat(checked).isBetween(1L, 5L);
            assertThat(answers).allSatisfy(r -> assertThat(r.getStatus()).isIn(401, 429));
            assertThat(lockedUntil("gus@corp.example")).isNotEmpty();
        } finally {
            for (HttpClient c : clients) {
                c.stop();
            }
        }
    }

    @Test
    void aCorrectPasswordBetweenWrongCodesDoesNotResetTheCount() throws Exception {
        String secret = user("hal@corp.example", true);
        HttpClient b = client();
        try {
            int wrong = 0;
            for (int round = 0; round < 2; round++) {
                // The password again (a fresh pending cookie), then a few wrong codes.
                String page = password(b, "hal@corp.example", PASSWORD).getContentAsString();
                for (int i = 0; i < 2; i++) {
                    ContentResponse r = secondFactor(b, page, wrongCode(secret, wrong++));
                    assertThat(r.getStatus()).isEqualTo(401);
                    assertThat(r.getContentAsString()).contains(NOT_VALID);
                    page = r.getContentAsString();
                }
            }
            // The fifth wrong code since the last completed sign-in locks the account, whatever passwords came between.
            String page = password(b, "hal@corp.example", PASSWORD).getContentAsString();
            ContentResponse fifth = secondFactor(b, page, wrongCode(secret, wrong));
            assertThat(fifth.getStatus()).isEqualTo(429);
            assertThat(fifth.getHeaders().get("Retry-After")).isNotNull();
            assertThat(fifth.getContentAsString()).contains("Too many failed attempts");
        } finally {
            b.stop();
        }
    }

    @Test
    void aPendingSecondFactorCookieIsUsableThreeTimesAndNotAfterSuccess() throws Exception {
        String secret = user("ida@corp.example", true);
        HttpClient b = client();
        try {
            String page = password(b, "ida@corp.example", PASSWORD).getContentAsString();
            assertThat(page).contains("Two-step verification");
            String cookie = b.getHttpCookieStore().all().stream().filter(c -> c.getName().equals("__Host-drawbridge_mfa")).findFirst()
                    .orElseThrow().getValue();
            for (int i = 0; i < 3; i++) {
                assertThat(secondFactor(b, page, wrongCode(secret, i)).getStatus()).isEqualTo(401);
            }
            // Replayed a fourth time (the cookie put back as it was): refused without checking the code.
            replant(b, cookie);
            ContentResponse fourth = secondFactor(b, page, code(secret, 1));
            assertThat(fourth.getStatus()).isEqualTo(403);
            assertThat(fourth.getContentAsString()).contains("used too often");

            // A pending cookie that completed a sign-in is finished: replaying it with another valid code fails.
            page = password(b, "ida@corp.example", PASSWORD).getContentAsString();
            String second = b.getHttpCookieStore().all().stream().filter(c -> c.getName().equals("__Host-drawbridge_mfa")).findFirst()
                    .orElseThrow().getValue();
            assertThat(secondFactor(b, page, code(secret, 1)).getStatus()).isEqualTo(303);
            replant(b, second);
            assertThat(secondFactor(b, page, code(secret, 1)).getStatus()).isEqualTo(403);
        } finally {
            b.stop();
        }
    }

    static void replant(HttpClient b, String mfaCookie) {
        b.getHttpCookieStore().add(URI.create(login), HttpCookie.build("__Host-drawbridge_mfa", mfaCookie)
                .path("/").secure(true).build());
    }

    @Test
    void theAdminApiCountsParallelCodesTheSameWay() throws Exception {
        String secret = user("jay@corp.example", true);
        String id = stack.user("jay@corp.example").id();
        stack.adminApi().users().setRoles(id, new RolesBody(List.of(AdminRole.GLOBAL_ADMINISTRATOR)));
        List<HttpClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                clients.add(client());
            }
            List<ContentResponse> answers = parallel(20, i -> token(clients.get(i), "jay@corp.example", PASSWORD, wrongCode(secret, i)));
            long checked = answers.stream().filter(r -> r.getContentAsString().contains("Wrong MFA code")).count();
            assertThat(checked).isBetween(1L, 5L);
            assertThat(lockedUntil("jay@corp.example")).isNotEmpty();
            // Locked: the right password with the right code gets no token (from an address and for an account with budget left).
            clients.add(client());
            ContentResponse right = token(clients.getLast(), "JAY@corp.example ", PASSWORD, code(secret, 1));
            assertThat(right.getStatus()).isIn(401, 429);
            assertThat(right.getContentAsString()).doesNotContain("accessToken");
        } finally {
            for (HttpClient c : clients) {
                c.stop();
            }
        }
    }

    static String lockedUntil(String upn) throws Exception {
        Instant until = stack.user(upn).lockedUntil();
        return until == null ? "" : until.toString();
    }

    static List<SignInLogEntry> signIns(Logs.SignInFilter filter) throws Exception {
        return stack.adminApi().logs().signIns(Paging.DEFAULT, filter).items();
    }

    static ContentResponse token(HttpClient b, String upn, String password, String code) throws Exception {
        return b.newRequest(stack.adminUrl().resolve("/api/v1/auth/token")).method("POST").timeout(30, TimeUnit.SECONDS)
                .body(new StringRequestContent("application/json", Json.MAPPER.writeValueAsString(
                        Map.of("username", upn, "password", password, "mfaCode", code)))).send();
    }

    @Test
    void lockedUnknownDisabledAndWrongPasswordLookTheSame() throws Exception {
        user("kim@corp.example", false);
        user("lou@corp.example", false);
        user("max@corp.example", false);
        assertThat(stack.adminApi().users().disable(stack.user("lou@corp.example").id()).enabled()).isFalse();
        HttpClient attacker = client();
        HttpClient b = client();
        try {
            for (int i = 0; i < 5; i++) {
                password(attacker, "max@corp.example", "guess " + i);
            }
            List<String> bodies = new ArrayList<>();
            for (String[] attempt : new String[][]{{"kim@corp.example", "wrong password"}, {"nobody@corp.example", PASSWORD},
                    {"lou@corp.example", PASSWORD}, {"max@corp.example", PASSWORD}}) {
                ContentResponse r = password(b, attempt[0], attempt[1]);
                assertThat(r.getStatus()).as(attempt[0]).isEqualTo(401);
                assertThat(r.getHeaders().get("Retry-After")).as(attempt[0]).isNull();
                assertThat(r.getHeaders().get("WWW-Authenticate")).isEqualTo("Form realm=\"drawbridge\"");
                bodies.add(r.getContentAsString().replace(attempt[0], "UPN"));
            }
            assertThat(bodies.getFirst()).contains("The user name or password is incorrect");
            assertThat(bodies).allSatisfy(body -> assertThat(body).isEqualTo(bodies.getFirst()));
        } finally {
            attacker.stop();
            b.stop();
        }
        // The log keeps the real reason for administrators.
        List<SignInLogEntry> log = signIns(new Logs.SignInFilter("max@corp.example", null, null, SignInEvent.SIGN_IN, null, null));
        assertThat(log.get(0).reason()).startsWith("account locked until");
    }

    @Test
    void oneAddressTryingManyAccountsIsSlowedDown() throws Exception {
        // 20 at once, then one every 3 s (SignInLimiter.Limits.DEFAULTS). The first refusal comes at the 21st attempt
        // when they are quick, later by one for each refill while they ran: the bound follows the time they took
        // (in CI under load 26 attempts took 12 s and three refills came in).
        HttpClient b = client();
        String refusedAccount;
        try {
            long started = System.nanoTime();
            ContentResponse refusal = null;
            int attempt = 0;
            while (refusal == null && attempt < 60) {
                attempt++;
                ContentResponse r = password(b, "sprayed" + attempt + "@corp.example", "Winter2026!");
                if (r.getStatus() == 429) {
                    refusal = r;
                } else {
                    assertThat(r.getStatus()).as("attempt " + attempt).isEqualTo(401);
                }
            }
            long refills = Duration.ofNanos(System.nanoTime() - started).toSeconds() / 3 + 1;
            assertThat(refusal).as("a refusal within 60 attempts from one address").isNotNull();
            assertThat(attempt).as("the first refused attempt, " + refills + " refills at most").isBetween(21, 21 + (int) refills);
            assertThat(Integer.parseInt(refusal.getHeaders().get("Retry-After"))).isBetween(1, 3);
            assertThat(refusal.getContentAsString()).contains("Too many sign-in attempts").contains("<form");
            refusedAccount = "sprayed" + attempt + "@corp.example";
        } finally {
            b.stop();
        }
        List<SignInLogEntry> log = signIns(new Logs.SignInFilter(refusedAccount, null, SignInResult.FAILURE, SignInEvent.SIGN_IN, null, null));
        assertThat(log.get(0).reason()).isEqualTo("too many sign-in attempts from this address");
    }

    @Test
    void manyAddressesTryingOneAccountAreSlowedDownEvenIfItDoesNotExist() throws Exception {
        List<HttpClient> clients = new ArrayList<>();
        try {
            int refused = 0;
            ContentResponse last = null;
            for (int i = 0; i < 13; i++) {
                HttpClient b = client();
                clients.add(b);
                last = password(b, "ghost@corp.example", "guess " + i);
                refused += last.getStatus() == 429 ? 1 : 0;
            }
            assertThat(refused).isBetween(2, 3);
            assertThat(last.getStatus()).isEqualTo(429);
            assertThat(last.getContentAsString()).contains("Too many sign-in attempts");
        } finally {
            for (HttpClient c : clients) {
                c.stop();
            }
        }
    }

    /** Runs {@code n} calls at once (released together) and returns their answers. */
    static <T> List<T> parallel(int n, Indexed<T> call) throws Exception {
        CyclicBarrier start = new CyclicBarrier(n);
        List<Future<T>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            for (int i = 0; i < n; i++) {
                int index = i;
                futures.add(pool.submit((Callable<T>) () -> {
                    start.await();
                    return call.apply(index);
                }));
            }
        }
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            results.add(f.get());
        }
        return results;
    }

    @FunctionalInterface
    interface Indexed<T> {
        T apply(int i) throws Exception;
    }

    static ContentResponse get(HttpClient b, String url) throws Exception {
        return b.newRequest(URI.create(url)).headers(h -> h.put("Accept", "text/html")).timeout(30, TimeUnit.SECONDS).send();
    }

    static ContentResponse post(HttpClient b, String url, Fields form) throws Exception {
        return b.newRequest(URI.create(url)).method("POST").body(new FormRequestContent(form)).timeout(30, TimeUnit.SECONDS).send();
    }
}
