package dev.drawbridge.console.certificates;

import dev.drawbridge.console.session.DialogForm;
import dev.drawbridge.console.session.FieldErrors;
import dev.drawbridge.console.session.FieldErrors.Field;
import dev.drawbridge.model.api.CertificateUpload;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A certificate to upload: pasted PEM (chain and private key), or a PKCS#12 file's bytes and its password. The server
 * reads it and says what is wrong on the field concerned.
 */
public final class CertificateForm extends DialogForm {
    public static final String PEM = "pem", PASSWORD = "password";

    final StringProperty pem = new SimpleStringProperty("");
    final StringProperty password = new SimpleStringProperty("");
    private final byte[] pkcs12;
    private final FieldErrors errors;

    private CertificateForm(byte[] pkcs12) {
        this.pkcs12 = pkcs12;
        errors = new FieldErrors(List.of(Field.of(PEM, pem), Field.of(PASSWORD, password)), this::check);
    }

    /** A form for pasted PEM. */
    public static CertificateForm pem() {
        return new CertificateForm(null);
    }

    /** A form for the password of a PKCS#12 file read from disk. */
    public static CertificateForm pkcs12(byte[] file) {
        return new CertificateForm(file.clone());
    }

    public boolean isPkcs12() {
        return pkcs12 != null;
    }

    private Map<String, String> check() {
        Map<String, String> e = new LinkedHashMap<>();
        if (!isPkcs12()) {
            String p = pem.get();
            if (p.isBlank()) {
                e.put(PEM, "Paste the certificate chain and its private key, each a -----BEGIN … block.");
            } else if (!p.contains("-----BEGIN")) {
                e.put(PEM, "This is not PEM: it has no -----BEGIN CERTIFICATE----- block.");
            }
        }
        return e;
    }

    @Override
    public FieldErrors errors() {
        return errors;
    }

    public StringProperty pemProperty() {
        return pem;
    }

    public StringProperty passwordProperty() {
        return password;
    }

    /** The body the certificate endpoints take: {@code pem}, or {@code pkcs12} (base64) and {@code password}. */
    public CertificateUpload body() {
        return isPkcs12() ? new CertificateUpload(null, Base64.getEncoder().encodeToString(pkcs12), password.get())
                : new CertificateUpload(pem.get(), null, null);
    }
}
