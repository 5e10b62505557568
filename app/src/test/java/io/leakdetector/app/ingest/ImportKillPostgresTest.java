package io.leakdetector.app.ingest;

import io.leakdetector.app.store.TestDatabase;
import java.nio.file.Path;

/** {@link ImportKillContract} on PostgreSQL (LEAK_TEST_PG_URL), in a schema of its own. */
class ImportKillPostgresTest extends ImportKillContract {
    @Override
    TestDatabase database(Path tmp) {
        return TestDatabase.postgres();
    }
}
