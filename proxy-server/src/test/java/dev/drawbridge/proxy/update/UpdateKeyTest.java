package dev.drawbridge.proxy.update;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import dev.drawbridge.model.update.UpdateBundle;
import dev.drawbridge.model.update.UpdateManifest;
import dev.drawbridge.proxy.identity.SettableClock;
import dev.drawbridge.proxy.web.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Random;

import static dev.drawbridge.proxy.store.db.Tables.CONNECTOR_UPDATE_CHUNK;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The update-signing key: made once (0600, EC P-256, kid = its RFC 7638 thumbprint) and the same key on every later start;
 * a manifest it signs verifies with the public JWK alone (Nimbus, ES256, typ, kid) and says the bundle's product, version,
 * SHA-256 and size; a manifest whose payload, header or signature was changed does not verify.
 */
class UpdateKeyTest {
    @TempDir
    Path dir;

    @Test
    void theKeyIsMadeOnceOwnerOnlyAndNamedByItsThumbprint() throws Exception {
        SettableClock clock = new SettableClock(RolloutFixture.T0);
        UpdateKey first = UpdateKey.loadOrCreate(dir, clock);
        Path file = dir.resolve(UpdateKey.FILE);
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(file.getParent())).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        ECKey pub = ECKey.parse(first.publicJwk());
        assertThat(pub.isPrivate()).isFalse();
        assertThat(first.publicJwk()).doesNotContain("\"d\"");
        assertThat(pub.getKeyID()).isEqualTo(pub.computeThumbprint().toString()).isEqualTo(first.keyId());
        UpdateKey again = UpdateKey.loadOrCreate(dir, clock);
        assertThat(again.publicJwk()).isEqualTo(first.publicJwk());
    }

    @Test
    void anUploadedBundlesManifestVerifiesWithThePublicJwkAndDescribesTheBundle() throws Exception {
        try (RolloutFixture f = new RolloutFixture(dir, "h2")) {
            byte[] bundle = Bundles.valid(Files.createTempDirectory(dir, "b"), "1.4.0");
            f.uploads.upload("application/zip", Optional.empty(), new ByteArrayInputStream(bundle), "alice");
            String manifest = f.store.find("1.4.0").orElseThrow().manifest();
            JWSObject jws = JWSObject.parse(manifest);
            assertThat(jws.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
            assertThat(jws.getHeader().getType()).isEqualTo(new JOSEObjectType(UpdateManifest.JWS_TYPE));
            assertThat(jws.getHeader().getKeyID()).isEqualTo(f.key.keyId());
            assertThat(jws.verify(new ECDSAVerifier(ECKey.parse(f.key.publicJwk())))).isTrue();
            UpdateManifest m = Json.MAPPER.readValue(jws.getPayload().toString(), UpdateManifest.class);
            assertThat(m).isEqualTo(new UpdateManifest(UpdateBundle.PRODUCT, "1.4.0",
                    HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bundle)), bundle.length, RolloutFixture.T0));
            JsonNode raw = Json.MAPPER.readTree(jws.getPayload().toString());
            assertThat(raw.path("issuedAt").asText()).isEqualTo("2026-12-06T12:00:00Z");
            // The stored bytes are the uploaded ones.
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            f.store.copy("1.4.0", out);
            assertThat(out.toByteArray()).isEqualTo(bundle);
        }
    }

    @Test
    void aBundleOfManyQueriesIsCopiedWholeAndInOrderAndOneDeletedMidwayFails() throws Exception {
        try (RolloutFixture f = new RolloutFixture(dir, "h2")) {
            byte[] payload = new byte[UpdateStore.CHUNK * UpdateStore.CHUNKS_PER_QUERY * 2 + 12_345];
            new Random(7).nextBytes(payload);
            byte[] bundle = Bundles.valid(Files.createTempDirectory(dir, "b"), "1.5.0", payload);
            assertThat(bundle.length).isGreaterThan(UpdateStore.CHUNK * UpdateStore.CHUNKS_PER_QUERY * 2);
            f.uploads.upload("application/zip", Optional.empty(), new ByteArrayInputStream(bundle), "alice");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            f.store.copy("1.5.0", out);
            assertThat(out.toByteArray()).isEqualTo(bundle);

            ByteArrayOutputStream partial = new ByteArrayOutputStream() {
                @Override
                public void write(byte[] b) {
                    super.write(b, 0, b.length);
                    if (size() == UpdateStore.CHUNK) {
                        f.db.dsl().deleteFrom(CONNECTOR_UPDATE_CHUNK).where(CONNECTOR_UPDATE_CHUNK.SEQ.ge(UpdateStore.CHUNKS_PER_QUERY)).execute();
                    }
                }
            };
            assertThatThrownBy(() -> f.store.copy("1.5.0", partial)).isInstanceOf(IOException.class).hasMessageContaining("deleted");
            assertThat(partial.size()).isEqualTo(UpdateStore.CHUNK * UpdateStore.CHUNKS_PER_QUERY);
        }
    }

    @Test
    void aTamperedManifestDoesNotVerify() throws Exception {
        UpdateKey key = UpdateKey.loadOrCreate(dir, new SettableClock(RolloutFixture.T0));
        UpdateManifest m = new UpdateManifest(UpdateBundle.PRODUCT, "1.4.0", "a".repeat(64), 1000, Instant.parse("2026-12-06T12:00:00Z"));
        String signed = key.sign(m);
        ECDSAVerifier verifier = new ECDSAVerifier(ECKey.parse(key.publicJwk()));
        assertThat(JWSObject.parse(signed).verify(verifier)).isTrue();
        String[] parts = signed.split("\\.");
        // Another payload under the same header and signature: a bigger bundle, another hash, another version.
        for (String payload : new String[]{
                Json.MAPPER.writeValueAsString(new UpdateManifest(UpdateBundle.PRODUCT, "1.4.0", "a".repeat(64), 1001, m.issuedAt())),
                Json.MAPPER.writeValueAsString(new UpdateManifest(UpdateBundle.PRODUCT, "1.4.0", "b".repeat(64), 1000, m.issuedAt())),
                Json.MAPPER.writeValueAsString(new UpdateManifest(UpdateBundle.PRODUCT, "1.4.1", "a".repeat(64), 1000, m.issuedAt()))}) {
            String forged = parts[0] + "." + Base64URL.encode(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
            assertThat(JWSObject.parse(forged).verify(verifier)).as(payload).isFalse();
        }
        // A flipped signature byte, and another key's signature.
        byte[] sig = Base64URL.from(parts[2]).decode();
        sig[5] ^= 1;
        assertThat(JWSObject.parse(parts[0] + "." + parts[1] + "." + Base64URL.encode(sig)).verify(verifier)).isFalse();
        UpdateKey other = UpdateKey.loadOrCreate(dir.resolve("other"), new SettableClock(RolloutFixture.T0));
        assertThat(JWSObject.parse(other.sign(m)).verify(verifier)).isFalse();
        assertThat(new Payload(JWSObject.parse(signed).getPayload().toString()).toString()).contains("\"size\":1000");
    }
}
