package dev.drawbridge.model.sso;

import dev.drawbridge.model.tunnel.Frame;
import dev.drawbridge.model.tunnel.HeaderField;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A connector group's Kerberos settings as the proxy sends them to the group's connectors (a {@link Frame.Config} of
 * kind {@value #KIND}, on tunnels that announced {@link SsoWire#FEATURE}): right after {@link SsoKeys} when a tunnel
 * opens, and again to every open tunnel of the group when an administrator changes them. A CONFIG of this kind without
 * entries removes them. The keytab is a secret: {@link #toString} never shows it.
 *
 * @param realm            the realm
 * @param kdcs             the KDC addresses, host or host:port
 * @param servicePrincipal the connectors' principal, with its realm
 * @param keytab           the keytab file's bytes
 */
public record KerberosConfig(String realm, List<String> kdcs, String servicePrincipal, byte[] keytab) {
    /** The CONFIG kind. */
    public static final String KIND = "kerberos";
    private static final String REALM = "realm", KDC = "kdc", PRINCIPAL = "principal", KEYTAB = "keytab";

    public KerberosConfig {
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(servicePrincipal, "servicePrincipal");
        Objects.requireNonNull(keytab, "keytab");
        kdcs = List.copyOf(kdcs);
        keytab = keytab.clone();
        if (realm.isBlank() || kdcs.isEmpty() || servicePrincipal.isBlank() || keytab.length == 0) {
            throw new IllegalArgumentException("realm, kdcs, servicePrincipal and keytab are required");
        }
    }

    @Override
    public byte[] keytab() {
        return keytab.clone();
    }

    /** The frame carrying these settings. */
    public Frame.Config toFrame() {
        List<HeaderField> entries = new ArrayList<>();
        entries.add(new HeaderField(REALM, realm));
        kdcs.forEach(k -> entries.add(new HeaderField(KDC, k)));
        entries.add(new HeaderField(PRINCIPAL, servicePrincipal));
        entries.add(new HeaderField(KEYTAB, Base64.getEncoder().encodeToString(keytab)));
        return new Frame.Config(KIND, entries);
    }

    /** The frame that removes a group's Kerberos settings from its connectors. */
    public static Frame.Config removal() {
        return new Frame.Config(KIND, List.of());
    }

    /**
     * What a CONFIG of kind {@value #KIND} says: empty for a removal. Throws {@link IllegalArgumentException} for a
     * frame of another kind or with a field missing or malformed.
     */
    public static Optional<KerberosConfig> from(Frame.Config config) {
        if (!KIND.equals(config.kind())) {
            throw new IllegalArgumentException("not a " + KIND + " CONFIG: " + config.kind());
        }
        if (config.entries().isEmpty()) {
            return Optional.empty();
        }
        List<String> kdcs = config.entries().stream().filter(e -> e.name().equals(KDC)).map(HeaderField::value).toList();
        String realm = config.entry(REALM).orElseThrow(() -> new IllegalArgumentException("kerberos CONFIG without realm"));
        String principal = config.entry(PRINCIPAL).orElseThrow(() -> new IllegalArgumentException("kerberos CONFIG without principal"));
        String keytab = config.entry(KEYTAB).orElseThrow(() -> new IllegalArgumentException("kerberos CONFIG without keytab"));
        return Optional.of(new KerberosConfig(realm, kdcs, principal, Base64.getDecoder().decode(keytab)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerberosConfig k && realm.equals(k.realm) && kdcs.equals(k.kdcs)
                && servicePrincipal.equals(k.servicePrincipal) && Arrays.equals(keytab, k.keytab);
    }

    @Override
    public int hashCode() {
        return Objects.hash(realm, kdcs, servicePrincipal, Arrays.hashCode(keytab));
    }

    @Override
    public String toString() {
        return "KerberosConfig[" + realm + ", " + kdcs + ", " + servicePrincipal + ", keytab " + keytab.length + " bytes]";
    }
}
