package io.leakdetector.app.serve;

import io.leakdetector.app.LeakDetectorApplication;
import io.leakdetector.app.store.StoreOptions;
import io.leakdetector.app.store.StoreSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code leak-detector serve}: starts the Spring Boot service on the embedded store or PostgreSQL. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Starts the service: the dashboard at /, the API under /api/v1, /actuator/health and /actuator/prometheus.",
                "The store is H2 in --data (or $LEAK_DATA_DIR, ./data), or PostgreSQL when LEAK_DB_URL is set."})
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "P", description = "HTTP port (default: $PORT, else 8080)")
    Integer port;

    @Mixin
    StoreOptions storeOptions;

    @Override
    public Integer call() {
        StoreSettings settings = storeOptions.settings();
        ConfigurableApplicationContext context = start(settings, port);
        String actualPort = context.getEnvironment().getProperty("local.server.port", String.valueOf(port));
        System.out.println("Leak Detector is serving on http://localhost:" + actualPort + "/"
                + "  (health: /actuator/health, metrics: /actuator/prometheus; store: " + settings.describe() + ")");
        System.out.println("Stop it with Ctrl-C.");
        awaitClose(context);
        return 0;
    }

    /** Main calls System.exit with the command's return value, so stay here until the service is shut down (SIGTERM, Ctrl-C). */
    public static void awaitClose(ConfigurableApplicationContext context) {
        CountDownLatch closed = new CountDownLatch(1);
        context.addApplicationListener((ApplicationListener<ContextClosedEvent>) e -> closed.countDown());
        if (!context.isActive()) return;
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the service on {@code store}; the port defaults to application.properties' server.port. */
    public static ConfigurableApplicationContext start(StoreSettings store, Integer port, String... extraProperties) {
        List<String> args = new ArrayList<>(List.of(arguments(store, port)));
        args.addAll(List.of(extraProperties));
        return new SpringApplication(LeakDetectorApplication.class).run(args.toArray(String[]::new));
    }

    /**
     * The store and port as command-line properties, which take precedence over application.properties (whose
     * defaults describe the embedded store for a plain {@code java -jar} start).
     */
    static String[] arguments(StoreSettings store, Integer port) {
        List<String> args = new ArrayList<>();
        args.add("--spring.datasource.url=" + store.url());
        args.add("--spring.datasource.username=" + store.user());
        args.add("--spring.datasource.password=" + store.password());
        // PostgreSQL's driver sends a JDBC batch of INSERTs as multi-row INSERTs (one statement, one round trip per
        // batch of records or findings) instead of one statement each; H2 would reject the setting.
        if (store.postgres() && !store.url().contains("reWriteBatchedInserts")) {
            args.add("--spring.datasource.hikari.data-source-properties.reWriteBatchedInserts=true");
        }
        if (port != null) args.add("--server.port=" + port);
        return args.toArray(String[]::new);
    }
}
