-- Issue 14: the proxy-server nodes sharing this database. Each node writes its row at start (a fresh id per process), beats
-- every few seconds, marks itself draining when it stops and deletes its row last. Connectors are told the tunnel URLs of
-- the live ones (a beat newer than the stated limit, not draining) and keep tunnels to each (docs/scale-out.md).
CREATE TABLE cluster_node (
    id           VARCHAR(64)   PRIMARY KEY,
    name         VARCHAR(255)  NOT NULL,
    tunnel_url   VARCHAR(2048) NOT NULL,
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL,
    draining     BOOLEAN       DEFAULT FALSE NOT NULL
);
CREATE INDEX cluster_node_heartbeat ON cluster_node (heartbeat_at);
