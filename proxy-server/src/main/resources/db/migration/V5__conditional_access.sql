-- Conditional access: named locations and policies (bodies as JSON), and the policies behind each logged decision.

CREATE TABLE named_location (
    id   VARCHAR(36)    NOT NULL PRIMARY KEY,
    name VARCHAR(200)   NOT NULL,
    body VARCHAR(20000) NOT NULL,
    CONSTRAINT uq_named_location_name UNIQUE (name)
);

CREATE TABLE access_policy (
    id   VARCHAR(36)    NOT NULL PRIMARY KEY,
    name VARCHAR(200)   NOT NULL,
    body VARCHAR(20000) NOT NULL,
    CONSTRAINT uq_access_policy_name UNIQUE (name)
);

ALTER TABLE sign_in_log ADD COLUMN policies VARCHAR(2000);
