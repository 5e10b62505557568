package io.leakdetector.app.ingest;

import io.leakdetector.app.store.Store;
import io.leakdetector.core.ingest.DataFileReader;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.ingest.EntitySchema;
import io.leakdetector.core.ingest.FileFormatException;
import io.leakdetector.core.ingest.Parsed;
import io.leakdetector.core.ingest.Reference;
import io.leakdetector.core.ingest.Rejection;
import io.leakdetector.core.ingest.RowHandler;
import io.leakdetector.core.ingest.Schemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads a data directory into the store: every known file present, in {@link EntityKind} order, streamed through
 * core's {@link DataFileReader}. Rows are written in batches, each batch in one transaction together with its
 * rejections and the file's progress counts, so a killed import leaves a consistent store and running it again
 * completes it. A row is imported, a duplicate (same key and content already stored or seen earlier), or rejected
 * (invalid, referencing a missing record, or reusing a key with different content).
 */
public final class Importer {
    public static final int DEFAULT_BATCH_SIZE = 5_000;

    /** Told after every committed batch and at the end of every file. */
    public interface Listener {
        void batchCommitted(long importId, String file, ImportCounts fileSoFar);

        default void fileCompleted(long importId, String file, ImportCounts counts) {}

        Listener NONE = (id, file, counts) -> {};
    }

    private final Store store;
    private final BillingDataRepository data;
    private final ImportRunRepository runs;
    private final int batchSize;
    private final Listener listener;

    public Importer(Store store, int batchSize, Listener listener) {
        if (batchSize < 1) throw new IllegalArgumentException("batch size must be positive");
        this.store = store;
        this.data = new BillingDataRepository(store);
        this.runs = new ImportRunRepository(store);
        this.batchSize = batchSize;
        this.listener = listener;
    }

    public Importer(Store store) {
        this(store, DEFAULT_BATCH_SIZE, Listener.NONE);
    }

    /**
     * Imports {@code dir}.
     *
     * @throws IllegalArgumentException when {@code dir} is not a directory or holds no known file
     * @throws FileFormatException      naming the file when a header lacks a required column; it is checked
     *                                  for every file before any row is written
     */
    public ImportResult importDirectory(Path dir) {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + " is not a directory");
        List<EntityKind> present = new ArrayList<>();
        for (EntityKind kind : EntityKind.values()) {
            Path file = dir.resolve(kind.fileName());
            if (Files.isRegularFile(file)) {
                checkHeader(file, kind.schema());
                present.add(kind);
            }
        }
        if (present.isEmpty()) {
            throw new IllegalArgumentException(dir + " holds none of the data files (customers.csv, invoices.csv, …)");
        }
        long importId = runs.start(dir.toAbsolutePath().normalize().toString());
        Map<String, ImportCounts> files = new LinkedHashMap<>();
        try {
            for (EntityKind kind : present) {
                ImportCounts c = importFile(importId, kind, dir.resolve(kind.fileName()));
                files.put(kind.fileName(), c);
                listener.fileCompleted(importId, kind.fileName(), c);
            }
        } catch (RuntimeException e) {
            runs.finish(importId, "failed", String.valueOf(e.getMessage()));
            throw e;
        }
        runs.finish(importId, "completed", null);
        runs.markSuperseded(dir.toAbsolutePath().normalize().toString(), importId);
        return new ImportResult(importId, files);
    }

    /** Reads only the header and the first row: a file-format error surfaces before anything is written. */
    private static void checkHeader(Path file, EntitySchema<?> schema) {
        try {
            DataFileReader.read(file, schema, new StopAtFirstRow<>());
        } catch (StopAtFirstRow.Stop ignored) {
            // the header is fine
        }
    }

    private static final class StopAtFirstRow<T> implements RowHandler<T> {
        static final class Stop extends RuntimeException {
            Stop() {
                super(null, null, false, false);
            }
        }

        @Override
        public void accepted(Parsed<T> row) {
            throw new Stop();
        }

        @Override
        public void rejected(Rejection rejection) {
            throw new Stop();
        }
    }

    private <T> ImportCounts importFile(long importId, EntityKind kind, Path file) {
        @SuppressWarnings("unchecked")
        EntitySchema<T> schema = (EntitySchema<T>) Schemas.of(kind);
        BillingTable<T> table = BillingTable.of(kind, schema.type());
        String fileName = kind.fileName();
        store.tx().executeWithoutResult(s -> runs.startFile(importId, fileName));
        FileLoader<T> loader = new FileLoader<>(importId, schema, table, fileName);
        DataFileReader.read(file, schema, loader);
        loader.flush(true);
        return loader.counts;
    }

    /** Collects one batch of a file's rows and writes it in one transaction. */
    private final class FileLoader<T> implements RowHandler<T> {
        private final long importId;
        private final EntitySchema<T> schema;
        private final BillingTable<T> table;
        private final String fileName;
        private final List<Parsed<T>> rows = new ArrayList<>();
        private final List<Rejection> readerRejections = new ArrayList<>();
        ImportCounts counts = ImportCounts.ZERO;

        FileLoader(long importId, EntitySchema<T> schema, BillingTable<T> table, String fileName) {
            this.importId = importId;
            this.schema = schema;
            this.table = table;
            this.fileName = fileName;
        }

        @Override
        public void accepted(Parsed<T> row) {
            rows.add(row);
            if (rows.size() + readerRejections.size() >= batchSize) flush(false);
        }

        @Override
        public void rejected(Rejection rejection) {
            readerRejections.add(rejection);
            if (rows.size() + readerRejections.size() >= batchSize) flush(false);
        }

        void flush(boolean last) {
            if (rows.isEmpty() && readerRejections.isEmpty() && !last) return;
            ImportCounts after = store.tx().execute(s -> {
                ImportCounts batch = writeBatch();
                ImportCounts total = counts.plus(batch);
                runs.progress(importId, fileName, total, last);
                return total;
            });
            counts = after;
            rows.clear();
            readerRejections.clear();
            listener.batchCommitted(importId, fileName, counts);
        }

        /** Classifies and writes the batch; runs inside the batch's transaction. */
        private ImportCounts writeBatch() {
            List<T> records = new ArrayList<>(rows.size());
            for (Parsed<T> p : rows) records.add(p.record());
            Map<String, BillingDataRepository.StoredRow> stored = data.findStored(table, records);
            Map<Reference<T>, Set<String>> resolved = new HashMap<>();
            for (Reference<T> ref : schema.references()) {
                Set<String> values = new HashSet<>();
                for (T r : records) {
                    String v = ref.value().apply(r);
                    if (v != null) values.add(v);
                }
                resolved.put(ref, data.existingIds(ref.target(), values));
            }

            List<Rejection> rejections = new ArrayList<>(readerRejections);
            Map<String, Parsed<T>> accepted = new LinkedHashMap<>();
            List<BillingDataRepository.NewRow<T>> toWrite = new ArrayList<>();
            long duplicates = 0;
            String keyColumn = table.keyColumns().size() == 1 ? table.idColumn() : String.join("+", table.keyColumns());
            String keyName = table.keyColumns().size() == 1 ? "id" : "key (" + String.join(", ", table.keyColumns()) + ")";
            rows:
            for (Parsed<T> row : rows) {
                BillingDataRepository.StoredRow before = stored.get(row.key());
                Parsed<T> earlier = accepted.get(row.key());
                if (before != null || earlier != null) {
                    long hash = before != null ? before.contentHash() : earlier.contentHash();
                    if (hash == row.contentHash()) {
                        duplicates++;
                    } else {
                        String where = before != null ? before.sourceFile() + ":" + before.sourceLine() : fileName + ":" + earlier.line();
                        rejections.add(new Rejection(fileName, row.line(), keyColumn,
                                "duplicate " + keyName + " with different content than " + where, row.raw()));
                    }
                    continue;
                }
                for (Reference<T> ref : schema.references()) {
                    String v = ref.value().apply(row.record());
                    if (v == null || resolved.get(ref).contains(v)) continue;
                    if (ref.target() == schema.kind() && accepted.containsKey(v)) continue; // same-batch rows count
                    String target = BillingTable.of(ref.target()).entityName();
                    rejections.add(new Rejection(fileName, row.line(), ref.column(),
                            ref.column() + " '" + v + "' not found in " + target, row.raw()));
                    continue rows;
                }
                accepted.put(row.key(), row);
                toWrite.add(new BillingDataRepository.NewRow<>(row.record(), row.line(), row.contentHash()));
            }
            long inserted = data.insert(table, toWrite, fileName, importId);
            // A key another writer stored between our look-up and our insert is left as theirs: a duplicate.
            duplicates += toWrite.size() - inserted;
            runs.saveRejections(importId, rejections);
            long read = rows.size() + readerRejections.size();
            return new ImportCounts(read, inserted, rejections.size(), duplicates);
        }
    }
}
