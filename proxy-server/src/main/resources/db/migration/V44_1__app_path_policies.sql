-- Issue 12: an app's path rules. Each path (relative to the app's external path, in its canonical spelling) may replace
-- the app's pre-authentication (NULL: the app's), narrow who may use it (user and group ids, a JSON array; NULL: whoever
-- may use the app) and add conditional access policies (policy ids, a JSON array; NULL: none). The most specific applies.
CREATE TABLE app_path_policy (
    app_id      VARCHAR(36)   NOT NULL REFERENCES app (id) ON DELETE CASCADE,
    path        VARCHAR(1000) NOT NULL,
    preauth     VARCHAR(20),
    users       VARCHAR(20000),
    policies    VARCHAR(20000),
    PRIMARY KEY (app_id, path)
);
