package dev.drawbridge.proxy.identity;

import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.store.Database;
import dev.samstevens.totp.code.CodeGenerator;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import dev.samstevens.totp.code.HashingAlgorithm;
import dev.samstevens.totp.exceptions.CodeGenerationException;
import dev.samstevens.totp.exceptions.QrGenerationException;
import dev.samstevens.totp.qr.QrData;
import dev.samstevens.totp.qr.ZxingPngQrGenerator;
import dev.samstevens.totp.recovery.RecoveryCodeGenerator;
import dev.samstevens.totp.secret.DefaultSecretGenerator;
import dev.samstevens.totp.util.Utils;
import org.jooq.DSLContext;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static dev.drawbridge.proxy.store.db.Tables.DIRECTORY_USER;
import static dev.drawbridge.proxy.store.db.Tables.RECOVERY_CODE;

/**
 * TOTP second factor (RFC 6238: SHA-1, 6 digits, 30 s; codes from the previous and next step are
 * accepted for clock skew, and a step once used is never accepted again) with one-time recovery
 * codes. Secrets are encrypted at rest with the {@link DataKey}; recovery codes are stored hashed.
 */
public final class Mfa {
    public static final int PERIOD = 30;
    private static final int RECOVERY_CODES = 10;

    /** A started enrollment: what the user scans or types into the authenticator app. */
    public record Enrollment(String secret, String otpauthUri, String qrPngDataUri) {
    }

    private final DSLContext dsl;
    private final DataKey dataKey;
    private final Clock clock;
    private final String issuer;
    private final CodeGenerator codes = new DefaultCodeGenerator(HashingAlgorithm.SHA1, 6);
    private final MfaChallenges challenges;

    public Mfa(Database db, DataKey dataKey, Clock clock, String issuer) {
        this.dsl = db.dsl();
        this.dataKey = dataKey;
        this.clock = clock;
        this.issuer = issuer;
        this.challenges = new MfaChallenges(dsl);
    }

    /** The pending second-factor states of the sign-in host. */
    public MfaChallenges challenges() {
        return challenges;
    }

    public boolean isEnrolled(String userId) {
        return dsl.fetchExists(DIRECTORY_USER, DIRECTORY_USER.ID.eq(userId).and(DIRECTORY_USER.TOTP_SECRET.isNotNull()));
    }

    /** Starts (or restarts) enrollment with a fresh secret, kept pending until a code confirms it. */
    public Enrollment begin(DirectoryUser user) {
        String secret = new DefaultSecretGenerator(32).generate();
        dsl.update(DIRECTORY_USER).set(DIRECTORY_USER.TOTP_PENDING_SECRET, dataKey.encrypt(secret))
                .where(DIRECTORY_USER.ID.eq(user.id())).execute();
        QrData data = new QrData.Builder().label(user.upn()).secret(secret).issuer(issuer)
                .algorithm(HashingAlgorithm.SHA1).digits(6).period(PERIOD).build();
        try {
            ZxingPngQrGenerator qr = new ZxingPngQrGenerator();
            return new Enrollment(secret, data.getUri(), Utils.getDataUriForImage(qr.generate(data), qr.getImageMimeType()));
        } catch (QrGenerationException e) {
            throw new IllegalStateException("cannot draw the QR code", e);
        }
    }

    /** Confirms enrollment with a code from the pending secret; returns the recovery codes (shown once), or empty. */
    public Optional<List<String>> confirm(String userId, String code) {
        String pending = dsl.select(DIRECTORY_USER.TOTP_PENDING_SECRET).from(DIRECTORY_USER).where(DIRECTORY_USER.ID.eq(userId))
                .fetchOne(DIRECTORY_USER.TOTP_PENDING_SECRET);
        if (pending == null) {
            return Optional.empty();
        }
        long step = matchingStep(dataKey.decrypt(pending), code, Long.MIN_VALUE);
        if (step < 0) {
            return Optional.empty();
        }
        dsl.update(DIRECTORY_USER).set(DIRECTORY_USER.TOTP_SECRET, pending).setNull(DIRECTORY_USER.TOTP_PENDING_SECRET)
                .set(DIRECTORY_USER.TOTP_LAST_STEP, step).where(DIRECTORY_USER.ID.eq(userId)).execute();
        dsl.deleteFrom(RECOVERY_CODE).where(RECOVERY_CODE.USER_ID.eq(userId)).execute();
        List<String> recovery = List.of(new RecoveryCodeGenerator().generateCodes(RECOVERY_CODES));
        for (String r : recovery) {
            dsl.insertInto(RECOVERY_CODE).set(RECOVERY_CODE.USER_ID, userId).set(RECOVERY_CODE.CODE_HASH, hash(r)).execute();
        }
        return Optional.of(recovery);
    }

    /** Checks a TOTP code (never the same step twice) or an unused recovery code. */
    public boolean verify(String userId, String code) {
        if (code == null) {
            return false;
        }
        String c = code.strip();
        if (c.matches("\\d{6}")) {
            var r = dsl.select(DIRECTORY_USER.TOTP_SECRET, DIRECTORY_USER.TOTP_LAST_STEP).from(DIRECTORY_USER)
                    .where(DIRECTORY_USER.ID.eq(userId)).fetchOne();
            if (r == null || r.value1() == null) {
                return false;
            }
            long last = r.value2() == null ? Long.MIN_VALUE : r.value2();
            long step = matchingStep(dataKey.decrypt(r.value1()), c, last);
            // Conditional update: two requests racing with one code cannot both win.
            return step >= 0 && dsl.update(DIRECTORY_USER).set(DIRECTORY_USER.TOTP_LAST_STEP, step).where(DIRECTORY_USER.ID.eq(userId))
                    .and(DIRECTORY_USER.TOTP_LAST_STEP.isNull().or(DIRECTORY_USER.TOTP_LAST_STEP.lt(step))).execute() == 1;
        }
        return dsl.update(RECOVERY_CODE).set(RECOVERY_CODE.USED_AT, clock.instant().atOffset(ZoneOffset.UTC))
                .where(RECOVERY_CODE.USER_ID.eq(userId)).and(RECOVERY_CODE.CODE_HASH.eq(hash(c)))
                .and(RECOVERY_CODE.USED_AT.isNull()).execute() == 1;
    }

    /** Removes the user's authenticator and recovery codes (admin reset). */
    public void reset(String userId) {
        // A new authenticator starts with a clean second-factor count (the lock, if any, stays until it runs out).
        dsl.update(DIRECTORY_USER).setNull(DIRECTORY_USER.TOTP_SECRET).setNull(DIRECTORY_USER.TOTP_PENDING_SECRET)
                .setNull(DIRECTORY_USER.TOTP_LAST_STEP).set(DIRECTORY_USER.MFA_FAILURES, 0).where(DIRECTORY_USER.ID.eq(userId)).execute();
        dsl.deleteFrom(RECOVERY_CODE).where(RECOVERY_CODE.USER_ID.eq(userId)).execute();
    }

    /** The time step (previous, current or next) whose code equals {@code code} and is after {@code after}; -1 if none. */
    private long matchingStep(String secret, String code, long after) {
        if (code == null || !code.strip().matches("\\d{6}")) {
            return -1;
        }
        long now = Math.floorDiv(clock.instant().getEpochSecond(), PERIOD);
        for (long step = now - 1; step <= now + 1; step++) {
            try {
                if (step > after && MessageDigest.isEqual(codes.generate(secret, step).getBytes(), code.strip().getBytes())) {
                    return step;
                }
            } catch (CodeGenerationException e) {
                return -1;
            }
        }
        return -1;
    }

    private static String hash(String recoveryCode) {
        return HexFormat.of().formatHex(ServerKeys.sha256(recoveryCode.strip().toLowerCase(Locale.ROOT)));
    }
}
