package io.leakdetector.app.ml;

import io.leakdetector.app.store.TestDatabase;
import java.nio.file.Path;

/** {@link MlJobsContract} on PostgreSQL (skipped with the reason printed when none answers, a failure under CI=true). */
class MlJobsPostgresTest extends MlJobsContract {
    @Override
    protected TestDatabase database(Path tmp) {
        return TestDatabase.postgres();
    }
}
