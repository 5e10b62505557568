package io.leakdetector.app.ml;

import io.leakdetector.app.store.TestDatabase;
import java.nio.file.Path;

/** {@link MlJobsContract} on the embedded H2 file database. */
class MlJobsH2Test extends MlJobsContract {
    @Override
    protected TestDatabase database(Path tmp) {
        return TestDatabase.h2(tmp);
    }
}
