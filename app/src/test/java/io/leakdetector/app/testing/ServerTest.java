package io.leakdetector.app.testing;

import io.leakdetector.app.LeakDetectorApplication;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A full server on a random port over the test store (H2 in memory, or PostgreSQL: see {@link TestStore}). Every full-server test uses exactly these settings so
 * that Spring starts one context for all of them (tests use unique ids and compare counts before and after).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = LeakDetectorApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {ServerTest.ADMIN_PASSWORD_PROPERTY, "leak.web.max-json-bytes=1048576",
                "leak.webhooks.stripe-secret=" + ServerTest.STRIPE_SECRET,
                "leak.webhooks.razorpay-secret=" + ServerTest.RAZORPAY_SECRET,
                "spring.datasource.url=${leak.test.db.url}", "spring.datasource.username=${leak.test.db.user:sa}",
                "spring.datasource.password=${leak.test.db.password:}"})
@ExtendWith(TestStore.class)
public @interface ServerTest {
    String ADMIN_PASSWORD = "admin-secret-123";
    String ADMIN_PASSWORD_PROPERTY = "leak.security.admin-password=" + ADMIN_PASSWORD;
    String STRIPE_SECRET = "whsec_test_secret";
    String RAZORPAY_SECRET = "rzp_test_secret";
    long MAX_JSON_BYTES = 1048576;
}
