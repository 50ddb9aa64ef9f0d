package dev.drawbridge.proxy.preauth;

import dev.drawbridge.proxy.signin.SignInService;

import java.util.Optional;

/** Verifies a session cookie or access token for an audience ({@link SignInService#check} in production). */
@FunctionalInterface
public interface SessionCheck {
    Optional<SignInService.Valid> check(String token, String audience);
}
