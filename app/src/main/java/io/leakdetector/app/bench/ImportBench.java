package io.leakdetector.app.bench;

import io.leakdetector.app.ingest.ImportCounts;
import io.leakdetector.app.ingest.ImportResult;
import io.leakdetector.app.ingest.Importer;
import io.leakdetector.app.store.Store;
import io.leakdetector.app.store.StoreSettings;
import io.leakdetector.core.ingest.DataFileReader;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.ingest.EntitySchema;
import io.leakdetector.core.ingest.Parsed;
import io.leakdetector.core.ingest.Rejection;
import io.leakdetector.core.ingest.RowHandler;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code leak-detector bench import}: writes a synthetic data directory, then measures (1) parse + validate on one
 * thread through core's DataFileReader and (2) loading it into a fresh store (H2 file or a new PostgreSQL schema),
 * and a re-import of the same directory (all duplicates). Prints every run and the median.
 */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Measures parse+validate rows/s (one thread) and import rows/s into H2 or PostgreSQL.",
                "PostgreSQL: LEAK_DB_URL (+ LEAK_DB_USER, LEAK_DB_PASSWORD), else LEAK_TEST_PG_URL, else"
                        + " jdbc:postgresql://127.0.0.1:5432/test as postgres; each run uses a new schema, dropped after."})
public final class ImportBench implements Callable<Integer> {
    @Option(names = "--rows", paramLabel = "N", defaultValue = "200000",
            description = "invoices in the synthetic directory (total rows are about 4.4 × N; default 200000)")
    int invoices;

    @Option(names = "--db", paramLabel = "h2|postgres", defaultValue = "h2", description = "store to load into (default h2)")
    String db;

    @Option(names = "--runs", paramLabel = "R", defaultValue = "5", description = "measured runs of each phase (default 5)")
    int runs;

    @Option(names = "--skip-load", description = "measure parse + validate only")
    boolean skipLoad;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!db.equals("h2") && !db.equals("postgres")) throw new IllegalArgumentException("--db must be h2 or postgres");
        Path work = Files.createTempDirectory("leak-bench-");
        try {
            Path data = work.resolve("data");
            Map<EntityKind, Long> written = SyntheticDirectory.write(data, invoices);
            long total = written.values().stream().mapToLong(Long::longValue).sum();
            out.printf(Locale.ROOT, "synthetic directory: %d invoices, %d rows in %d files (%s), Java %s, %d cpus%n",
                    invoices, total, written.size(), human(sizeOf(data)), System.getProperty("java.version"),
                    Runtime.getRuntime().availableProcessors());

            parse(out, data, written.get(EntityKind.INVOICES), EntityKind.INVOICES);
            parseAll(out, data, total);
            if (!skipLoad) load(out, data, total, work);
            out.flush();
            return 0;
        } finally {
            deleteTree(work);
        }
    }

    private void parse(PrintWriter out, Path data, long rows, EntityKind kind) {
        Path file = data.resolve(kind.fileName());
        EntitySchema<?> schema = kind.schema();
        readAll(file, schema); // warm-up
        double[] rates = new double[runs];
        double[] cpuRates = new double[runs];
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            long c0 = THREADS.getCurrentThreadCpuTime();
            long n = readAll(file, schema);
            cpuRates[r] = n / ((THREADS.getCurrentThreadCpuTime() - c0) / 1e9);
            rates[r] = n / seconds(t0);
            if (n != rows) throw new IllegalStateException("read " + n + " rows of " + rows);
        }
        report(out, "parse+validate " + kind.fileName() + " (1 thread), wall", rates);
        report(out, "parse+validate " + kind.fileName() + " per thread-CPU-s", cpuRates);
    }

    private void parseAll(PrintWriter out, Path data, long total) {
        double[] rates = new double[runs];
        double[] cpuRates = new double[runs];
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            long c0 = THREADS.getCurrentThreadCpuTime();
            long n = 0;
            for (EntityKind k : EntityKind.values()) n += readAll(data.resolve(k.fileName()), k.schema());
            cpuRates[r] = n / ((THREADS.getCurrentThreadCpuTime() - c0) / 1e9);
            rates[r] = n / seconds(t0);
            if (n != total) throw new IllegalStateException("read " + n + " rows of " + total);
        }
        report(out, "parse+validate all files (1 thread), wall", rates);
        report(out, "parse+validate all files per thread-CPU-s", cpuRates);
    }

    private static <T> long readAll(Path file, EntitySchema<T> schema) {
        long[] n = {0};
        DataFileReader.read(file, schema, new RowHandler<T>() {
            @Override
            public void accepted(Parsed<T> row) {
                n[0]++;
            }

            @Override
            public void rejected(Rejection rejection) {
                throw new IllegalStateException("synthetic row rejected: " + rejection.describe());
            }
        });
        return n[0];
    }

    private void load(PrintWriter out, Path data, long total, Path work) {
        double[] first = new double[runs];
        double[] firstCpu = new double[runs];
        double[] again = new double[runs];
        for (int r = 0; r < runs; r++) {
            try (BenchStore target = BenchStore.create(db, work.resolve("db-" + r)); Store store = Store.open(target.settings)) {
                long t0 = System.nanoTime();
                long c0 = processCpuNanos();
                ImportResult result = new Importer(store).importDirectory(data);
                first[r] = total / seconds(t0);
                firstCpu[r] = total / ((processCpuNanos() - c0) / 1e9);
                check(result.total(), total, total, 0);
                t0 = System.nanoTime();
                ImportResult second = new Importer(store).importDirectory(data);
                again[r] = total / seconds(t0);
                check(second.total(), total, 0, total);
            }
        }
        report(out, "import into empty " + db + ", wall", first);
        report(out, "import into empty " + db + " per JVM-CPU-s" + (db.equals("h2") ? "" : " (server not counted)"), firstCpu);
        report(out, "re-import, all duplicates, " + db + ", wall", again);
    }

    private static void check(ImportCounts c, long read, long imported, long duplicates) {
        if (c.read() != read || c.imported() != imported || c.duplicates() != duplicates || c.rejected() != 0) {
            throw new IllegalStateException("unexpected counts " + c);
        }
    }

    private static void report(PrintWriter out, String what, double[] rates) {
        double[] sorted = rates.clone();
        Arrays.sort(sorted);
        double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
        StringBuilder all = new StringBuilder();
        for (double r : rates) all.append(all.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "%,.0f", r));
        out.printf(Locale.ROOT, "%-58s median %,10.0f rows/s   runs: %s%n", what, median, all);
        out.flush();
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /** CPU time of the whole JVM (all threads, GC and JIT included), in nanoseconds. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static String human(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            List<Path> all = new ArrayList<>(s.sorted(Comparator.reverseOrder()).toList());
            for (Path p : all) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fresh, empty store for one measured run. */
    static final class BenchStore implements AutoCloseable {
        final StoreSettings settings;
        private final Runnable drop;

        private BenchStore(StoreSettings settings, Runnable drop) {
            this.settings = settings;
            this.drop = drop;
        }

        static BenchStore create(String db, Path dir) {
            if (db.equals("h2")) return new BenchStore(StoreSettings.h2(dir), () -> {});
            String url = env("LEAK_DB_URL", env("LEAK_TEST_PG_URL", "jdbc:postgresql://127.0.0.1:5432/test"));
            String user = env("LEAK_DB_USER", env("LEAK_TEST_PG_USER", "postgres"));
            String password = env("LEAK_DB_PASSWORD", env("LEAK_TEST_PG_PASSWORD", ""));
            String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
            sql(url, user, password, "CREATE SCHEMA " + schema);
            String schemaUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
            return new BenchStore(new StoreSettings(schemaUrl, user, password),
                    () -> sql(url, user, password, "DROP SCHEMA " + schema + " CASCADE"));
        }

        /** A PostgreSQL store that exists already (LEAK_DB_USER / LEAK_DB_PASSWORD): used as it is, never dropped. */
        static BenchStore existing(String url) {
            return new BenchStore(new StoreSettings(url, env("LEAK_DB_USER", "postgres"), env("LEAK_DB_PASSWORD", "")), () -> {});
        }

        private static void sql(String url, String user, String password, String statement) {
            try (Connection c = DriverManager.getConnection(url, user, password); Statement st = c.createStatement()) {
                st.execute(statement);
            } catch (SQLException e) {
                throw new IllegalStateException(statement + " on " + url + ": " + e.getMessage(), e);
            }
        }

        private static String env(String name, String fallback) {
            String v = System.getenv(name);
            return v == null || v.isBlank() ? fallback : v;
        }

        @Override
        public void close() {
            drop.run();
        }
    }
}
