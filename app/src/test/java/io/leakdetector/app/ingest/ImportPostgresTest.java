package io.leakdetector.app.ingest;

import io.leakdetector.app.store.TestDatabase;
import java.nio.file.Path;

/** {@link ImportContract} on PostgreSQL (LEAK_TEST_PG_URL), in a schema of its own per test. */
class ImportPostgresTest extends ImportContract {
    @Override
    protected TestDatabase database(Path tmp) {
        return TestDatabase.postgres();
    }
}
