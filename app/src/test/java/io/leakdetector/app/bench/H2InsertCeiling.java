package io.leakdetector.app.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.OffsetDateTime;

/**
 * The reference for {@code bench import --db h2}: how fast H2 itself takes batched JDBC inserts into a table shaped
 * like {@code invoices} (11 columns, primary key, optionally three secondary indexes), with nothing of ours in
 * the way — no CSV, no validation, no look-ups. If our import is close to this, H2 is the limit, not our code.
 *
 * <p>Run: {@code java -cp "$(cat app/target/test-classpath.txt)" io.leakdetector.app.bench.H2InsertCeiling 200000}
 * (see BENCHMARKS.md for how the class path file is made).
 */
public final class H2InsertCeiling {
    private H2InsertCeiling() {}

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (boolean indexes : new boolean[] {false, true}) {
            for (boolean onConflict : new boolean[] {false, true}) {
                Path dir = Files.createTempDirectory("h2-ceiling");
                String url = "jdbc:h2:file:" + dir.resolve("db") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;WRITE_DELAY=0";
                try (Connection c = DriverManager.getConnection(url, "sa", "")) {
                    try (Statement s = c.createStatement()) {
                        s.execute("CREATE TABLE inv (id VARCHAR(64) PRIMARY KEY, customer_id VARCHAR(64) NOT NULL,"
                                + " subscription_id VARCHAR(64), status VARCHAR(16), created_at TIMESTAMP WITH TIME ZONE,"
                                + " total_minor BIGINT, currency CHAR(3), source_file VARCHAR(64), source_line BIGINT,"
                                + " content_hash BIGINT, import_id BIGINT)");
                        if (indexes) {
                            s.execute("CREATE INDEX i1 ON inv(customer_id)");
                            s.execute("CREATE INDEX i2 ON inv(subscription_id)");
                            s.execute("CREATE INDEX i3 ON inv(created_at)");
                        }
                    }
                    c.setAutoCommit(false);
                    String sql = "INSERT INTO inv VALUES (?,?,?,?,?,?,?,?,?,?,?)" + (onConflict ? " ON CONFLICT DO NOTHING" : "");
                    OffsetDateTime t0 = OffsetDateTime.parse("2025-01-01T00:00:00Z");
                    long cpu0 = threads.getCurrentThreadCpuTime();
                    long wall0 = System.nanoTime();
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        for (int i = 0; i < rows; i++) {
                            ps.setString(1, "in_" + (100_000_000 + i));
                            ps.setString(2, "cus_" + (i % 5000));
                            ps.setString(3, "sub_" + (i % 6000));
                            ps.setString(4, "paid");
                            ps.setObject(5, t0.plusMinutes(i));
                            ps.setLong(6, 1000 + i);
                            ps.setString(7, "USD");
                            ps.setString(8, "invoices.csv");
                            ps.setLong(9, i + 2);
                            ps.setLong(10, i * 0x9E3779B97F4A7C15L);
                            ps.setLong(11, 1);
                            ps.addBatch();
                            if (i % 5000 == 4999) {
                                ps.executeBatch();
                                c.commit();
                            }
                        }
                        ps.executeBatch();
                        c.commit();
                    }
                    double wall = (System.nanoTime() - wall0) / 1e9;
                    double cpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e9;
                    System.out.printf("h2 raw insert, %s secondary indexes, %-20s %9.0f rows/s wall %9.0f rows per thread-CPU-s%n",
                            indexes ? "3" : "no", onConflict ? "ON CONFLICT DO NOTHING" : "plain", rows / wall, rows / cpu);
                }
            }
        }
    }
}
