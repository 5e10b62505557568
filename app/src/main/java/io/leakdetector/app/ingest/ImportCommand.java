package io.leakdetector.app.ingest;

import io.leakdetector.app.detect.StoreDetection;
import io.leakdetector.app.store.Store;
import io.leakdetector.app.store.StoreOptions;
import io.leakdetector.app.store.StoreUnavailableException;
import io.leakdetector.core.ingest.FileFormatException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code leak-detector import DIR}: loads a data directory into the store without starting Spring. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Loads the CSV files of a data directory into the store (H2 in --data, or PostgreSQL via LEAK_DB_URL).",
                "Every row is imported, counted as a duplicate, or rejected with file, line, column and reason;"
                        + " read = imported + rejected + duplicates. Running it again changes nothing.",
                "Exit codes: 0 done (also with rejected rows), 2 bad directory or file format, 1 store failure."})
public final class ImportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "data directory (customers.csv, invoices.csv, …)")
    Path dir;

    @Option(names = "--json", description = "print one JSON object: files → {read, imported, rejected, duplicates}, total")
    boolean json;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "5000", description = "rows per transaction (default 5000)")
    int batchSize;

    @Option(names = "--no-detect", description = "skip the detection that runs over the whole store after the import")
    boolean noDetect;

    @Mixin
    StoreOptions storeOptions;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (Store store = Store.open(storeOptions.settings())) {
            ProgressPrinter progress = new ProgressPrinter(err);
            ImportResult result = new Importer(store, batchSize, progress).importDirectory(dir);
            StoreDetection.Result detection = null;
            if (!noDetect) {
                err.println("detecting leaks over the whole store ...");
                err.flush();
                // Money that arrived with this import marks its findings recovered.
                detection = DetectCommand.run(store).detection();
            }
            if (json) {
                String counts = result.toJson();
                out.println(detection == null ? counts : counts.substring(0, counts.length() - 1) + ",\"detection\":"
                        + detectionJson(detection) + "}");
            } else {
                printTable(out, result);
                if (detection != null) {
                    out.printf("detection as of %s: %d customers judged, %d findings (%d new, %d updated)%n",
                            detection.asOf(), detection.customers(), detection.findings(), detection.created(), detection.updated());
                }
            }
            out.flush();
            return 0;
        } catch (FileFormatException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return 2;
        } catch (StoreUnavailableException e) {
            err.println("error: " + e.getMessage());
            return 1;
        }
    }

    private static String detectionJson(StoreDetection.Result d) {
        return "{\"as_of\":" + (d.asOf() == null ? "null" : "\"" + d.asOf() + "\"") + ",\"customers\":" + d.customers()
                + ",\"findings\":" + d.findings() + ",\"new\":" + d.created() + ",\"updated\":" + d.updated() + "}";
    }

    private static void printTable(PrintWriter out, ImportResult result) {
        out.printf("import %d%n", result.importId());
        out.printf("%-26s %12s %12s %12s %12s%n", "file", "read", "imported", "rejected", "duplicates");
        for (Map.Entry<String, ImportCounts> e : result.files().entrySet()) {
            row(out, e.getKey(), e.getValue());
        }
        row(out, "total", result.total());
        if (result.total().rejected() > 0) {
            out.printf("%d rows rejected; list them with: leak-detector rejected --import %d --out rejected.csv%n",
                    result.total().rejected(), result.importId());
        }
    }

    private static void row(PrintWriter out, String name, ImportCounts c) {
        out.printf("%-26s %12d %12d %12d %12d%n", name, c.read(), c.imported(), c.rejected(), c.duplicates());
    }

    /** Progress on stderr (stdout stays clean for --json): at most one line a second, plus one per finished file. */
    static final class ProgressPrinter implements Importer.Listener {
        private final PrintWriter err;
        private long lastPrint = System.nanoTime();

        ProgressPrinter(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void batchCommitted(long importId, String file, ImportCounts c) {
            long now = System.nanoTime();
            if (now - lastPrint >= 1_000_000_000L) {
                lastPrint = now;
                print("progress", file, c);
            }
        }

        @Override
        public void fileCompleted(long importId, String file, ImportCounts c) {
            print("done", file, c);
        }

        private void print(String what, String file, ImportCounts c) {
            err.printf("%s %s: read %d, imported %d, rejected %d, duplicates %d%n", what, file, c.read(), c.imported(),
                    c.rejected(), c.duplicates());
            err.flush();
        }
    }
}
