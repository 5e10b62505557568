package io.leakdetector.app.ingest;

/** Rows of a file (or of a whole import): read = imported + rejected + duplicates always holds. */
public record ImportCounts(long read, long imported, long rejected, long duplicates) {
    public static final ImportCounts ZERO = new ImportCounts(0, 0, 0, 0);

    public ImportCounts {
        if (read != imported + rejected + duplicates) {
            throw new IllegalStateException("counts do not reconcile: read " + read + " != imported " + imported
                    + " + rejected " + rejected + " + duplicates " + duplicates);
        }
    }

    public ImportCounts plus(ImportCounts o) {
        return new ImportCounts(read + o.read, imported + o.imported, rejected + o.rejected, duplicates + o.duplicates);
    }
}
