package dev.drawbridge.model.api;

import java.time.Instant;
import java.util.List;

/**
 * A connector group's Kerberos settings as the admin API shows them: never the keytab, only which principals it holds
 * keys for and when it was set.
 *
 * @param realm             the realm
 * @param kdcs              the KDCs
 * @param servicePrincipal  the connectors' principal, with its realm
 * @param keytabPrincipals  the principals the keytab has keys for
 * @param updatedAt         when the settings were last set
 */
public record KerberosGroupView(String realm, List<String> kdcs, String servicePrincipal, List<String> keytabPrincipals,
                                Instant updatedAt) {
    public KerberosGroupView {
        kdcs = List.copyOf(kdcs);
        keytabPrincipals = List.copyOf(keytabPrincipals);
    }
}
