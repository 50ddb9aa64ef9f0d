package dev.drawbridge.connector.update;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import dev.drawbridge.model.update.UpdateBundle;
import dev.drawbridge.model.update.UpdateManifest;

import java.text.ParseException;

/**
 * Checks a signed update manifest against the update key this connector pinned: the JWS must be ES256 (no other
 * algorithm, no {@code none}, no embedded or linked key: only the pinned one is used), of type
 * {@link UpdateManifest#JWS_TYPE}, name the pinned key's RFC 7638 thumbprint as {@code kid}, verify with it, and its
 * payload must be a valid manifest of {@link UpdateBundle#PRODUCT} for exactly the version the server told it to install.
 */
public final class ManifestVerifier {
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final ECKey pinned;
    private final String kid;

    /** @param pinnedJwk the pinned public key, JWK JSON (EC P-256) */
    public ManifestVerifier(String pinnedJwk) throws UpdateException {
        this.pinned = parseKey(pinnedJwk);
        try {
            this.kid = pinned.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw new UpdateException("the pinned update key is not usable (" + e.getMessage() + ")", e);
        }
    }

    /** A public EC P-256 JWK, or an exception naming what is wrong with it (a private part is dropped, never used). */
    public static ECKey parseKey(String jwk) throws UpdateException {
        ECKey key;
        try {
            key = ECKey.parse(jwk);
        } catch (ParseException | RuntimeException e) {
            throw new UpdateException("the pinned update key is not an EC public key in JWK form (" + e.getMessage() + ")", e);
        }
        if (!Curve.P_256.equals(key.getCurve())) {
            throw new UpdateException("the pinned update key is not on the P-256 curve");
        }
        return key.toPublicJWK();
    }

    /** The verified manifest of {@code version}. */
    public UpdateManifest verify(String jws, String version) throws UpdateException {
        JWSObject o;
        try {
            o = JWSObject.parse(jws);
        } catch (ParseException e) {
            throw new UpdateException("the manifest of version " + version + " is not a signed object (" + e.getMessage() + ")", e);
        }
        if (!JWSAlgorithm.ES256.equals(o.getHeader().getAlgorithm())) {
            throw new UpdateException("the manifest of version " + version + " is signed with " + o.getHeader().getAlgorithm()
                    + ", not ES256");
        }
        if (!new JOSEObjectType(UpdateManifest.JWS_TYPE).equals(o.getHeader().getType())) {
            throw new UpdateException("the manifest of version " + version + " is not of type " + UpdateManifest.JWS_TYPE);
        }
        if (!kid.equals(o.getHeader().getKeyID())) {
            throw new UpdateException("the manifest of version " + version + " is signed by another key than the update key this "
                    + "connector pinned at registration");
        }
        try {
            if (!o.verify(new ECDSAVerifier(pinned))) {
                throw new UpdateException("the manifest of version " + version + " does not verify with the pinned update key");
            }
        } catch (JOSEException e) {
            throw new UpdateException("the manifest of version " + version + " cannot be verified (" + e.getMessage() + ")", e);
        }
        UpdateManifest m;
        try {
            m = JSON.readValue(o.getPayload().toString(), UpdateManifest.class);
        } catch (Exception e) {
            throw new UpdateException("the signed manifest of version " + version + " is not a valid manifest (" + rootMessage(e) + ")", e);
        }
        if (!m.version().equals(version)) {
            throw new UpdateException("the signed manifest is for version " + m.version() + ", not " + version);
        }
        return m;
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
        m = m.replaceAll("\\s+", " ").strip();
        return m.length() > 200 ? m.substring(0, 200) + "…" : m;
    }
}
