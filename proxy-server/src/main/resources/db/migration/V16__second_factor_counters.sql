-- Second-factor failures are counted apart from password failures (a correct password never clears them),
-- and each pending second-factor state (the cookie between a correct first factor and the code) is
-- usable a bounded number of times.

ALTER TABLE directory_user ADD COLUMN mfa_failures INT DEFAULT 0 NOT NULL;

CREATE TABLE mfa_challenge (
    id         VARCHAR(64) NOT NULL PRIMARY KEY,
    user_id    VARCHAR(36) NOT NULL,
    uses       INT         NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT fk_mfa_challenge_user FOREIGN KEY (user_id) REFERENCES directory_user (id) ON DELETE CASCADE
);
CREATE INDEX ix_mfa_challenge_expires ON mfa_challenge (expires_at);
