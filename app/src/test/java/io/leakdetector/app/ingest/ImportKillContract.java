package io.leakdetector.app.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.app.bench.SyntheticDirectory;
import io.leakdetector.app.store.Store;
import io.leakdetector.app.store.TestDatabase;
import io.leakdetector.core.ingest.EntityKind;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of an import: a real {@code leak-detector import} child process is killed with
 * destroyForcibly() once it has reported committed rows; the store must hold exactly what the killed run recorded,
 * and running the import again must complete it with every row present exactly once.
 */
abstract class ImportKillContract {
    private static final Pattern PROGRESS = Pattern.compile("progress (\\S+): read (\\d+), imported (\\d+), .*");
    private static final int INVOICES = 40_000;

    @TempDir
    Path tmp;

    TestDatabase db;

    abstract TestDatabase database(Path tmp);

    @AfterEach
    void drop() {
        if (db != null) db.close();
    }

    @Test
    void aKilledImportLeavesAConsistentStoreAndRunningItAgainCompletesIt() throws Exception {
        db = database(tmp.resolve("db"));
        Path data = tmp.resolve("data");
        Map<EntityKind, Long> expected = SyntheticDirectory.write(data, INVOICES);
        long expectedTotal = expected.values().stream().mapToLong(Long::longValue).sum();

        Process child = startImport(data);
        BlockingQueue<String> stderr = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) stderr.add(line);
            } catch (java.io.IOException ignored) {
                // the process was killed
            }
        });
        reader.setDaemon(true);
        reader.start();
        Matcher progress = null;
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (progress == null && System.nanoTime() < deadline && (child.isAlive() || !stderr.isEmpty())) {
            String line = stderr.poll(200, TimeUnit.MILLISECONDS);
            if (line == null) continue;
            seen.add(line);
            Matcher m = PROGRESS.matcher(line);
            if (m.matches() && Long.parseLong(m.group(3)) > 0) progress = m;
        }
        assertThat(progress).as("a progress line with imported rows before the import ended; stderr was: %s", seen).isNotNull();
        child.destroyForcibly();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String killedFile = progress.group(1);
        long reportedImported = Long.parseLong(progress.group(3));

        try (Store store = Store.open(db.settings())) {
            ImportRunRepository runs = new ImportRunRepository(store);
            BillingDataRepository rows = new BillingDataRepository(store);
            long killedId = runs.latestImport();
            assertThat(runs.status(killedId)).as("the first run was killed before it finished").isEqualTo("running");
            Map<String, ImportCounts> recorded = runs.fileCounts(killedId);
            // Every batch commits with its progress: what the killed run reported is durable, and what it recorded
            // is exactly what is in the tables.
            assertThat(recorded.get(killedFile).imported()).isGreaterThanOrEqualTo(reportedImported);
            for (EntityKind kind : EntityKind.values()) {
                ImportCounts c = recorded.get(kind.fileName());
                assertThat(rows.count(kind)).as(kind.fileName()).isEqualTo(c == null ? 0 : c.imported());
            }
            long landedBefore = recorded.values().stream().mapToLong(ImportCounts::imported).sum();
            assertThat(landedBefore).isPositive().isLessThan(expectedTotal);

            ImportResult rerun = new Importer(store).importDirectory(data);

            assertThat(runs.status(rerun.importId())).isEqualTo("completed");
            assertThat(runs.status(killedId)).as("the killed run, once a later run completed it").isEqualTo("interrupted");
            assertThat(rerun.total().read()).isEqualTo(expectedTotal);
            assertThat(rerun.total().rejected()).isZero();
            assertThat(rerun.total().duplicates()).isEqualTo(landedBefore);
            for (EntityKind kind : EntityKind.values()) {
                long want = expected.get(kind);
                ImportCounts before = recorded.get(kind.fileName());
                ImportCounts after = rerun.files().get(kind.fileName());
                assertThat(rows.count(kind)).as("rows of " + kind.fileName()).isEqualTo(want);
                assertThat(after.read()).isEqualTo(want);
                assertThat((before == null ? 0 : before.imported()) + after.imported()).as(kind.fileName()).isEqualTo(want);
            }
            assertThat(store.jdbc().queryForObject("SELECT COUNT(DISTINCT invoice_id) FROM invoices", Long.class))
                    .isEqualTo(INVOICES);
        }
    }

    private Process startImport(Path data) throws java.io.IOException {
        return db.cli("import", data.toString(), "--batch-size", "1000")
                .redirectOutput(tmp.resolve("child-stdout.txt").toFile()).start();
    }
}
