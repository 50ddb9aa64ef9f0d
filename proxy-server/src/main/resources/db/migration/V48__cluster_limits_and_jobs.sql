-- Issue 14 (several nodes on one PostgreSQL): what each node tells the others so that throttles hold across the cluster, and
-- the leases that make a background job run on one node at a time.

-- Each node's recent demand (requests a second it was asked to admit) and admitted rate, per throttle scope ('global',
-- 'app:<app id>'), upserted every sync interval; rows not updated for a few intervals are ignored, and removed after a minute.
-- Times are the database's (CURRENT_TIMESTAMP): nodes' clocks never compare.
CREATE TABLE throttle_share (
    node_id    VARCHAR(64) NOT NULL,
    scope      VARCHAR(64) NOT NULL,
    demand     DOUBLE PRECISION NOT NULL,
    admitted   DOUBLE PRECISION NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (node_id, scope)
);
CREATE INDEX ix_throttle_share_updated ON throttle_share (updated_at);

-- A background job's lease: the node running it (holder, NULL when none) until expires_at, renewed while it runs; when it
-- last finished and on which node. A job is due when its period has passed since it last finished.
CREATE TABLE job_lease (
    name             VARCHAR(64) NOT NULL PRIMARY KEY,
    holder           VARCHAR(64),
    expires_at       TIMESTAMP WITH TIME ZONE,
    last_started_at  TIMESTAMP WITH TIME ZONE,
    last_finished_at TIMESTAMP WITH TIME ZONE,
    last_holder      VARCHAR(64)
);
