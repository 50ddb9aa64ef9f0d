-- Connector auto-update (issue 11, docs/updates.md). An uploaded update bundle: its signed manifest and metadata, and its
-- bytes in chunks of at most 1 MiB (connector_update_chunk), so that uploads and downloads stream on H2 and PostgreSQL
-- alike and every node of a cluster serves them.
CREATE TABLE connector_update (
    version      VARCHAR(80)   NOT NULL PRIMARY KEY,
    sha256       VARCHAR(64)   NOT NULL,
    bundle_size  BIGINT        NOT NULL,
    manifest     VARCHAR(4000) NOT NULL,
    uploaded_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    uploaded_by  VARCHAR(320)  NOT NULL
);
CREATE TABLE connector_update_chunk (
    version  VARCHAR(80) NOT NULL,
    seq      INTEGER     NOT NULL,
    data     BYTEA       NOT NULL,
    CONSTRAINT pk_connector_update_chunk PRIMARY KEY (version, seq),
    CONSTRAINT fk_connector_update_chunk FOREIGN KEY (version) REFERENCES connector_update (version) ON DELETE CASCADE
);
-- A connector group's rollout: what an administrator set (pinned version, paused), whether it halted, and whose turn it
-- is (one connector of the group updates at a time). Its row is locked (SELECT ... FOR UPDATE) while a connector's report
-- is decided, so that the rule holds across nodes.
CREATE TABLE connector_update_rollout (
    group_id               VARCHAR(36)   NOT NULL PRIMARY KEY,
    pinned_version         VARCHAR(80),
    paused                 BOOLEAN       DEFAULT FALSE NOT NULL,
    halted_at              TIMESTAMP WITH TIME ZONE,
    halted_reason          VARCHAR(1000),
    updating_connector_id  VARCHAR(36),
    updating_from          VARCHAR(80),
    updating_to            VARCHAR(80),
    updating_since         TIMESTAMP WITH TIME ZONE,
    CONSTRAINT fk_connector_update_rollout_group FOREIGN KEY (group_id) REFERENCES connector_group (id) ON DELETE CASCADE
);
-- What each connector last reported about updating itself.
ALTER TABLE connector ADD COLUMN update_state VARCHAR(16) DEFAULT 'IDLE' NOT NULL;
ALTER TABLE connector ADD COLUMN attempted_version VARCHAR(80);
ALTER TABLE connector ADD COLUMN update_error VARCHAR(500);
ALTER TABLE connector ADD COLUMN update_reported_at TIMESTAMP WITH TIME ZONE;
