package dev.drawbridge.proxy.registration;

import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.PostgresTestDatabase;

import java.nio.file.Path;

/** The renewal retry rules on PostgreSQL too, where racing renewals meet row locks under READ COMMITTED. */
class PostgresRenewalRetryTest extends RenewalRetryTest {
    @Override
    Database database(Path dataDir) throws Exception {
        return PostgresTestDatabase.fresh();
    }
}
