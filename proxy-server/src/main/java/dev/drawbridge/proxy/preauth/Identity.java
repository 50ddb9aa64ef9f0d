package dev.drawbridge.proxy.preauth;

import dev.drawbridge.proxy.identity.DirectoryUser;

import java.util.List;

/** Who a pre-authenticated request is from: forwarded to the internal app as a signed assertion. */
public record Identity(DirectoryUser user, List<String> groups, List<String> amr) {
    public Identity {
        groups = List.copyOf(groups);
        amr = List.copyOf(amr);
    }
}
