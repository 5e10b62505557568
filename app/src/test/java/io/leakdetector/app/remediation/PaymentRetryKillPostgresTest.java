package io.leakdetector.app.remediation;

import io.leakdetector.app.store.TestDatabase;
import java.nio.file.Path;

/** {@link PaymentRetryKillContract} on PostgreSQL (skipped with the reason printed when none answers, failed under CI=true). */
class PaymentRetryKillPostgresTest extends PaymentRetryKillContract {
    @Override
    TestDatabase database(Path dir) {
        return TestDatabase.postgres();
    }
}
