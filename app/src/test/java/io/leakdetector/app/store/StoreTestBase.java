package io.leakdetector.app.store;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A store contract test: each test gets a fresh, migrated store on the database its subclass names (H2 in a
 * temporary directory, or a fresh PostgreSQL schema), closed and dropped after the test.
 */
public abstract class StoreTestBase {
    @TempDir
    protected Path tmp;

    protected TestDatabase db;
    protected Store store;

    protected abstract TestDatabase database(Path dir);

    @BeforeEach
    void openStore() {
        db = database(tmp.resolve("db"));
        store = Store.open(db.settings());
    }

    @AfterEach
    void closeStore() {
        if (store != null) store.close();
        if (db != null) db.close();
    }
}
