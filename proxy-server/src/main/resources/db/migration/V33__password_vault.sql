-- Issue 10 (password vaulting, HTTP Basic): users' own user names and passwords per app, and an app's shared one.
-- "sealed" is AES-GCM under the data key (secrets/data-key) of a JSON naming the row's app, user and the app's internal
-- origin besides the credential, so a sealed value copied to another row or sent after the app moved is refused.
-- "version" changes on every store; "refused_at" is set when the backend refused that version of a user's credential
-- (it is not sent again until the user replaces it: a changed password does not lock their account out by repeated tries).
CREATE TABLE vault_user_credential (
    app_id      VARCHAR(36)   NOT NULL,
    user_id     VARCHAR(36)   NOT NULL,
    sealed      VARCHAR(20000) NOT NULL,
    version     VARCHAR(36)   NOT NULL,
    refused_at  TIMESTAMP WITH TIME ZONE,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_vault_user_credential PRIMARY KEY (app_id, user_id),
    CONSTRAINT fk_vault_user_credential_app FOREIGN KEY (app_id) REFERENCES app (id) ON DELETE CASCADE,
    CONSTRAINT fk_vault_user_credential_user FOREIGN KEY (user_id) REFERENCES directory_user (id) ON DELETE CASCADE
);

-- An app's shared credential is never marked refused: one user's 401 must not stop the app for everyone.
CREATE TABLE vault_shared_credential (
    app_id      VARCHAR(36)   NOT NULL PRIMARY KEY,
    sealed      VARCHAR(20000) NOT NULL,
    version     VARCHAR(36)   NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT fk_vault_shared_credential_app FOREIGN KEY (app_id) REFERENCES app (id) ON DELETE CASCADE
);
