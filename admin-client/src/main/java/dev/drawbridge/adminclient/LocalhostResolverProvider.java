package dev.drawbridge.adminclient;

import dev.drawbridge.model.http.LocalhostNames;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * RFC 6761 §6.3 for the JDK's name lookups: {@code localhost} and {@code *.localhost} are the loopback host, as
 * browsers and curl have it (the system resolver often does not). Registered in {@code META-INF/services}, so it
 * answers every lookup of a JVM that has this module on its class path; any other name, and every reverse lookup, goes
 * to the JDK's built-in resolver. The JDK's {@code HttpClient} takes no resolver of its own, and this way the name
 * stays what the client connects to: in SNI, the Host header and the certificate check.
 */
public final class LocalhostResolverProvider extends InetAddressResolverProvider {
    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                Optional<InetAddress> loopback = LocalhostNames.loopbackFor(host);
                if (loopback.isEmpty()) {
                    return builtin.lookupByName(host, policy);
                }
                if ((policy.characteristics() & LookupPolicy.IPV4) == 0) {
                    // IPv6 only was asked for.
                    return Stream.of(Inet6Address.getByAddress(host, ipv6Loopback(), null));
                }
                return Stream.of(loopback.get());
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                return builtin.lookupByAddress(addr);
            }
        };
    }

    private static byte[] ipv6Loopback() {
        byte[] a = new byte[16];
        a[15] = 1;
        return a;
    }

    @Override
    public String name() {
        return "drawbridge-localhost";
    }
}
