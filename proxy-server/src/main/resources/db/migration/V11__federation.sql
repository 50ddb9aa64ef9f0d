-- Federation with an external OpenID Connect provider, and app icons for My Apps.

-- The provider's settings (one row, id 'oidc'); the client secret is AES-GCM encrypted with the data key.
CREATE TABLE identity_provider (
    id                 VARCHAR(16)   NOT NULL PRIMARY KEY,
    issuer             VARCHAR(2000) NOT NULL,
    client_id          VARCHAR(500)  NOT NULL,
    client_secret      VARCHAR(2000) NOT NULL,
    display_name       VARCHAR(100)  NOT NULL,
    scopes             VARCHAR(1000) NOT NULL,
    username_claim     VARCHAR(100)  NOT NULL,
    groups_claim       VARCHAR(100),
    jit_provisioning   BOOLEAN       NOT NULL,
    updated_at         TIMESTAMP WITH TIME ZONE NOT NULL
);

-- A sign-in sent to the provider and not yet back: found by the hash of its state, bound to the
-- browser by the hash of a cookie, used once.
CREATE TABLE federation_request (
    state_hash    VARCHAR(64)   NOT NULL PRIMARY KEY,
    browser_hash  VARCHAR(64)   NOT NULL,
    nonce         VARCHAR(200)  NOT NULL,
    code_verifier VARCHAR(200)  NOT NULL,
    app_id        VARCHAR(36),
    return_path   VARCHAR(4096) NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at       TIMESTAMP WITH TIME ZONE
);

-- Where a membership comes from: LOCAL (admin, LDAP sync, rules) or OIDC (the groups claim, kept in step at each sign-in).
ALTER TABLE group_member ADD COLUMN source VARCHAR(16) DEFAULT 'LOCAL' NOT NULL;

-- An app's icon in My Apps (PNG or SVG, at most 256 KiB).
CREATE TABLE app_icon (
    app_id       VARCHAR(36) NOT NULL PRIMARY KEY,
    content_type VARCHAR(40) NOT NULL,
    body         BYTEA       NOT NULL,
    sha256       VARCHAR(64) NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT fk_app_icon_app FOREIGN KEY (app_id) REFERENCES app (id) ON DELETE CASCADE
);
