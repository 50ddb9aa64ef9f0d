-- Identity: the built-in directory, app assignments, one-time sign-in codes, per-app access settings.

CREATE TABLE directory_user (
    id                   VARCHAR(36)  NOT NULL PRIMARY KEY,
    upn                  VARCHAR(320) NOT NULL,
    display_name         VARCHAR(200) NOT NULL,
    email                VARCHAR(320),
    department           VARCHAR(200),
    password_hash        VARCHAR(255),
    enabled              BOOLEAN      NOT NULL,
    failed_attempts      INT          NOT NULL,
    locked_until         TIMESTAMP WITH TIME ZONE,
    sessions_valid_after TIMESTAMP WITH TIME ZONE NOT NULL,
    created_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at           TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT uq_directory_user_upn UNIQUE (upn)
);

CREATE TABLE directory_group (
    id          VARCHAR(36)  NOT NULL PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    description VARCHAR(1000),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT uq_directory_group_name UNIQUE (name)
);

CREATE TABLE group_member (
    group_id VARCHAR(36) NOT NULL,
    user_id  VARCHAR(36) NOT NULL,
    CONSTRAINT pk_group_member PRIMARY KEY (group_id, user_id),
    CONSTRAINT fk_group_member_group FOREIGN KEY (group_id) REFERENCES directory_group (id) ON DELETE CASCADE,
    CONSTRAINT fk_group_member_user FOREIGN KEY (user_id) REFERENCES directory_user (id) ON DELETE CASCADE
);

CREATE TABLE app_assignment (
    app_id         VARCHAR(36) NOT NULL,
    principal_type VARCHAR(8)  NOT NULL,
    principal_id   VARCHAR(36) NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT pk_app_assignment PRIMARY KEY (app_id, principal_type, principal_id),
    CONSTRAINT fk_app_assignment_app FOREIGN KEY (app_id) REFERENCES app (id) ON DELETE CASCADE
);

CREATE TABLE auth_code (
    code_hash  VARCHAR(64) NOT NULL PRIMARY KEY,
    user_id    VARCHAR(36) NOT NULL,
    app_id     VARCHAR(36) NOT NULL,
    amr        VARCHAR(100) NOT NULL,
    auth_time  TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at    TIMESTAMP WITH TIME ZONE
);

ALTER TABLE app ADD COLUMN assignment_required BOOLEAN DEFAULT TRUE NOT NULL;
ALTER TABLE app ADD COLUMN cookie_http_only BOOLEAN DEFAULT TRUE NOT NULL;
ALTER TABLE app ADD COLUMN cookie_secure BOOLEAN DEFAULT TRUE NOT NULL;
ALTER TABLE app ADD COLUMN cookie_persistent BOOLEAN DEFAULT FALSE NOT NULL;
