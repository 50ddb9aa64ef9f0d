package dev.drawbridge.proxy.update;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.drawbridge.model.update.UpdateManifest;
import dev.drawbridge.proxy.store.SecretFiles;
import dev.drawbridge.proxy.web.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.util.Date;

/**
 * The update-signing key: an EC P-256 key, made at the server's first start as a JWK file in the data directory
 * ({@code secrets/update-signing-key.jwk}, 0600), whose {@code kid} is its RFC 7638 thumbprint. It signs nothing but
 * update manifests (ES256, {@code typ} {@link UpdateManifest#JWS_TYPE}); connectors pin its public half at registration.
 */
public final class UpdateKey {
    /** Where the key lives under the data directory. */
    public static final String FILE = "secrets/update-signing-key.jwk";
    private final ECKey key;

    private UpdateKey(ECKey key) {
        this.key = key;
    }

    /** The key of the server whose data directory is {@code dataDir}, made there if it has none. */
    public static UpdateKey loadOrCreate(Path dataDir, Clock clock) throws IOException {
        Path file = dataDir.resolve(FILE);
        SecretFiles.directory(file.getParent());
        try {
            if (Files.exists(file)) {
                ECKey k = ECKey.parse(Files.readString(file));
                if (!k.isPrivate() || !Curve.P_256.equals(k.getCurve())) {
                    throw new IOException(file + " does not hold a private EC P-256 key");
                }
                return new UpdateKey(k);
            }
            ECKey fresh = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256)
                    .keyIDFromThumbprint(true).issueTime(Date.from(clock.instant())).generate();
            SecretFiles.write(file, fresh.toJSONString());
            return new UpdateKey(fresh);
        } catch (ParseException | JOSEException e) {
            throw new IOException("cannot load or create the update-signing key " + file + ": " + e.getMessage(), e);
        }
    }

    /** The key of this private JWK (a cluster's shared update-signing key). */
    public static UpdateKey fromPrivateJwk(String json) throws ParseException {
        ECKey k = ECKey.parse(json);
        if (!k.isPrivate() || !Curve.P_256.equals(k.getCurve())) {
            throw new ParseException("not a private EC P-256 key", 0);
        }
        return new UpdateKey(k);
    }

    /** The whole key as JWK JSON, private half included: what a cluster's first node shares, sealed, with the others. */
    public String privateJwk() {
        return key.toJSONString();
    }

    /** The public half as JWK JSON: what connectors pin ({@code RegistrationResponse.updateKeyJwk}). */
    public String publicJwk() {
        return key.toPublicJWK().toJSONString();
    }

    public String keyId() {
        return key.getKeyID();
    }

    /** {@code manifest} signed: a JWS compact serialization (ES256, {@code typ}, {@code kid}; payload the manifest as JSON). */
    public String sign(UpdateManifest manifest) {
        try {
            JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType(UpdateManifest.JWS_TYPE))
                    .keyID(key.getKeyID()).build();
            JWSObject jws = new JWSObject(header, new Payload(Json.MAPPER.writeValueAsString(manifest)));
            jws.sign(new ECDSASigner(key));
            return jws.serialize();
        } catch (JOSEException | JsonProcessingException e) {
            throw new IllegalStateException("cannot sign the manifest of " + manifest.version(), e);
        }
    }
}
