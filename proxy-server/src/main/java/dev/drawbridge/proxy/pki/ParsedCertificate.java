package dev.drawbridge.proxy.pki;

import dev.drawbridge.model.api.CertificateUpload;
import dev.drawbridge.proxy.web.ValidationException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;

/**
 * A certificate upload, parsed and checked: exactly one of PEM (chain and unencrypted key) or PKCS#12 with its
 * password, a certificate matching the key (proved by signing with it), not expired, naming at least one DNS
 * host. Every problem names the field ({@code pem}, {@code pkcs12}, {@code password}). Shared by app certificates
 * ({@link CertificateStore}) and the server certificate ({@link ServerCertificateStore}).
 *
 * @param chain       leaf first
 * @param hosts       the leaf's subjectAltName dNSNames, canonical
 * @param commonNames the leaf subject's CNs, canonical
 * @param field       the body field the certificate came in, for errors about it
 */
public record ParsedCertificate(X509Certificate[] chain, PrivateKey key, List<String> hosts, List<String> commonNames, String field) {
    private static final int MAX_UPLOAD = 200_000;

    public ParsedCertificate {
        chain = chain.clone();
        hosts = List.copyOf(hosts);
        commonNames = List.copyOf(commonNames);
    }

    public X509Certificate leaf() {
        return chain[0];
    }

    /** Every name a client might match a host against: SAN dNSNames, then CNs. */
    public List<String> allNames() {
        List<String> all = new ArrayList<>(hosts);
        commonNames.stream().filter(cn -> !all.contains(cn)).forEach(all::add);
        return all;
    }

    /** Parses and checks an upload at {@code now}. */
    public static ParsedCertificate parse(CertificateUpload u, Instant now) throws ValidationException {
        if (u == null || (blank(u.pem()) == blank(u.pkcs12()))) {
            throw new ValidationException("pem", "send exactly one of pem (certificate chain and private key) or pkcs12 (base64)");
        }
        Parsed p;
        String field;
        if (!blank(u.pem())) {
            if (u.pem().length() > MAX_UPLOAD) {
                throw new ValidationException("pem", "pem is larger than " + MAX_UPLOAD + " characters");
            }
            p = parsePem(u.pem());
            field = "pem";
        } else {
            if (u.pkcs12().length() > MAX_UPLOAD) {
                throw new ValidationException("pkcs12", "pkcs12 is larger than " + MAX_UPLOAD + " characters");
            }
            p = parsePkcs12(u.pkcs12(), u.password());
            field = "pkcs12";
        }
        X509Certificate leaf = p.chain[0];
        if (!leaf.getNotAfter().toInstant().isAfter(now)) {
            throw new ValidationException(field, "the certificate expired on " + leaf.getNotAfter().toInstant());
        }
        List<String> hosts = dnsNames(leaf);
        if (hosts.isEmpty()) {
            throw new ValidationException(field, "the certificate names no DNS host (subjectAltName dNSName)");
        }
        return new ParsedCertificate(p.chain, p.key, hosts, commonNames(leaf), field);
    }

    /** The chain as PEM, leaf first. */
    public String chainPem() {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate c : chain) {
            pem.append(Pem.encode(c));
        }
        return pem.toString();
    }

    /** The private key as unencrypted PKCS#8 PEM (to be sealed before it is stored). */
    public String keyPem() {
        return pkcs8(key);
    }

    /** Reads back what {@link #chainPem} and {@link #keyPem} wrote. */
    public static ParsedCertificate stored(String chainPem, String keyPem) throws ValidationException {
        Parsed p = parsePem(chainPem + "\n" + keyPem);
        return new ParsedCertificate(p.chain, p.key, dnsNames(p.chain[0]), commonNames(p.chain[0]), "pem");
    }

    private record Parsed(X509Certificate[] chain, PrivateKey key) {
    }

    private static Parsed parsePem(String pem) throws ValidationException {
        List<X509Certificate> certs = new ArrayList<>();
        PrivateKey key = null;
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            JcaPEMKeyConverter keys = new JcaPEMKeyConverter();
            JcaX509CertificateConverter x509 = new JcaX509CertificateConverter();
            Object o;
            while ((o = parser.readObject()) != null) {
                switch (o) {
                    case X509CertificateHolder h -> certs.add(x509.getCertificate(h));
                    case PEMKeyPair kp -> key = keys.getKeyPair(kp).getPrivate();
                    case PrivateKeyInfo pki -> key = keys.getPrivateKey(pki);
                    case PKCS8EncryptedPrivateKeyInfo e ->
                            throw new ValidationException("pem",
                                    "the private key is encrypted; upload it unencrypted over this TLS connection, or as PKCS#12 with its password");
                    case PEMEncryptedKeyPair e ->
                            throw new ValidationException("pem",
                                    "the private key is encrypted; upload it unencrypted over this TLS connection, or as PKCS#12 with its password");
                    default -> { }
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new ValidationException("pem", "pem is not valid PEM: " + e.getMessage());
        }
        if (certs.isEmpty()) {
            throw new ValidationException("pem", "pem holds no CERTIFICATE block");
        }
        if (key == null) {
            throw new ValidationException("pem", "pem holds no PRIVATE KEY block");
        }
        return new Parsed(order(certs, key, "pem"), key);
    }

    private static Parsed parsePkcs12(String base64, String password) throws ValidationException {
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new ValidationException("pkcs12", "pkcs12 must be base64");
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(new ByteArrayInputStream(der), password == null ? new char[0] : password.toCharArray());
            for (Enumeration<String> aliases = ks.aliases(); aliases.hasMoreElements(); ) {
                String alias = aliases.nextElement();
                if (ks.isKeyEntry(alias)) {
                    PrivateKey key = (PrivateKey) ks.getKey(alias, password == null ? new char[0] : password.toCharArray());
                    List<X509Certificate> chain = new ArrayList<>();
                    for (var c : ks.getCertificateChain(alias)) {
                        chain.add((X509Certificate) c);
                    }
                    return new Parsed(order(chain, key, "pkcs12"), key);
                }
            }
            throw new ValidationException("pkcs12", "the PKCS#12 file holds no private key entry");
        } catch (IOException e) {
            throw new ValidationException("password", "the PKCS#12 file cannot be opened: wrong password or damaged file");
        } catch (GeneralSecurityException e) {
            throw new ValidationException("pkcs12", "the PKCS#12 file cannot be read: " + e.getMessage());
        }
    }

    /** Leaf first (the certificate whose public key matches the private key), then the rest as given. */
    private static X509Certificate[] order(Collection<X509Certificate> certs, PrivateKey key, String field) throws ValidationException {
        X509Certificate leaf = certs.stream().filter(c -> matches(c, key)).findFirst().orElseThrow(
                () -> new ValidationException(field, "no certificate matches the private key"));
        List<X509Certificate> out = new ArrayList<>();
        out.add(leaf);
        certs.stream().filter(c -> c != leaf).forEach(out::add);
        return out.toArray(X509Certificate[]::new);
    }

    private static boolean matches(X509Certificate cert, PrivateKey key) {
        try {
            String alg = switch (key.getAlgorithm()) {
                case "RSA" -> "SHA256withRSA";
                case "EC" -> "SHA256withECDSA";
                case "Ed25519", "EdDSA" -> "Ed25519";
                default -> null;
            };
            if (alg == null) {
                return false;
            }
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The subjectAltName dNSNames, canonical (lower case, no trailing dot). */
    private static List<String> dnsNames(X509Certificate leaf) {
        List<String> hosts = new ArrayList<>();
        try {
            if (leaf.getSubjectAlternativeNames() != null) {
                for (List<?> san : leaf.getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        hosts.add(HostNames.canonical(san.get(1).toString()));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return List.of();
        }
        return hosts;
    }

    /** The subject's common names (some old clients still match a host against them). */
    private static List<String> commonNames(X509Certificate leaf) {
        try {
            return new LdapName(leaf.getSubjectX500Principal().getName()).getRdns().stream()
                    .filter(r -> r.getType().equalsIgnoreCase("CN")).map(r -> HostNames.canonical(String.valueOf(r.getValue()))).toList();
        } catch (InvalidNameException e) {
            return List.of();
        }
    }

    private static String pkcs8(PrivateKey key) {
        try {
            StringWriter w = new StringWriter();
            try (PemWriter pw = new PemWriter(w)) {
                PemObject o = new JcaPKCS8Generator(key, null).generate();
                pw.writeObject(o);
            }
            return w.toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode a private key", e);
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
