package io.leakdetector.app.ingest;

import io.leakdetector.app.store.TestDatabase;
import java.nio.file.Path;

/** {@link ImportContract} on the embedded H2 file database. */
class ImportH2Test extends ImportContract {
    @Override
    protected TestDatabase database(Path tmp) {
        return TestDatabase.h2(tmp);
    }
}
