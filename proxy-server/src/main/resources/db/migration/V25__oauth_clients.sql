-- Native OAuth clients are registered: the token issuer answers only the client ids listed here, sends codes only to
-- their redirect URIs, and issues only their grants, for their apps. Public clients (PKCE, no secret).

CREATE TABLE oauth_client (
    client_id    VARCHAR(100) NOT NULL PRIMARY KEY,
    -- client_id in lower case: two ids that differ only in letter case cannot both be registered (no look-alikes).
    client_key   VARCHAR(100) NOT NULL UNIQUE,
    display_name VARCHAR(200) NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at   TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE oauth_client_redirect_uri (
    client_id    VARCHAR(100)  NOT NULL REFERENCES oauth_client (client_id) ON DELETE CASCADE,
    ordinal      INTEGER       NOT NULL,
    redirect_uri VARCHAR(2000) NOT NULL,
    PRIMARY KEY (client_id, ordinal)
);

CREATE TABLE oauth_client_grant (
    client_id  VARCHAR(100) NOT NULL REFERENCES oauth_client (client_id) ON DELETE CASCADE,
    grant_type VARCHAR(40)  NOT NULL,
    PRIMARY KEY (client_id, grant_type)
);

-- The apps a client may get tokens for (none: any). No foreign key to app: deleting an app must not empty this list,
-- which would widen the client to every app; an id left behind never matches a new app (ids are random).
CREATE TABLE oauth_client_app (
    client_id VARCHAR(100) NOT NULL REFERENCES oauth_client (client_id) ON DELETE CASCADE,
    app_id    VARCHAR(36)  NOT NULL,
    PRIMARY KEY (client_id, app_id)
);

-- Refresh tokens issued before this version stay: each is refused until an administrator registers its client id
-- with the REFRESH_TOKEN grant (and the app, if the client is limited to apps), so registering the clients in use
-- keeps their users signed in.
