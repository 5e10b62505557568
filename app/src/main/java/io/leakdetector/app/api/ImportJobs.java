package io.leakdetector.app.api;

import io.leakdetector.app.detect.FindingListener;
import io.leakdetector.app.detect.StoreDetection;
import io.leakdetector.app.remediation.Recoveries;
import io.leakdetector.app.ingest.ImportCounts;
import io.leakdetector.app.ingest.ImportResult;
import io.leakdetector.app.ingest.Importer;
import io.leakdetector.app.security.AuditLog;
import io.leakdetector.app.store.Store;
import io.leakdetector.app.store.StoreSettings;
import io.leakdetector.app.web.ApiException;
import io.leakdetector.core.ingest.DataFileReader;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.ingest.FileFormatException;
import io.leakdetector.core.ingest.Parsed;
import io.leakdetector.core.ingest.Rejection;
import io.leakdetector.core.ingest.RowHandler;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * CSV uploads as background jobs: the upload is saved, its header checked at once (a bad header is a 400), then
 * store-import's {@link Importer} loads it on a single worker — batches in transactions, dedupe, rejected rows kept
 * — while the job reports progress. At most {@link #QUEUE} uploads wait; beyond that the answer is 429.
 */
@Component
public class ImportJobs {
    static final int QUEUE = 8;
    private static final int KEEP = 500;
    private final Store store;
    private final AuditLog audit;
    private final StoreChanges changes;
    private final ThreadPoolExecutor worker = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE), r -> {
                Thread t = new Thread(r, "csv-import");
                t.setDaemon(true);
                return t;
            });
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();

    private final FindingListener findingEvents;
    private final Recoveries recoveries;

    ImportJobs(DataSource dataSource, AuditLog audit, FindingListener findingEvents, Recoveries recoveries,
               StoreChanges changes) throws SQLException {
        this.findingEvents = findingEvents;
        this.recoveries = recoveries;
        this.changes = changes;
        String url;
        String user;
        try (Connection c = dataSource.getConnection()) {
            url = c.getMetaData().getURL();
            user = c.getMetaData().getUserName();
        }
        this.store = Store.over(dataSource, new StoreSettings(url, user, null));
        this.audit = audit;
    }

    /** A job as the API shows it. Counts are for the file so far; {@code import_id} names it for the rejected-rows export. */
    public record Job(String id, String entity, String file_name, String status, Long import_id, ImportCounts counts,
               String message, String created_by, Instant created_at, Instant finished_at) {
        Job with(String status, Long importId, ImportCounts counts, String message, Instant finished) {
            return new Job(id, entity, file_name, status, importId, counts, message, created_by, created_at, finished);
        }
    }

    public Job submit(EntityKind kind, String originalName, InputStream upload) {
        Path dir;
        try {
            dir = Files.createTempDirectory("leak-upload-");
            Files.copy(upload, dir.resolve(kind.fileName()), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the upload", e);
        }
        try {
            checkHeader(dir.resolve(kind.fileName()), kind);
        } catch (FileFormatException e) {
            delete(dir);
            throw ApiException.badField("file", e.getMessage());
        }
        String id = "imp_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String actor = AuditLog.currentActor();
        Job job = new Job(id, kind.fileName().replace(".csv", ""), originalName, "queued", null, ImportCounts.ZERO, null,
                actor, Instant.now(), null);
        jobs.put(id, job);
        try {
            worker.execute(() -> run(id, dir, kind, actor));
        } catch (RejectedExecutionException e) {
            jobs.remove(id);
            delete(dir);
            throw new ApiException(HttpStatus.TOO_MANY_REQUESTS, "busy", null,
                    "the import queue is full (" + QUEUE + " waiting); retry later");
        }
        audit.record("import.submit", "import", id, kind.fileName() + " from " + originalName);
        trim();
        return job;
    }

    public Optional<Job> get(String id) {
        return Optional.ofNullable(jobs.get(id));
    }

    /** The jobs this server still remembers, newest first. */
    public java.util.List<Job> recent(int limit) {
        return jobs.values().stream().sorted(Comparator.comparing(Job::created_at).reversed()).limit(limit).toList();
    }

    Store store() {
        return store;
    }

    private void run(String id, Path dir, EntityKind kind, String actor) {
        jobs.computeIfPresent(id, (k, j) -> j.with("running", null, ImportCounts.ZERO, null, null));
        try {
            Importer importer = new Importer(store, Importer.DEFAULT_BATCH_SIZE, (importId, file, soFar) ->
                    jobs.computeIfPresent(id, (k, j) -> j.with("running", importId, soFar, null, null)));
            ImportResult r = importer.importDirectory(dir);
            // The same batch detection `import` runs: findings for the new data are ready when the job completes.
            jobs.computeIfPresent(id, (k, j) -> j.with("detecting", r.importId(), r.total(), null, null));
            StoreDetection.Result d = new StoreDetection(store.dataSource(), findingEvents).run(null);
            recoveries.sweep();
            String summary = d.findings() + " findings (" + d.created() + " new, " + d.updated() + " updated) as of " + d.asOf();
            jobs.computeIfPresent(id, (k, j) -> j.with("completed", r.importId(), r.total(), summary, Instant.now()));
            audit.recordAs(actor, "import.complete", "import", id, "import_id=" + r.importId() + " " + r.total() + "; " + summary);
        } catch (RuntimeException e) {
            jobs.computeIfPresent(id, (k, j) -> j.with("failed", j.import_id(), j.counts(), String.valueOf(e.getMessage()), Instant.now()));
            audit.recordAs(actor, "import.fail", "import", id, String.valueOf(e.getMessage()));
        } finally {
            changes.changedAll();
            delete(dir);
        }
    }

    @SuppressWarnings("unchecked")
    private static void checkHeader(Path file, EntityKind kind) {
        checkHeader(file, (io.leakdetector.core.ingest.EntitySchema<Object>) kind.schema());
    }

    private static void checkHeader(Path file, io.leakdetector.core.ingest.EntitySchema<Object> schema) {
        final class Stop extends RuntimeException {
            Stop() {
                super(null, null, false, false);
            }
        }
        try {
            DataFileReader.read(file, schema, new RowHandler<Object>() {
                public void accepted(Parsed<Object> row) {
                    throw new Stop();
                }

                public void rejected(Rejection r) {
                    throw new Stop();
                }
            });
        } catch (Stop ignored) {
            // header is fine
        }
    }

    private void trim() {
        if (jobs.size() <= KEEP) return;
        jobs.values().stream().filter(j -> j.finished_at() != null).sorted(Comparator.comparing(Job::created_at))
                .limit(jobs.size() - KEEP).forEach(j -> jobs.remove(j.id()));
    }

    private static void delete(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }

    @PreDestroy
    void stop() {
        worker.shutdownNow();
    }

    Map<String, Object> links(Job j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("self", "/api/v1/imports/" + j.id());
        m.put("rejected", "/api/v1/imports/" + j.id() + "/rejected.csv");
        return m;
    }
}
