package io.leakdetector.app.remediation;

import io.leakdetector.app.store.TestDatabase;
import java.nio.file.Path;

/** {@link RemediationStoreContract} on H2. */
class RemediationStoreH2Test extends RemediationStoreContract {
    @Override
    protected TestDatabase database(Path dir) {
        return TestDatabase.h2(dir);
    }
}
