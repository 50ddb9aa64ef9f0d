-- Self-service access: users ask for an app they are not assigned to; an admin approves (which assigns) or denies.

CREATE TABLE access_request (
    id         VARCHAR(36)  NOT NULL PRIMARY KEY,
    app_id     VARCHAR(36)  NOT NULL,
    user_id    VARCHAR(36)  NOT NULL,
    reason     VARCHAR(1000) NOT NULL,
    status     VARCHAR(16)  NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
    decided_at TIMESTAMP WITH TIME ZONE,
    decided_by VARCHAR(320),
    CONSTRAINT fk_access_request_app FOREIGN KEY (app_id) REFERENCES app (id) ON DELETE CASCADE,
    CONSTRAINT fk_access_request_user FOREIGN KEY (user_id) REFERENCES directory_user (id) ON DELETE CASCADE
);
CREATE INDEX ix_access_request_status ON access_request (status);
