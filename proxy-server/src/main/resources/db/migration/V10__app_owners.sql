-- App owners: users who decide access requests for an app.
CREATE TABLE app_owner (
    app_id  VARCHAR(36) NOT NULL,
    user_id VARCHAR(36) NOT NULL,
    CONSTRAINT pk_app_owner PRIMARY KEY (app_id, user_id),
    CONSTRAINT fk_app_owner_app FOREIGN KEY (app_id) REFERENCES app (id) ON DELETE CASCADE,
    CONSTRAINT fk_app_owner_user FOREIGN KEY (user_id) REFERENCES directory_user (id) ON DELETE CASCADE
);
