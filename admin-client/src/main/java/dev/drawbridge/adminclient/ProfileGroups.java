package dev.drawbridge.adminclient;

import dev.drawbridge.model.tls.TlsProfile;

import java.security.AlgorithmConstraints;
import java.security.AlgorithmParameters;
import java.security.CryptoPrimitive;
import java.security.Key;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Key exchange only over {@link TlsProfile#NAMED_GROUPS}, as algorithm constraints. The JDK's {@code HttpClient} copies
 * the protocols, suites and algorithm constraints of the {@code SSLParameters} it is given onto each connection, but not
 * their named groups (its ClientHello would offer ffdhe, secp521r1 and hybrid groups); the JDK checks each group's name
 * against these constraints, so the ones outside the profile are never offered. Everything else is permitted here (the
 * JDK's own disabled algorithms still apply on top).
 */
final class ProfileGroups implements AlgorithmConstraints {
    private static final Set<CryptoPrimitive> KEY_AGREEMENT = EnumSet.of(CryptoPrimitive.KEY_AGREEMENT);
    /**
     * The names of TLS named groups (RFC 8446 §4.2.7 and the JDK's hybrid ones): the JDK also checks protocols, suites
     * and key-exchange algorithms under KEY_AGREEMENT, which the profile restricts elsewhere, so only group names are
     * judged here.
     */
    private static final Pattern GROUP = Pattern.compile("(?i)sec[pt]\\d+[a-z]\\d*|x25519|x448|ffdhe\\d+|.*mlkem.*|brainpool.*");
    private static final Set<String> PROFILE = TlsProfile.NAMED_GROUPS.stream().map(n -> n.toLowerCase(Locale.ROOT))
            .collect(Collectors.toUnmodifiableSet());

    @Override
    public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, AlgorithmParameters parameters) {
        return !primitives.equals(KEY_AGREEMENT) || algorithm == null || !GROUP.matcher(algorithm).matches()
                || PROFILE.contains(algorithm.toLowerCase(Locale.ROOT));
    }

    @Override
    public boolean permits(Set<CryptoPrimitive> primitives, Key key) {
        return true;
    }

    @Override
    public boolean permits(Set<CryptoPrimitive> primitives, String algorithm, Key key, AlgorithmParameters parameters) {
        return true;
    }
}
