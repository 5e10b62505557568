package io.leakdetector.app.remediation;

import io.leakdetector.app.store.TestDatabase;
import java.nio.file.Path;

/** {@link PaymentRetryKillContract} on the embedded H2 file database (the child reaches it through H2's auto server). */
class PaymentRetryKillH2Test extends PaymentRetryKillContract {
    @Override
    TestDatabase database(Path dir) {
        return TestDatabase.h2(dir);
    }
}
