-- Issue 14, scale-out: the secrets every node of a cluster shares (server CA, connector CA, token-signing keys, the admin
-- credential's hash, the data key, the update-signing key), each sealed with the cluster key (AES-256-GCM, its name as
-- associated data). key_id names the cluster key that sealed it (an HMAC of a fixed label, not the key), so a node with
-- another key is told so rather than that the row is damaged. Empty unless the nodes are given a cluster key.
CREATE TABLE cluster_secret (
    name       VARCHAR(64)    NOT NULL PRIMARY KEY,
    key_id     VARCHAR(16)    NOT NULL,
    sealed     VARCHAR(65536) NOT NULL,
    updated_at TIMESTAMP WITH TIME ZONE NOT NULL
);
