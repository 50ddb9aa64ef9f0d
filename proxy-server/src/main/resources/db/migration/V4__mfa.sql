-- MFA: a TOTP authenticator per user (secret encrypted at rest), replay protection, recovery codes.

ALTER TABLE directory_user ADD COLUMN totp_secret VARCHAR(500);
ALTER TABLE directory_user ADD COLUMN totp_pending_secret VARCHAR(500);
ALTER TABLE directory_user ADD COLUMN totp_last_step BIGINT;

CREATE TABLE recovery_code (
    user_id   VARCHAR(36) NOT NULL,
    code_hash VARCHAR(64) NOT NULL,
    used_at   TIMESTAMP WITH TIME ZONE,
    CONSTRAINT pk_recovery_code PRIMARY KEY (user_id, code_hash),
    CONSTRAINT fk_recovery_code_user FOREIGN KEY (user_id) REFERENCES directory_user (id) ON DELETE CASCADE
);
