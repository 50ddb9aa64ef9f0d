package dev.drawbridge.testsupport.identity;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import javax.security.auth.kerberos.KerberosKey;
import javax.security.auth.kerberos.KerberosPrincipal;

/**
 * Keytab files (MIT format 0x0502) made without a KDC, for principals of a realm no KDC serves (a connector pointed at
 * a KDC that is down). The key is derived from a random password, as {@code ktutil addent -password} would.
 */
public final class Keytabs {
    private Keytabs() {
    }

    /** A keytab holding an AES-256 key for {@code principal} ({@code name[/instance]@REALM}). */
    public static byte[] withRandomKey(String principal) {
        char[] password = new char[24];
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < password.length; i++) {
            password[i] = (char) ('a' + random.nextInt(26));
        }
        KerberosKey key = new KerberosKey(new KerberosPrincipal(principal), password, "aes256-cts-hmac-sha1-96");
        String[] nameAndRealm = principal.split("@", 2);
        List<String> components = List.of(nameAndRealm[0].split("/"));
        try {
            ByteArrayOutputStream entry = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(entry);
            out.writeShort(components.size());
            counted(out, nameAndRealm[1]);
            for (String component : components) {
                counted(out, component);
            }
            out.writeInt(1); // KRB5_NT_PRINCIPAL
            out.writeInt((int) (System.currentTimeMillis() / 1000));
            out.writeByte(1); // key version
            out.writeShort(key.getKeyType());
            out.writeShort(key.getEncoded().length);
            out.write(key.getEncoded());
            out.writeInt(1); // key version, 32 bits
            ByteArrayOutputStream file = new ByteArrayOutputStream();
            DataOutputStream keytab = new DataOutputStream(file);
            keytab.writeShort(0x0502);
            keytab.writeInt(entry.size());
            keytab.write(entry.toByteArray());
            return file.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void counted(DataOutputStream out, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        out.writeShort(bytes.length);
        out.write(bytes);
    }
}
