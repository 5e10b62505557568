package io.leakdetector.app.store;

import java.nio.file.Path;

/** {@link SchemaContract} on PostgreSQL (LEAK_TEST_PG_URL), in a schema of its own per test. */
class SchemaPostgresTest extends SchemaContract {
    @Override
    protected TestDatabase database(Path tmp) {
        return TestDatabase.postgres();
    }
}
