package io.leakdetector.app.ingest;

import io.leakdetector.app.store.TestDatabase;
import java.nio.file.Path;

/** {@link ImportKillContract} on the embedded H2 file database. */
class ImportKillH2Test extends ImportKillContract {
    @Override
    TestDatabase database(Path tmp) {
        return TestDatabase.h2(tmp);
    }
}
