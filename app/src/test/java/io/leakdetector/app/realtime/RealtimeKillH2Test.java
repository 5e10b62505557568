package io.leakdetector.app.realtime;

import io.leakdetector.app.store.TestDatabase;
import java.nio.file.Path;

/** {@link RealtimeKillContract} on the embedded H2 file database. */
class RealtimeKillH2Test extends RealtimeKillContract {
    @Override
    TestDatabase database(Path tmp) {
        return TestDatabase.h2(tmp);
    }
}
