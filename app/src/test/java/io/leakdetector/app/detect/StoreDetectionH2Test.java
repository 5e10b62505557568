package io.leakdetector.app.detect;

import io.leakdetector.app.store.TestDatabase;
import java.nio.file.Path;

/** {@link StoreDetectionContract} on the embedded H2 file database. */
class StoreDetectionH2Test extends StoreDetectionContract {
    @Override
    protected TestDatabase database(Path tmp) {
        return TestDatabase.h2(tmp);
    }
}
