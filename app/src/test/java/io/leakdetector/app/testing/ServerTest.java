package io.leakdetector.app.testing;

import io.leakdetector.app.LeakDetectorApplication;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * A full server on a random port over an in-memory H2 store. Every full-server test uses exactly these settings so
 * that Spring starts one context for all of them (tests use unique ids and compare counts before and after).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(classes = LeakDetectorApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {ServerTest.ADMIN_PASSWORD_PROPERTY, "leak.web.max-json-bytes=1048576",
                "leak.webhooks.stripe-secret=" + ServerTest.STRIPE_SECRET,
                "leak.webhooks.razorpay-secret=" + ServerTest.RAZORPAY_SECRET,
                "spring.datasource.url=jdbc:h2:mem:server-tests;DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH"})
public @interface ServerTest {
    String ADMIN_PASSWORD = "admin-secret-123";
    String ADMIN_PASSWORD_PROPERTY = "leak.security.admin-password=" + ADMIN_PASSWORD;
    String STRIPE_SECRET = "whsec_test_secret";
    String RAZORPAY_SECRET = "rzp_test_secret";
    long MAX_JSON_BYTES = 1048576;
}
