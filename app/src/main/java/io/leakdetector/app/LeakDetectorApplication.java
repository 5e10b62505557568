package io.leakdetector.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The Spring Boot service: storage, import, API and dashboard. Started by the {@code serve} command. */
@SpringBootApplication
public class LeakDetectorApplication {
}
