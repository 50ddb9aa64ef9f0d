package dev.drawbridge.adminclient;

import dev.drawbridge.model.api.CertificateUpload;
import dev.drawbridge.model.api.CertificateView;
import dev.drawbridge.model.api.SigningKeysView;

import java.util.List;

/**
 * {@code /certificates} (app certificates for custom domains) and {@code /server-certificate} (the sign-in host's,
 * set by a global administrator; the server CA's is served while there is none), and the server's signing keys
 * ({@code /keys}).
 */
public interface Certificates {
    @Operation(method = "GET", path = "certificates")
    List<CertificateView> list() throws AdminClientException;

    /** Uploads a certificate and its key (PEM, or PKCS#12 with its password). */
    @Operation(method = "POST", path = "certificates")
    CertificateView upload(CertificateUpload upload) throws AdminClientException;

    @Operation(method = "GET", path = "certificates/{id}")
    CertificateView get(String id) throws AdminClientException;

    @Operation(method = "DELETE", path = "certificates/{id}")
    void delete(String id) throws AdminClientException;

    /** The sign-in host's certificate; a 404 {@link AdminApiException} while the server CA's is served. */
    @Operation(method = "GET", path = "server-certificate")
    CertificateView serverCertificate() throws AdminClientException;

    @Operation(method = "PUT", path = "server-certificate")
    CertificateView setServerCertificate(CertificateUpload upload) throws AdminClientException;

    /** Removes the sign-in host's certificate: the server CA's is served again. */
    @Operation(method = "DELETE", path = "server-certificate")
    void removeServerCertificate() throws AdminClientException;

    /** The server's signing key sets: each key's state (pending, signing, retiring, retired) and times. */
    @Operation(method = "GET", path = "keys")
    SigningKeysView signingKeys() throws AdminClientException;

    /** Rotates both signing key sets on every node (global administrators): new keys sign 30 s later, nobody is signed out. */
    @Operation(method = "POST", path = "keys/rotate")
    SigningKeysView rotateSigningKeys() throws AdminClientException;

    /**
     * Retires one signing key now (global administrators), after a leak: what it signed stops verifying on every node, its
     * users sign in again. The signing key only once a newer one exists (rotate first).
     */
    @Operation(method = "POST", path = "keys/{kid}/retire")
    SigningKeysView retireSigningKey(String kid) throws AdminClientException;
}
