package io.leakdetector.app.realtime;

import io.leakdetector.app.store.TestDatabase;
import java.nio.file.Path;

/** {@link RealtimeKillContract} on PostgreSQL (LEAK_TEST_PG_URL), in a schema of its own. */
class RealtimeKillPostgresTest extends RealtimeKillContract {
    @Override
    TestDatabase database(Path tmp) {
        return TestDatabase.postgres();
    }
}
