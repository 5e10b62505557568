package io.leakdetector.app.store;

import java.nio.file.Path;

/** {@link SchemaContract} on the embedded H2 file database. */
class SchemaH2Test extends SchemaContract {
    @Override
    protected TestDatabase database(Path tmp) {
        return TestDatabase.h2(tmp);
    }
}
