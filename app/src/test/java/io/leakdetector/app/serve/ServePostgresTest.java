package io.leakdetector.app.serve;

import io.leakdetector.app.LeakDetectorApplication;
import io.leakdetector.app.store.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link ServeContract} on PostgreSQL (LEAK_TEST_PG_URL), in a schema of its own dropped after the class. */
@SpringBootTest(classes = LeakDetectorApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ServePostgresTest extends ServeContract {
    static TestDatabase db;

    @BeforeAll
    static void createSchema() {
        db = TestDatabase.postgres(); // skips the class (or fails under CI=true) when no server answers
    }

    @AfterAll
    static void dropSchema() {
        if (db != null) db.close();
    }

    @DynamicPropertySource
    static void store(DynamicPropertyRegistry registry) {
        // suppliers: read when the context starts, which is after @BeforeAll
        registry.add("spring.datasource.url", () -> db.settings().url());
        registry.add("spring.datasource.username", () -> db.settings().user());
        registry.add("spring.datasource.password", () -> db.settings().password());
    }
}
