package dev.drawbridge.model.api.validation;

import dev.drawbridge.model.api.KerberosGroupSettings;
import dev.drawbridge.model.api.Problem.FieldError;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A connector group's Kerberos settings, as far as they can be checked without the keytab's contents (the server also
 * checks that the keytab holds a key for the principal): a realm, 1 to 10 KDC addresses, a principal, a base64 keytab
 * of at most {@value #MAX_KEYTAB} bytes.
 */
public final class KerberosRules {
    /** The largest keytab accepted, in bytes (a keytab of a few principals and enctypes is under 1 KiB). */
    public static final int MAX_KEYTAB = 64 * 1024;
    /** The most KDCs. */
    public static final int MAX_KDCS = 10;
    private static final Pattern REALM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
    private static final Pattern KDC = Pattern.compile("([A-Za-z0-9][A-Za-z0-9.-]{0,252}|\\[[0-9A-Fa-f:.]{2,45}])(:[0-9]{1,5})?");
    private static final Pattern PRINCIPAL = Pattern.compile("[A-Za-z0-9._-]{1,64}(/[A-Za-z0-9.-]{1,253})?(@[A-Za-z0-9._-]{1,200})?");

    private KerberosRules() {
    }

    /** The principal with {@code @REALM} added when it has no realm. */
    public static String withRealm(String principal, String realm) {
        return principal.indexOf('@') >= 0 ? principal : principal + "@" + realm;
    }

    /** Every problem, each naming its field; empty when these rules hold. */
    public static List<FieldError> check(KerberosGroupSettings in) {
        List<FieldError> errors = new ArrayList<>();
        if (in.realm() == null || !REALM.matcher(in.realm()).matches()) {
            errors.add(new FieldError("realm", "realm is the Kerberos realm, letters, digits, '.', '_' or '-', e.g. CORP.EXAMPLE"));
        } else if (!in.realm().equals(in.realm().toUpperCase(Locale.ROOT))) {
            errors.add(new FieldError("realm", "realm is written in capitals (Active Directory's is the DNS domain in capitals), e.g. "
                    + in.realm().toUpperCase(Locale.ROOT)));
        }
        if (in.kdcs().isEmpty() || in.kdcs().size() > MAX_KDCS) {
            errors.add(new FieldError("kdcs", "kdcs lists 1 to " + MAX_KDCS + " KDCs, host or host:port, e.g. dc1.corp.example"));
        } else {
            for (String k : in.kdcs()) {
                if (k == null || !KDC.matcher(k).matches() || !portOk(k)) {
                    errors.add(new FieldError("kdcs", "'" + k + "' is not a KDC address: host or host:port (1 to 65535), e.g. dc1.corp.example:88"));
                }
            }
            if (new HashSet<>(in.kdcs()).size() != in.kdcs().size()) {
                errors.add(new FieldError("kdcs", "each KDC is listed once"));
            }
        }
        if (in.servicePrincipal() == null || !PRINCIPAL.matcher(in.servicePrincipal()).matches()) {
            errors.add(new FieldError("servicePrincipal", "servicePrincipal is the connectors' principal, name[/host][@REALM], "
                    + "e.g. HTTP/connector.corp.example@CORP.EXAMPLE"));
        } else if (in.realm() != null && in.servicePrincipal().contains("@") && !in.servicePrincipal().endsWith("@" + in.realm())) {
            errors.add(new FieldError("servicePrincipal", "servicePrincipal must be in the realm " + in.realm()));
        }
        if (in.keytab() == null || in.keytab().isBlank()) {
            errors.add(new FieldError("keytab", "keytab is required: the principal's keytab file, base64"));
        } else {
            try {
                byte[] bytes = Base64.getMimeDecoder().decode(in.keytab());
                if (bytes.length > MAX_KEYTAB || bytes.length < 2 || bytes[0] != 5 || (bytes[1] != 1 && bytes[1] != 2)) {
                    errors.add(new FieldError("keytab", "keytab is not a keytab file (MIT format, at most " + MAX_KEYTAB / 1024 + " KiB)"));
                }
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("keytab", "keytab must be base64"));
            }
        }
        return errors;
    }

    private static boolean portOk(String kdc) {
        int colon = kdc.lastIndexOf(':');
        if (colon < 0 || kdc.endsWith("]")) {
            return true;
        }
        int port = Integer.parseInt(kdc.substring(colon + 1));
        return port >= 1 && port <= 65_535;
    }
}
