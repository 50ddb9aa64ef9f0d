package dev.drawbridge.proxy.preauth;

import dev.drawbridge.proxy.identity.TokenKind;
import dev.drawbridge.proxy.signin.SignInService;

import java.util.Optional;

/**
 * Verifies a session cookie or access token as the kind of token it must be, for an audience
 * ({@link SignInService#check} in production).
 */
@FunctionalInterface
public interface SessionCheck {
    Optional<SignInService.Valid> check(String token, TokenKind kind, String audience);
}
