-- Federated sign-in links an identity at a provider (issuer + subject) to one directory user, once, for good:
-- a later sign-in finds the user by this link, never by a name or an email claim. Matching an existing user by
-- a verified email is an administrator's choice per provider (off by default).
CREATE TABLE federated_identity (
    issuer     VARCHAR(2000) NOT NULL,
    subject    VARCHAR(255)  NOT NULL,
    user_id    VARCHAR(36)   NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_federated_identity PRIMARY KEY (issuer, subject),
    CONSTRAINT fk_federated_identity_user FOREIGN KEY (user_id) REFERENCES directory_user (id) ON DELETE CASCADE
);
CREATE INDEX ix_federated_identity_user ON federated_identity (user_id);

ALTER TABLE identity_provider ADD COLUMN link_by_verified_email BOOLEAN DEFAULT FALSE NOT NULL;
