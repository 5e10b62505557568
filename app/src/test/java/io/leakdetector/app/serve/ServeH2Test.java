package io.leakdetector.app.serve;

import io.leakdetector.app.LeakDetectorApplication;
import io.leakdetector.app.store.StoreSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link ServeContract} on the embedded H2 file database, in a temporary data directory. */
@SpringBootTest(classes = LeakDetectorApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ServeH2Test extends ServeContract {
    @DynamicPropertySource
    static void store(DynamicPropertyRegistry registry) throws IOException {
        Path dir = Files.createTempDirectory("leak-serve-h2-");
        dir.toFile().deleteOnExit();
        StoreSettings s = StoreSettings.h2(dir);
        registry.add("spring.datasource.url", s::url);
        registry.add("spring.datasource.username", s::user);
        registry.add("spring.datasource.password", s::password);
    }
}
