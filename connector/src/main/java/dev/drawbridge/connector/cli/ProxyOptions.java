package dev.drawbridge.connector.cli;

import dev.drawbridge.connector.http.OutboundProxy;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The outbound proxy's options, shared by {@code register}, {@code set-proxy} and {@code run}. The password is never an
 * option's value (the process list shows those): it comes from a file or from {@code DRAWBRIDGE_OUTBOUND_PROXY_PASSWORD}.
 */
final class ProxyOptions {
    static final String PASSWORD_ENV = "DRAWBRIDGE_OUTBOUND_PROXY_PASSWORD";
    private static final long MAX_PASSWORD_FILE = 4096;

    @Option(names = "--outbound-proxy", paramLabel = "URL",
            description = "HTTP proxy to reach the server through (CONNECT), e.g. http://proxy.corp.example:3128")
    String url;
    @Option(names = "--outbound-proxy-user", paramLabel = "NAME", description = "User name the proxy wants (Basic)")
    String user;
    @Option(names = "--outbound-proxy-password-file", paramLabel = "FILE",
            description = "File holding the proxy password (first line); or set " + PASSWORD_ENV)
    Path passwordFile;

    /** The proxy these options give; empty when no {@code --outbound-proxy} was given. */
    Optional<OutboundProxy> given() throws IOException {
        return given(System.getenv(PASSWORD_ENV));
    }

    Optional<OutboundProxy> given(String passwordFromEnv) throws IOException {
        if (url == null) {
            if (user != null || passwordFile != null) {
                throw new IllegalArgumentException("--outbound-proxy-user and --outbound-proxy-password-file need --outbound-proxy");
            }
            return Optional.empty();
        }
        Optional<String> password = Optional.empty();
        if (passwordFile != null) {
            if (!Files.isReadable(passwordFile) || Files.size(passwordFile) > MAX_PASSWORD_FILE) {
                throw new IllegalArgumentException("cannot read the --outbound-proxy-password-file " + passwordFile
                        + ": give a readable file of at most " + MAX_PASSWORD_FILE + " bytes");
            }
            password = Files.readString(passwordFile, StandardCharsets.UTF_8).lines().findFirst();
        } else if (user != null && passwordFromEnv != null && !passwordFromEnv.isEmpty()) {
            password = Optional.of(passwordFromEnv);
        }
        return Optional.of(OutboundProxy.of(url, Optional.ofNullable(user), password));
    }
}
