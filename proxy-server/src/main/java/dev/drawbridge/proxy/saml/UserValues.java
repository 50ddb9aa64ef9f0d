package dev.drawbridge.proxy.saml;

import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.SamlAttribute;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.sso.SsoIdentity;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The values of a user attribute for a SAML assertion: the {@code NameID}, and each mapped attribute. The assertion
 * ({@link SamlResponses}) and the administrators' preview ("test as user", {@code proxy.sso.SsoPreviews}) both read them
 * here, so that the preview shows what the service provider gets.
 */
public final class UserValues {
    private static final SecureRandom RANDOM = new SecureRandom();

    private UserValues() {
    }

    /** The values of {@code source} ({@code claim} names the claim of {@link HeaderSource#CLAIM}); empty when the user has none. */
    static List<String> of(HeaderSource source, String claim, SsoIdentity u) {
        return switch (source) {
            case UPN -> List.of(u.upn());
            case OBJECT_ID -> List.of(u.subject());
            case DISPLAY_NAME -> List.of(u.name());
            case EMAIL -> u.email().stream().toList();
            case ON_PREM_UPN -> u.onPremUpn().stream().toList();
            case SAM_ACCOUNT_NAME -> u.samAccountName().stream().toList();
            case GROUPS -> u.groups();
            case CLAIM -> claim == null || !u.claims().containsKey(claim) ? List.of() : List.of(u.claims().get(claim));
        };
    }

    /**
     * The user's NameID under {@code s}: a fresh random id for {@link SamlSso.NameIdFormat#TRANSIENT}, else the first
     * value of the configured source; empty when the user has no value for it (no e-mail address, say).
     */
    static Optional<String> nameId(SamlSso s, SsoIdentity u) {
        if (s.nameIdFormat() == SamlSso.NameIdFormat.TRANSIENT) {
            byte[] b = new byte[16];
            RANDOM.nextBytes(b);
            return Optional.of("_" + HexFormat.of().formatHex(b));
        }
        return sourcedNameId(s, u);
    }

    /**
     * The user's NameID from the configured source (every format but {@link SamlSso.NameIdFormat#TRANSIENT}, whose value
     * is random): its first value as XML can carry it; empty when the user has no value for it.
     */
    public static Optional<String> sourcedNameId(SamlSso s, SsoIdentity u) {
        if (s.nameIdSource() == null) {
            return Optional.empty();
        }
        return of(s.nameIdSource(), s.nameIdClaim(), u).stream().map(SafeXml::xmlText).filter(v -> !v.isBlank()).findFirst();
    }

    /** The values {@code attribute} carries for the user, as XML can carry them; empty: the assertion leaves it out. */
    public static List<String> attributeValues(SamlAttribute attribute, SsoIdentity u) {
        return of(attribute.source(), attribute.claim(), u).stream().map(SafeXml::xmlText).filter(v -> !v.isEmpty()).toList();
    }
}
