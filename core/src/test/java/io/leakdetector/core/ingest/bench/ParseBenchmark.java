package io.leakdetector.core.ingest.bench;

import io.leakdetector.core.ingest.DataFileReader;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.ingest.EntitySchema;
import io.leakdetector.core.ingest.Parsed;
import io.leakdetector.core.ingest.Rejection;
import io.leakdetector.core.ingest.RowHandler;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Parse + validate throughput of {@link DataFileReader} on one thread: rows per second for generated
 * invoices.csv and invoice_lines.csv (the two largest files of a data directory). Not a unit test: run it by
 * hand (command in BENCHMARKS.md) and record the medians there.
 *
 * <p>Arguments: [rows per file, default 1,000,000] [measured runs, default 5] [directory, default target/bench].
 */
public final class ParseBenchmark {
    private static final String[] CURRENCIES = {"USD", "USD", "USD", "USD", "USD", "USD", "EUR", "EUR", "GBP", "JPY"};

    public static void main(String[] args) throws IOException {
        int rows = args.length > 0 ? Integer.parseInt(args[0].replace("_", "").replace(",", "")) : 1_000_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Path.of(args.length > 2 ? args[2] : "target/bench").resolve(rows + "-rows");
        Files.createDirectories(dir);
        Path invoices = dir.resolve("invoices.csv");
        Path lines = dir.resolve("invoice_lines.csv");
        // The generator is seeded, so files of the same size from an earlier run are the same files.
        if (!Files.exists(invoices)) writeInvoices(invoices, rows);
        if (!Files.exists(lines)) writeLines(lines, rows);
        System.out.printf(Locale.ROOT, "java %s, %s; %,d rows per file, %d warm-up + %d measured runs each%n",
                System.getProperty("java.version"), System.getProperty("java.vm.name"), rows, 2, runs);
        measure(invoices, EntityKind.INVOICES.schema(), runs);
        measure(lines, EntityKind.INVOICE_LINES.schema(), runs);
    }

    private static <T> void measure(Path file, EntitySchema<T> schema, int runs) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        double[] wall = new double[runs];
        double[] cpu = new double[runs];
        double[] proc = new double[runs];
        for (int r = -2; r < runs; r++) { // two warm-up runs let the JIT compile the hot path
            Counter<T> counter = new Counter<>();
            long p0 = processCpuNanos();
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            DataFileReader.FileCounts counts = DataFileReader.read(file, schema, counter);
            long nanos = System.nanoTime() - t0;
            long cpuNanos = threads.getCurrentThreadCpuTime() - c0;
            long procNanos = processCpuNanos() - p0;
            if (counts.rejected() != 0) throw new IllegalStateException(counter.firstRejection.describe());
            if (r >= 0) {
                wall[r] = counts.read() / (nanos / 1e9);
                cpu[r] = counts.read() / (cpuNanos / 1e9);
                proc[r] = counts.read() / (procNanos / 1e9);
            }
            if (counter.checksum == 42) System.out.print(""); // keep the records alive
        }
        Arrays.sort(wall);
        Arrays.sort(cpu);
        Arrays.sort(proc);
        // Wall time suffers when other processes share the cores; CPU time does not (as much). Process CPU
        // adds the garbage collector's and the JIT compiler's threads to the reading thread.
        System.out.printf(Locale.ROOT, "%-18s median rows/s: wall %,9.0f (min %,.0f, max %,.0f)   "
                        + "reading-thread CPU %,9.0f   process CPU %,9.0f   [%.0f MB]%n",
                file.getFileName(), wall[runs / 2], wall[0], wall[runs - 1], cpu[runs / 2], proc[runs / 2],
                size(file) / 1e6);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    /** Consumes every row so that nothing the reader builds can be optimised away. */
    private static final class Counter<T> implements RowHandler<T> {
        long checksum;
        Rejection firstRejection;

        @Override
        public void accepted(Parsed<T> row) {
            checksum += row.contentHash() ^ row.key().length() ^ row.line();
        }

        @Override
        public void rejected(Rejection rejection) {
            if (firstRejection == null) firstRejection = rejection;
        }
    }

    private static void writeInvoices(Path file, int rows) throws IOException {
        SplittableRandom rnd = new SplittableRandom(7);
        LocalDate start = LocalDate.of(2024, 1, 1);
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("invoice_id,customer_id,subscription_id,status,created_at,period_start,period_end,currency,"
                    + "subtotal,discount,tax,total,amount_paid,billing_reason\n");
            for (int i = 0; i < rows; i++) {
                String cur = CURRENCIES[rnd.nextInt(CURRENCIES.length)];
                int exp = cur.equals("JPY") ? 0 : 2;
                long subtotal = (1 + rnd.nextInt(200)) * 500L * (exp == 0 ? 1 : 100) / 100;
                long discount = rnd.nextInt(10) == 0 ? subtotal / 5 : 0;
                long tax = (subtotal - discount) * (rnd.nextInt(3) * 5) / 100;
                long total = subtotal - discount + tax;
                LocalDate period = start.plusMonths(rnd.nextInt(27));
                int cust = rnd.nextInt(100_000);
                w.write("in_" + i + ",cus_" + cust + ",sub_" + cust + "," + (rnd.nextInt(20) == 0 ? "open" : "paid") + ","
                        + period + "T00:0" + rnd.nextInt(10) + ":" + (10 + rnd.nextInt(50)) + "Z," + period + ","
                        + period.plusMonths(1) + "," + cur + "," + money(subtotal, exp) + "," + money(discount, exp) + ","
                        + money(tax, exp) + "," + money(total, exp) + "," + money(total, exp) + ",subscription_cycle\n");
            }
        }
    }

    private static void writeLines(Path file, int rows) throws IOException {
        SplittableRandom rnd = new SplittableRandom(11);
        LocalDate start = LocalDate.of(2024, 1, 1);
        List<String> kinds = new ArrayList<>(List.of("subscription", "subscription", "subscription", "usage", "proration",
                "one_off"));
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("line_id,invoice_id,kind,price_id,description,quantity,currency,unit_amount,amount,period_start,period_end\n");
            for (int i = 0; i < rows; i++) {
                String cur = CURRENCIES[rnd.nextInt(CURRENCIES.length)];
                int exp = cur.equals("JPY") ? 0 : 2;
                String kind = kinds.get(rnd.nextInt(kinds.size()));
                long qty = 1 + rnd.nextInt(40);
                long unit = (1 + rnd.nextInt(100)) * (exp == 0 ? 100L : 100L);
                LocalDate period = start.plusMonths(rnd.nextInt(27));
                w.write("il_" + i + "_1,in_" + (i * 2 / 3) + "," + kind + ",price_" + rnd.nextInt(50) + ","
                        + (rnd.nextInt(4) == 0 ? "\"" + qty + " × Pro, seats\"" : qty + " × Pro seat") + "," + qty + "," + cur + ","
                        + money(unit, exp) + "," + money(unit * qty, exp) + "," + period + "," + period.plusMonths(1) + "\n");
            }
        }
    }

    private static String money(long minor, int exponent) {
        if (exponent == 0) return Long.toString(minor);
        return minor / 100 + "." + (minor % 100 < 10 ? "0" : "") + minor % 100;
    }
}
