-- One row that every admin change able to take a global administrator away (disable, delete, a role change) locks
-- (SELECT ... FOR UPDATE) from its check to its end, on every node: the rule that one enabled global administrator
-- stays then holds for the whole cluster, not only for the changes one node serves.

CREATE TABLE admin_change_lock (
    id INTEGER NOT NULL PRIMARY KEY
);

INSERT INTO admin_change_lock (id) VALUES (1);
