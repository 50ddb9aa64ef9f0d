package dev.drawbridge.proxy.pki;

import java.util.List;
import java.util.Optional;

/**
 * The server's own host names on the public listener: the admin host (admin API, connector registration) and the
 * sign-in host. App (custom-domain) certificates are never served for them: the admin host always presents the
 * server CA's certificate, which connectors pin when they register and the console and CLI trust; the sign-in host
 * presents the server certificate a global administrator set ({@link ServerCertificateStore}), else the server CA's.
 */
public record OwnHosts(String admin, String login) {
    public OwnHosts {
        if (admin == null || login == null || admin.isBlank() || login.isBlank()) {
            throw new IllegalArgumentException("the admin and sign-in hosts are required");
        }
        admin = HostNames.canonical(admin);
        login = HostNames.canonical(login);
    }

    public List<String> all() {
        return List.of(admin, login);
    }

    public boolean contains(String host) {
        String h = HostNames.canonical(host);
        return h.equals(admin) || h.equals(login);
    }

    /** The first own host some client could take {@code certificateName} to cover. */
    public Optional<String> reachedBy(String certificateName) {
        return all().stream().filter(h -> HostNames.mayCover(certificateName, h)).findFirst();
    }
}
