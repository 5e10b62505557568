package io.leakdetector.app.demo;

import io.leakdetector.app.serve.ServeCommand;
import io.leakdetector.app.store.Store;
import io.leakdetector.app.store.StoreSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code leak-detector demo}: a generated company in a fresh embedded store, detected, served — the dashboard to
 * look at in one command. Prints the URL and the admin login.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Generates a synthetic company (customers × months ending this month), imports it into a fresh embedded "
                + "H2 store, runs detection (weekly over the last 12 weeks, then as of the data's end) and the ANOMALY pass, then starts the "
                + "service and prints the URL and the admin login.",
                "The store is a new temporary directory unless --data names an empty one."})
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--port", paramLabel = "P", description = "HTTP port (default: $PORT, else 8080; 0 picks a free one)")
    Integer port;

    @Option(names = "--customers", paramLabel = "N", defaultValue = "300", description = "customers to generate (default 300)")
    int customers;

    @Option(names = "--months", paramLabel = "M", defaultValue = "12", description = "months of history (default 12)")
    int months;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "generator seed (default 1)")
    long seed;

    @Option(names = "--data", paramLabel = "DIR", description = "an empty or new directory for the H2 store (default: a temporary one)")
    Path data;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Path dataDir = data != null ? data : Files.createTempDirectory("leak-demo-");
        if (Files.isDirectory(dataDir)) {
            try (var files = Files.list(dataDir)) {
                if (files.findAny().isPresent()) {
                    throw new IllegalArgumentException("--data " + dataDir + " is not empty; the demo needs a fresh store");
                }
            }
        }
        Files.createDirectories(dataDir);
        Path world = Files.createTempDirectory("leak-demo-world-");
        StoreSettings settings = StoreSettings.h2(dataDir);
        long t0 = System.nanoTime();
        try (Store store = Store.open(settings)) {
            DemoStore.Built b = DemoStore.build(store, world, customers, months, seed, out);
            out.printf("%d findings (%d anomalies with SHAP contributions), %d reviewed by a simulated analyst; store ready in %.1f s%n",
                    b.findings(), b.anomalies(), b.labelled(), (System.nanoTime() - t0) / 1e9);
        }
        String password = password();
        var context = ServeCommand.start(settings, port, "--leak.security.admin-password=" + password);
        String actualPort = context.getEnvironment().getProperty("local.server.port", String.valueOf(port));
        out.println();
        out.println("Leak Detector demo: http://localhost:" + actualPort + "/");
        out.println("  log in as: admin");
        out.println("  password:  " + password);
        out.println("  store:     " + dataDir + " (generated data in " + world + ")");
        out.println("Stop it with Ctrl-C.");
        out.flush();
        ServeCommand.awaitClose(context);
        return 0;
    }

    private static String password() {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
