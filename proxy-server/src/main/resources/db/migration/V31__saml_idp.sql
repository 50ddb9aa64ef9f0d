-- Issue 10, slice 5 (SAML-based single sign-on): Drawbridge is the SAML identity provider of apps whose method is SAML.

-- Each app's identity provider key (RSA) and self-signed certificate, made on first use. The key is sealed with the
-- server's data key (secrets/data-key), as every secret in the database; it never leaves the server.
CREATE TABLE saml_idp_key (
    app_id          VARCHAR(36)    NOT NULL PRIMARY KEY,
    certificate_pem VARCHAR(10000) NOT NULL,
    key_encrypted   VARCHAR(10000) NOT NULL,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT fk_saml_idp_key_app FOREIGN KEY (app_id) REFERENCES app (id) ON DELETE CASCADE
);

-- AuthnRequests received and waiting for the user's sign-in: found by the SHA-256 of a random handle that the sign-in
-- carries back; answered once. (app_id, request_id) is unique: an AuthnRequest's ID is accepted once, and kept longer
-- than a request stays fresh, so a replayed request is refused.
CREATE TABLE saml_request (
    handle_hash  VARCHAR(64)   NOT NULL PRIMARY KEY,
    app_id       VARCHAR(36)   NOT NULL,
    request_id   VARCHAR(256)  NOT NULL,
    relay_state  VARCHAR(1024),
    passive      BOOLEAN       NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    answered_at  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT uq_saml_request_id UNIQUE (app_id, request_id),
    CONSTRAINT fk_saml_request_app FOREIGN KEY (app_id) REFERENCES app (id) ON DELETE CASCADE
);

-- Responses issued (by the SHA-256 of the base64 SAMLResponse as the browser posts it): at the app's ACS URL, a browser
-- without an app session starts one for the response's user, once, before the response's 5 minutes are over.
CREATE TABLE saml_response (
    response_hash VARCHAR(64)  NOT NULL PRIMARY KEY,
    app_id        VARCHAR(36)  NOT NULL,
    user_id       VARCHAR(36)  NOT NULL,
    amr           VARCHAR(100) NOT NULL,
    auth_time     TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    redeemed_at   TIMESTAMP WITH TIME ZONE,
    CONSTRAINT fk_saml_response_app FOREIGN KEY (app_id) REFERENCES app (id) ON DELETE CASCADE,
    CONSTRAINT fk_saml_response_user FOREIGN KEY (user_id) REFERENCES directory_user (id) ON DELETE CASCADE
);
