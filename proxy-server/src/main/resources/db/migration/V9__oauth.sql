-- The token issuer for native clients: authorization codes (PKCE) and rotating refresh tokens, stored hashed.

CREATE TABLE oauth_code (
    code_hash      VARCHAR(64)   NOT NULL PRIMARY KEY,
    user_id        VARCHAR(36)   NOT NULL,
    app_id         VARCHAR(36)   NOT NULL,
    client_id      VARCHAR(200)  NOT NULL,
    redirect_uri   VARCHAR(2000) NOT NULL,
    code_challenge VARCHAR(200)  NOT NULL,
    amr            VARCHAR(100)  NOT NULL,
    auth_time      TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at        TIMESTAMP WITH TIME ZONE
);

CREATE TABLE refresh_token (
    token_hash VARCHAR(64)  NOT NULL PRIMARY KEY,
    user_id    VARCHAR(36)  NOT NULL,
    app_id     VARCHAR(36)  NOT NULL,
    client_id  VARCHAR(200) NOT NULL,
    amr        VARCHAR(100) NOT NULL,
    auth_time  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at    TIMESTAMP WITH TIME ZONE
);
