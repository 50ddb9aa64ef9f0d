package dev.drawbridge.model.api;

import java.util.List;

/**
 * A connector group's Kerberos settings, for Kerberos constrained delegation to its apps' backends ({@code PUT
 * /api/v1/connector-groups/{id}/kerberos}). The keytab is write-only: never returned, sent only to the group's
 * connectors over their tunnels, stored encrypted on the server and at mode 0600 on each connector. Checked by
 * {@link dev.drawbridge.model.api.validation.KerberosRules}.
 *
 * @param realm            the Kerberos realm, e.g. {@code CORP.EXAMPLE}
 * @param kdcs             the KDCs the connectors ask, {@code host} or {@code host:port} (default port 88), 1 to 10
 * @param servicePrincipal the connectors' own principal, which the directory trusts to delegate (e.g.
 *                         {@code HTTP/connector.corp.example@CORP.EXAMPLE}; the realm is added when missing)
 * @param keytab           the principal's keytab (MIT format), base64; required
 */
public record KerberosGroupSettings(String realm, List<String> kdcs, String servicePrincipal, String keytab) {
    public KerberosGroupSettings {
        kdcs = kdcs == null ? List.of() : kdcs.stream().toList();
    }

    /** Never shows the keytab. */
    @Override
    public String toString() {
        return "KerberosGroupSettings[" + realm + ", " + kdcs + ", " + servicePrincipal + ", keytab "
                + (keytab == null ? "absent" : keytab.length() + " characters") + "]";
    }
}
