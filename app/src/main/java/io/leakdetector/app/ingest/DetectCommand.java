package io.leakdetector.app.ingest;

import io.leakdetector.app.detect.StoreDetection;
import io.leakdetector.app.remediation.RemediationHooks;
import io.leakdetector.app.store.Store;
import io.leakdetector.app.store.StoreOptions;
import io.leakdetector.app.store.StoreUnavailableException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code leak-detector detect}: runs the store detection that {@code import} runs after loading, on its own — after a
 * change of the detector settings, or to time it (it prints the seconds it took).
 */
@Command(name = "detect", mixinStandardHelpOptions = true,
        description = {"Judges every customer in the store again (H2 in --data, or PostgreSQL via LEAK_DB_URL) with the"
                + " current detector settings, and saves the findings (an analyst's status survives).",
                "Exit codes: 0 done, 1 store failure."})
public final class DetectCommand implements Callable<Integer> {
    @Mixin
    StoreOptions storeOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Store store = Store.open(storeOptions.settings())) {
            Run r = run(store);
            StoreDetection.Result d = r.detection();
            out.printf(Locale.ROOT, "detection as of %s: %d customers judged, %d findings (%d new, %d updated) in %.1f s;"
                            + " %d recovered (checked in %.1f s)%n", d.asOf(), d.customers(), d.findings(), d.created(), d.updated(),
                    r.detectNanos() / 1e9, r.recovered(), r.sweepNanos() / 1e9);
            out.flush();
            return 0;
        } catch (StoreUnavailableException e) {
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 1;
        }
    }

    /** What a detection over the store found, how many findings the money that arrived marked recovered, and the times. */
    record Run(StoreDetection.Result detection, int recovered, long detectNanos, long sweepNanos) {}

    /**
     * Judges every customer in the store, with outbound events and auto-started playbooks as durable jobs the server
     * runs; then money that has arrived marks its findings recovered. {@code import} runs this after loading.
     */
    static Run run(Store store) {
        long t0 = System.nanoTime();
        StoreDetection.Result d = new StoreDetection(store.dataSource(), RemediationHooks.findingEvents(store)).run(null);
        long t1 = System.nanoTime();
        int recovered = RemediationHooks.recoveries(store).sweep().size();
        return new Run(d, recovered, t1 - t0, System.nanoTime() - t1);
    }
}
