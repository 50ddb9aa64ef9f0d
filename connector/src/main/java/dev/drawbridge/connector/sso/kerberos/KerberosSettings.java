package dev.drawbridge.connector.sso.kerberos;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the connector needs to act for users in a Kerberos realm (constrained delegation): the realm, its KDCs, the
 * connector's own service principal and that principal's keytab (a secret: never logged, {@link #toString} hides it),
 * and how long to wait for a KDC before giving up. Everything is checked here, all problems reported at once, each
 * naming its field: the values end up in a krb5.conf, so nothing that could break out of a line or a block passes.
 *
 * @param realm            upper case, as Kerberos spells it: {@code CORP.EXAMPLE.COM}
 * @param kdcs             the KDCs, tried in order (one at least)
 * @param servicePrincipal the connector's account: {@code HTTP/connector.corp.example.com} or {@code svc-drawbridge},
 *                         with or without {@code @REALM} (which must then be {@code realm})
 * @param keytab           the keytab file's bytes, holding that principal's keys
 * @param kdcTimeout       how long one KDC may take to answer; a request fails after one try of each KDC
 */
public record KerberosSettings(String realm, List<Kdc> kdcs, String servicePrincipal, byte[] keytab, Duration kdcTimeout) {
    public static final Duration DEFAULT_KDC_TIMEOUT = Duration.ofSeconds(3);
    public static final int MAX_KEYTAB_BYTES = 1 << 20;
    private static final Pattern REALM = Pattern.compile("[A-Z0-9]([A-Z0-9-]*[A-Z0-9])?(\\.[A-Z0-9]([A-Z0-9-]*[A-Z0-9])?)*");
    private static final Pattern NAME_PART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._$-]*");

    /** A KDC: a host name or IP address and a port (88 by default). */
    public record Kdc(String host, int port) {
        private static final Pattern HOST = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+]");

        public Kdc {
            Objects.requireNonNull(host, "host");
            if (!HOST.matcher(host).matches() || host.length() > 253) {
                throw new IllegalArgumentException("KDC host '" + printable(host) + "' is not a host name or an IP address");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("KDC port " + port + " is not between 1 and 65535");
            }
        }

        /** {@code host}, {@code host:port}, {@code [v6]} or {@code [v6]:port}. */
        public static Kdc parse(String address) {
            Objects.requireNonNull(address, "address");
            int colon = address.lastIndexOf(':');
            boolean hasPort = colon > 0 && (address.startsWith("[") ? address.charAt(colon - 1) == ']' : address.indexOf(':') == colon);
            if (!hasPort) {
                return new Kdc(address, 88);
            }
            String port = address.substring(colon + 1);
            if (!port.matches("[0-9]{1,5}")) {
                throw new IllegalArgumentException("KDC address '" + printable(address) + "' has no valid port after ':'");
            }
            return new Kdc(address.substring(0, colon), Integer.parseInt(port));
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    public KerberosSettings {
        List<String> problems = new ArrayList<>();
        if (realm == null || !REALM.matcher(realm).matches() || realm.length() > 255) {
            problems.add("realm '" + printable(realm) + "' is not a Kerberos realm: upper-case letters, digits, '-' and '.', as in CORP.EXAMPLE.COM"
                    + (realm != null && REALM.matcher(realm.toUpperCase(Locale.ROOT)).matches() ? " (write it in upper case)" : ""));
        }
        if (kdcs == null || kdcs.isEmpty()) {
            problems.add("kdcs: name one KDC at least (host or host:port)");
        } else if (kdcs.size() > 16) {
            problems.add("kdcs: " + kdcs.size() + " KDCs are more than 16");
        } else if (kdcs.stream().anyMatch(Objects::isNull)) {
            problems.add("kdcs: an entry is missing");
        }
        if (servicePrincipal == null || !validPrincipal(servicePrincipal, realm)) {
            problems.add("service principal '" + printable(servicePrincipal) + "' is not a principal of realm " + printable(realm)
                    + ": name or service/host, optionally followed by @" + printable(realm));
        }
        if (keytab == null || keytab.length < 2) {
            problems.add("keytab is empty");
        } else if (keytab.length > MAX_KEYTAB_BYTES) {
            problems.add("keytab is " + keytab.length + " bytes, more than a keytab needs (" + MAX_KEYTAB_BYTES + ")");
        } else if (keytab[0] != 5 || (keytab[1] != 2 && keytab[1] != 1)) {
            problems.add("keytab is not a keytab file (it should start with the bytes 05 02, as ktpass and kadmin's ktadd write it)");
        }
        if (kdcTimeout == null || kdcTimeout.compareTo(Duration.ofMillis(100)) < 0 || kdcTimeout.compareTo(Duration.ofMinutes(1)) > 0) {
            problems.add("KDC timeout " + kdcTimeout + " is not between 100 ms and 1 minute");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("Kerberos settings: " + String.join("; ", problems));
        }
        kdcs = List.copyOf(kdcs);
        keytab = keytab.clone();
    }

    /** Settings with the {@link #DEFAULT_KDC_TIMEOUT}. */
    public KerberosSettings(String realm, List<Kdc> kdcs, String servicePrincipal, byte[] keytab) {
        this(realm, kdcs, servicePrincipal, keytab, DEFAULT_KDC_TIMEOUT);
    }

    /** A copy of the keytab's bytes. */
    @Override
    public byte[] keytab() {
        return keytab.clone();
    }

    /** The service principal with its realm: {@code HTTP/connector.corp.example.com@CORP.EXAMPLE.COM}. */
    public String qualifiedServicePrincipal() {
        return servicePrincipal.contains("@") ? servicePrincipal : servicePrincipal + "@" + realm;
    }

    /** The longest a Kerberos exchange with the KDCs may take: one try of each, {@link #kdcTimeout} each. */
    public Duration exchangeTimeout() {
        return kdcTimeout.multipliedBy(kdcs.size());
    }

    static boolean validPrincipal(String principal, String realm) {
        if (principal.length() > 512) {
            return false;
        }
        int at = principal.indexOf('@');
        String name = at < 0 ? principal : principal.substring(0, at);
        if (at >= 0 && !principal.substring(at + 1).equals(realm)) {
            return false;
        }
        String[] parts = name.split("/", -1);
        return parts.length <= 2 && Arrays.stream(parts).allMatch(p -> NAME_PART.matcher(p).matches());
    }

    /** {@code value} fit to quote in a message: control characters shown as '?', at most 80 characters. */
    static String printable(String value) {
        if (value == null) {
            return "(none)";
        }
        String clean = value.codePoints().map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return clean.length() > 80 ? clean.substring(0, 80) + "…" : clean;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KerberosSettings s && realm.equals(s.realm) && kdcs.equals(s.kdcs)
                && servicePrincipal.equals(s.servicePrincipal) && Arrays.equals(keytab, s.keytab) && kdcTimeout.equals(s.kdcTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(realm, kdcs, servicePrincipal, Arrays.hashCode(keytab), kdcTimeout);
    }

    @Override
    public String toString() {
        return "KerberosSettings[realm=" + realm + ", kdcs=" + kdcs + ", servicePrincipal=" + servicePrincipal
                + ", keytab=(" + keytab.length + " bytes), kdcTimeout=" + kdcTimeout + "]";
    }
}
