package io.leakdetector.core.scan;

import io.leakdetector.core.domain.AppAccount;
import io.leakdetector.core.domain.CreditNote;
import io.leakdetector.core.domain.Dispute;
import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.domain.Payment;
import io.leakdetector.core.domain.Refund;
import io.leakdetector.core.domain.Subscription;
import io.leakdetector.core.domain.SubscriptionChange;
import io.leakdetector.core.domain.UsageRecord;
import io.leakdetector.core.ingest.ByteCsvReader;
import io.leakdetector.core.ingest.DataFileReader;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.ingest.EntitySchema;
import io.leakdetector.core.ingest.IdDictionary;
import io.leakdetector.core.ingest.Reference;
import io.leakdetector.core.ingest.Parsed;
import io.leakdetector.core.ingest.Rejection;
import io.leakdetector.core.ingest.RowHandler;
import io.leakdetector.core.ingest.Schemas;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.function.Function;

/**
 * Reads a data directory straight from its CSV files with the {@link Schemas}: plain files through
 * {@link ByteCsvReader} (chunks of every file parsed in parallel on a fork-join pool), any other file through
 * {@link DataFileReader}; both give the same records and rejections. Missing files are empty; rejected rows are
 * counted, never fatal. A file whose header lacks a required column fails the load with the file named.
 */
public final class DataDirectoryLoader {
    private static final int KEEP_REJECTIONS = 20;

    private DataDirectoryLoader() {}

    public static LoadedData load(Path dir, int threads) {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException(dir + " is not a directory");
        List<EntityKind> kinds = new ArrayList<>(List.of(EntityKind.values()));
        kinds.remove(EntityKind.CHANGE_EVENTS); // not needed by the rule detectors
        kinds.sort(Comparator.comparingLong((EntityKind k) -> size(dir.resolve(k.fileName()))).reversed());
        // numbered here: a worker's pool index is not known before it starts, so every thread was "scan-read-0"
        java.util.concurrent.atomic.AtomicInteger started = new java.util.concurrent.atomic.AtomicInteger();
        ForkJoinPool pool = new ForkJoinPool(Math.max(1, threads), p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("scan-read-" + started.getAndIncrement());
            t.setDaemon(true);
            return t;
        }, null, false);
        try {
            // A file is read once the files it references are read and their ids are in dictionaries, so that its
            // reference columns share the referenced file's id Strings (IdDictionary). No file waits for more than
            // that: a file nothing references (the app accounts) is read while the invoices' dictionary is built,
            // and the dictionaries are built on the pool, so neither thread idles at the end of a depth. Each file is
            // split into chunks, so one large file still keeps every thread busy.
            kinds.sort(Comparator.comparingInt(DataDirectoryLoader::depth)); // stable: larger first within a depth
            Map<EntityKind, CompletableFuture<Result<?>>> reads = new EnumMap<>(EntityKind.class);
            Map<EntityKind, CompletableFuture<IdDictionary>> dictionaries = new EnumMap<>(EntityKind.class);
            for (EntityKind k : kinds) {
                List<CompletableFuture<IdDictionary>> needed = new ArrayList<>();
                List<String> columns = new ArrayList<>();
                for (Reference<?> r : Schemas.of(k).references()) {
                    CompletableFuture<IdDictionary> d = dictionaries.get(r.target());
                    if (d != null) {
                        needed.add(d);
                        columns.add(r.column());
                    }
                }
                CompletableFuture<Result<?>> read = CompletableFuture.allOf(needed.toArray(CompletableFuture[]::new))
                        .thenApplyAsync(done -> {
                            Map<String, IdDictionary> ids = new java.util.HashMap<>();
                            for (int i = 0; i < needed.size(); i++) ids.put(columns.get(i), needed.get(i).join());
                            return read(dir, k, ids);
                        }, pool);
                reads.put(k, read);
                if (worthSharing(dir, k, kinds)) {
                    dictionaries.put(k, read.thenApplyAsync(r -> dictionary(r.records, Schemas.of(k)), pool));
                }
            }
            // joined by depth, then in kind order (as the waves were): the error reported is the same on every run
            Map<EntityKind, Result<?>> results = new EnumMap<>(EntityKind.class);
            Map<Integer, List<EntityKind>> byDepth = new java.util.TreeMap<>();
            for (EntityKind k : kinds) byDepth.computeIfAbsent(depth(k), d -> new ArrayList<>()).add(k);
            for (List<EntityKind> depth : byDepth.values()) {
                depth.sort(Comparator.naturalOrder());
                for (EntityKind k : depth) {
                    try {
                        results.put(k, reads.get(k).get());
                    } catch (ExecutionException ex) {
                        Throwable c = ex.getCause();
                        if (c instanceof RuntimeException re) throw re;
                        throw new IllegalStateException(c);
                    }
                }
            }
            Map<EntityKind, LoadedData.FileStats> stats = new EnumMap<>(EntityKind.class);
            Instant latest = null;
            for (var e : results.entrySet()) {
                stats.put(e.getKey(), e.getValue().stats);
                if (e.getValue().latest != null && (latest == null || e.getValue().latest.isAfter(latest))) latest = e.getValue().latest;
            }
            return new LoadedData(list(results, EntityKind.CUSTOMERS), list(results, EntityKind.PRICES),
                    list(results, EntityKind.SUBSCRIPTIONS), list(results, EntityKind.SUBSCRIPTION_CHANGES),
                    list(results, EntityKind.INVOICES), list(results, EntityKind.INVOICE_LINES),
                    list(results, EntityKind.PAYMENT_METHODS), list(results, EntityKind.PAYMENTS),
                    list(results, EntityKind.REFUNDS), list(results, EntityKind.CREDIT_NOTES),
                    list(results, EntityKind.DISPUTES), list(results, EntityKind.USAGE),
                    list(results, EntityKind.APP_ACCOUNTS), stats, latest);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + dir, e);
        } finally {
            pool.shutdownNow();
        }
    }

    /** 0 for a file that references no other, else one more than the deepest file it references. */
    private static int depth(EntityKind k) {
        int d = 0;
        for (Reference<?> r : Schemas.of(k).references()) d = Math.max(d, depth(r.target()) + 1);
        return d;
    }

    /**
     * Whether the files that reference {@code k} are large enough for a dictionary of its ids to pay (the payments'
     * ids for a few refunds do not).
     */
    private static boolean worthSharing(Path dir, EntityKind k, List<EntityKind> kinds) {
        long referencing = 0;
        for (EntityKind other : kinds) {
            for (Reference<?> r : Schemas.of(other).references()) {
                if (r.target() == k) referencing += size(dir.resolve(other.fileName()));
            }
        }
        return referencing > 0 && referencing * 4 >= size(dir.resolve(k.fileName()));
    }

    @SuppressWarnings("unchecked")
    private static <T> IdDictionary dictionary(List<?> records, EntitySchema<T> schema) {
        List<String> ids = new ArrayList<>(records.size());
        for (Object r : records) ids.add(schema.key().apply((T) r));
        return IdDictionary.of(ids);
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> list(Map<EntityKind, Result<?>> results, EntityKind k) {
        return (List<T>) results.get(k).records;
    }

    private static long size(Path p) {
        try {
            return Files.exists(p) ? Files.size(p) : 0;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static final class Result<T> {
        final List<T> records;
        final LoadedData.FileStats stats;
        final Instant latest;

        Result(List<T> records, LoadedData.FileStats stats, Instant latest) {
            this.records = records;
            this.stats = stats;
            this.latest = latest;
        }
    }

    /** The event time of a record that moves the as-of clock (future-dated fields such as period ends do not). */
    private static Function<Object, Instant> eventTime(EntityKind k) {
        return switch (k) {
            case INVOICES -> o -> ((Invoice) o).createdAt();
            case PAYMENTS -> o -> ((Payment) o).attemptedAt();
            case REFUNDS -> o -> ((Refund) o).createdAt();
            case CREDIT_NOTES -> o -> ((CreditNote) o).createdAt();
            case DISPUTES -> o -> ((Dispute) o).createdAt();
            case USAGE -> o -> ((UsageRecord) o).periodStart();
            case APP_ACCOUNTS -> o -> Instant.ofEpochSecond(((AppAccount) o).observedOn().toEpochDay() * 86_400L);
            case SUBSCRIPTION_CHANGES -> o -> ((SubscriptionChange) o).changedAt();
            case SUBSCRIPTIONS -> o -> ((Subscription) o).startedAt();
            default -> null;
        };
    }

    private static <T> Result<T> read(Path dir, EntityKind kind, Map<String, IdDictionary> ids) {
        Path file = dir.resolve(kind.fileName());
        if (!Files.exists(file)) {
            return new Result<>(new ArrayList<>(), new LoadedData.FileStats(kind.fileName(), false, 0, 0, 0, List.of()), null);
        }
        @SuppressWarnings("unchecked") EntitySchema<T> schema = (EntitySchema<T>) Schemas.of(kind);
        Function<Object, Instant> time = eventTime(kind);
        boolean columns = kind == EntityKind.APP_ACCOUNTS;
        String name = file.getFileName().toString();
        ByteCsvReader.Result<Collector<T>> fast = ByteCsvReader.read(file, schema, () -> new Collector<>(time, columns, name), ids);
        if (fast != null) return merge(kind, name, fast.chunks(), fast.counts());
        Collector<T> all = new Collector<>(time, columns, name);
        DataFileReader.FileCounts counts = DataFileReader.read(file, schema, new RowHandler<T>() {
            @Override
            public void accepted(Parsed<T> row) {
                all.accepted(row.record());
            }

            @Override
            public void rejected(Rejection rejection) {
                all.rejected(rejection);
            }
        }, false); // a scan never compares re-imported rows: no content hash
        return merge(kind, name, List.of(all), counts);
    }

    /** The records of the chunks in order (app accounts in columns), the first rejections and the latest event time. */
    @SuppressWarnings("unchecked")
    private static <T> Result<T> merge(EntityKind kind, String file, List<Collector<T>> chunks, DataFileReader.FileCounts counts) {
        List<T> records;
        if (kind == EntityKind.APP_ACCOUNTS) {
            List<AppAccountColumns.Builder> columns = new ArrayList<>(chunks.size());
            for (Collector<T> c : chunks) columns.add(c.columns);
            records = (List<T>) AppAccountColumns.of(file, columns);
        } else {
            int total = 0;
            for (Collector<T> c : chunks) total += c.records.size();
            records = new ArrayList<>(total);
            for (Collector<T> c : chunks) records.addAll(c.records);
        }
        List<Rejection> rejections = new ArrayList<>();
        Instant latest = null;
        for (Collector<T> c : chunks) {
            for (Rejection r : c.rejections) if (rejections.size() < KEEP_REJECTIONS) rejections.add(r);
            if (c.latest != null && (latest == null || c.latest.isAfter(latest))) latest = c.latest;
        }
        return new Result<>(records, stats(kind, counts, rejections), latest);
    }

    private static LoadedData.FileStats stats(EntityKind kind, DataFileReader.FileCounts counts, List<Rejection> rejections) {
        return new LoadedData.FileStats(kind.fileName(), true, counts.read(), counts.accepted(), counts.rejected(),
                List.copyOf(rejections));
    }

    /**
     * The accepted records of a file or of one chunk of it (app accounts into columns, where a record dies at once),
     * its first rejections and its latest event time.
     */
    private static final class Collector<T> implements ByteCsvReader.ChunkHandler<T> {
        final List<T> records;
        final AppAccountColumns.Builder columns;
        final List<Rejection> rejections = new ArrayList<>();
        final Function<Object, Instant> time;
        Instant latest;

        Collector(Function<Object, Instant> time, boolean columns, String file) {
            this.time = time;
            this.records = columns ? null : new ArrayList<>(1024);
            this.columns = columns ? new AppAccountColumns.Builder(file) : null;
        }

        @Override
        public void accepted(T r) {
            if (columns != null) columns.add((AppAccount) r);
            else records.add(r);
            if (time != null) {
                Instant t = time.apply(r);
                if (latest == null || t.isAfter(latest)) latest = t;
            }
        }

        @Override
        public void rejected(Rejection rejection) {
            if (rejections.size() < KEEP_REJECTIONS) rejections.add(rejection);
        }
    }
}
