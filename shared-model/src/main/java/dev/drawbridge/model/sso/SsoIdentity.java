package dev.drawbridge.model.sso;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Who the user of one stream is, as the proxy signed it and the connector verified it: what the single sign-on
 * methods build on (Kerberos' delegated login identity, headers, ...). Never read from anything the client sent.
 *
 * @param subject        the user's directory id (claim {@code sub})
 * @param upn            the user principal name ({@code upn})
 * @param name           the display name ({@code name})
 * @param email          the e-mail address, when known ({@code email})
 * @param onPremUpn      the on-premises UPN from directory sync, when known ({@code onprem_upn})
 * @param samAccountName the on-premises SAM account name from directory sync, when known ({@code sam})
 * @param groups         the names of the user's groups ({@code groups})
 * @param claims         further claims of the user (federation claims, department, ...), as strings ({@code claims})
 */
public record SsoIdentity(String subject, String upn, String name, Optional<String> email, Optional<String> onPremUpn,
                          Optional<String> samAccountName, List<String> groups, Map<String, String> claims) {
    public SsoIdentity {
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(upn, "upn");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(email, "email");
        Objects.requireNonNull(onPremUpn, "onPremUpn");
        Objects.requireNonNull(samAccountName, "samAccountName");
        if (subject.isBlank() || upn.isBlank()) {
            throw new IllegalArgumentException("subject and upn must not be blank");
        }
        groups = List.copyOf(groups);
        claims = Map.copyOf(claims);
    }

    /** The part of the UPN before its last {@code @} (the "user name part" delegated login identity). */
    public String userPart() {
        int at = upn.lastIndexOf('@');
        return at < 0 ? upn : upn.substring(0, at);
    }
}
