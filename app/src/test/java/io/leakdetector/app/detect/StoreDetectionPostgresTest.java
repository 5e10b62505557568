package io.leakdetector.app.detect;

import io.leakdetector.app.store.TestDatabase;
import java.nio.file.Path;

/** {@link StoreDetectionContract} on PostgreSQL (skipped with a reason when none answers, a failure under CI=true). */
class StoreDetectionPostgresTest extends StoreDetectionContract {
    @Override
    protected TestDatabase database(Path tmp) {
        return TestDatabase.postgres();
    }
}
