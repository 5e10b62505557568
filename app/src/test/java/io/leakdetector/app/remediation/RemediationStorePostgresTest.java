package io.leakdetector.app.remediation;

import io.leakdetector.app.store.TestDatabase;
import java.nio.file.Path;

/** {@link RemediationStoreContract} on PostgreSQL. */
class RemediationStorePostgresTest extends RemediationStoreContract {
    @Override
    protected TestDatabase database(Path dir) {
        return TestDatabase.postgres();
    }
}
