package dev.drawbridge.proxy.admin;

import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.PostgresTestDatabase;

/** The last global administrator stays on PostgreSQL too, where two nodes may race (row locks under READ COMMITTED). */
class PostgresAdminRoleStoreTest extends AdminRoleStoreTest {
    @Override
    Database database() throws Exception {
        return PostgresTestDatabase.fresh();
    }
}
