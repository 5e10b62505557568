package io.leakdetector.core.ingest;

import io.leakdetector.core.domain.RowSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinTask;
import java.util.function.Supplier;

/**
 * A fast reader for the plain CSV this project's exports and generator write: no quotes, LF or CRLF line ends.
 * It parses fields straight from the file's bytes, in chunks split at line ends and run as fork-join tasks (so
 * one large file keeps every core busy), and hands each row to the file's schema through {@link RowView}'s byte
 * mode: no String per field, canonical numbers, dates and timestamps parsed from the bytes, repeated values shared.
 * Rows, line numbers, records and rejections (file, line, column, reason, raw text) are exactly those of
 * {@link DataFileReader}; a file this reader cannot take in that way (a quote anywhere, a lone CR, no header)
 * makes {@link #read} answer null, and the caller uses {@link DataFileReader}.
 */
public final class ByteCsvReader {
    private static final int CHUNK = 8 << 20;
    private static final char REPLACEMENT = '\uFFFD';
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final ThreadLocal<byte[]> SCRATCH = new ThreadLocal<>();

    private ByteCsvReader() {}

    /** Receives the rows of one chunk of a file, in file order. */
    public interface ChunkHandler<T> {
        void accepted(T record);

        void rejected(Rejection rejection);
    }

    /** The counts of a read and one handler per chunk, in file order. */
    public record Result<H>(DataFileReader.FileCounts counts, List<H> chunks) {}

    /**
     * Reads {@code file} with {@code schema}, one new handler from {@code handlers} per chunk (created in file order
     * before any row is parsed). Chunks run as fork-join tasks: call it from a {@link java.util.concurrent.ForkJoinPool}
     * worker to use that pool. Returns null when the file needs {@link DataFileReader}.
     */
    public static <T, H extends ChunkHandler<T>> Result<H> read(Path file, EntitySchema<T> schema, Supplier<H> handlers) {
        return read(file, schema, handlers, Map.of(), CHUNK);
    }

    /**
     * As {@link #read(Path, EntitySchema, Supplier)}; a column named in {@code ids} takes its text from that
     * dictionary when the value is there (the referenced file's own String), so equal ids are not kept twice.
     */
    public static <T, H extends ChunkHandler<T>> Result<H> read(Path file, EntitySchema<T> schema, Supplier<H> handlers,
                                                                Map<String, IdDictionary> ids) {
        return read(file, schema, handlers, ids, CHUNK);
    }

    /** As {@link #read(Path, EntitySchema, Supplier, Map)} with chunks of {@code chunk} bytes (tests split small files). */
    static <T, H extends ChunkHandler<T>> Result<H> read(Path file, EntitySchema<T> schema, Supplier<H> handlers,
                                                         Map<String, IdDictionary> ids, int chunk) {
        String fileName = file.getFileName().toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            Header header = header(ch, size);
            if (header == null) return null;
            int[] index = DataFileReader.mapHeader(fileName, schema, header.fields);
            String[] columnOfField = DataFileReader.columnNames(schema, index, header.fields);
            int nominal = (int) Math.max(1, (size + chunk - 1) / chunk);
            List<H> hs = new ArrayList<>(nominal);
            for (int k = 0; k < nominal; k++) hs.add(handlers.get());
            Lines lines = new Lines(nominal, header.bodyLine);
            // One pass: workers take the chunks in file order; each splits its chunk, publishes its line count, and maps
            // its rows once the chunks before it have published theirs (their splits, which wait for nothing, are
            // already running), so no pass over the file counts line ends first.
            int workers = Math.min(nominal, Math.max(1, ForkJoinTask.getPool() == null ? 1 : ForkJoinTask.getPool().getParallelism()));
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            long[] counts = new long[3];
            List<Callable<Void>> drains = new ArrayList<>(workers);
            for (int w = 0; w < workers; w++) {
                drains.add(() -> {
                    long[] c = new long[3];
                    for (int k; (k = next.getAndIncrement()) < nominal && !lines.stopped(); ) {
                        long from = Math.max(header.bodyStart, k == 0 ? 0 : lineStart(ch, (long) k * chunk, size));
                        long to = Math.max(header.bodyStart, k == nominal - 1 ? size : lineStart(ch, (long) (k + 1) * chunk, size));
                        chunk(ch, Math.min(from, to), to, k, lines, fileName, schema, index, columnOfField,
                                header.fields.size(), ids, hs.get(k), c);
                    }
                    synchronized (counts) {
                        for (int i = 0; i < 3; i++) counts[i] += c[i];
                    }
                    return null;
                });
            }
            for (ForkJoinTask<Void> t : tasks(drains)) t.join();
            if (lines.general) return null;
            return new Result<>(new DataFileReader.FileCounts(counts[0], counts[1], counts[2]), hs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * The line counts of a file's chunks as their splits publish them, and the first line of each chunk once every
     * chunk before it has published. A chunk that needs the general reader, or fails, stops the others.
     */
    private static final class Lines {
        private final long[] count;
        private final boolean[] known;
        private int prefix; // chunks [0, prefix) are known
        private long before; // their lines
        private final long firstLine;
        private volatile boolean stop;
        volatile boolean general;

        Lines(int chunks, long firstLine) {
            this.count = new long[chunks];
            this.known = new boolean[chunks];
            this.firstLine = firstLine;
        }

        boolean stopped() {
            return stop;
        }

        synchronized void publish(int k, long lines) {
            count[k] = lines;
            known[k] = true;
            while (prefix < count.length && known[prefix]) before += count[prefix++];
            notifyAll();
        }

        synchronized void stop(boolean needsGeneral) {
            if (needsGeneral) general = true;
            stop = true;
            notifyAll();
        }

        /** The first line of chunk k, waiting for the chunks before it; -1 when the read stopped. */
        synchronized long first(int k) throws InterruptedException {
            while (prefix < k && !stop) wait();
            if (stop) return -1;
            long line = firstLine;
            for (int j = 0; j < k; j++) line += count[j];
            return line;
        }
    }

    /** The position after the first line end at or past {@code pos}, or {@code size} when there is none. */
    private static long lineStart(FileChannel ch, long pos, long size) throws IOException {
        java.nio.ByteBuffer window = java.nio.ByteBuffer.allocate(4096);
        for (long at = pos; at < size; ) {
            window.clear();
            int got = ch.read(window, at);
            if (got <= 0) break;
            for (int i = 0; i < got; i++) if (window.get(i) == '\n') return at + i + 1;
            at += got;
        }
        return size;
    }

    /** Splits chunk k, publishes its line count, then maps its rows from its first line on; adds read, accepted and rejected to c. */
    private static <T> void chunk(FileChannel ch, long from, long to, int k, Lines lines, String fileName,
                                  EntitySchema<T> schema, int[] index, String[] columnOfField, int width,
                                  Map<String, IdDictionary> ids, ChunkHandler<T> handler, long[] c) throws IOException {
        boolean published = false;
        try {
            byte[] b = load(ch, from, to);
            int n = (int) (to - from);
            Rows rows = ROWS.get();
            boolean plain = split(b, n, rows);
            lines.publish(k, rows.lines);
            published = true;
            if (!plain) {
                lines.stop(true);
                return;
            }
            long first;
            try {
                first = lines.first(k);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading " + fileName, e);
            }
            if (first < 0) return;
            long[] counts = parse(b, rows, first, fileName, schema, index, columnOfField, width, ids, handler);
            for (int i = 0; i < 3; i++) c[i] += counts[i];
        } catch (RuntimeException | IOException | Error e) {
            lines.stop(false);
            throw e;
        } finally {
            if (!published) lines.stop(false);
        }
    }

    private static <V> List<ForkJoinTask<V>> tasks(List<Callable<V>> calls) {
        List<ForkJoinTask<V>> tasks = new ArrayList<>(calls.size());
        for (Callable<V> c : calls) tasks.add(ForkJoinTask.adapt(c));
        ForkJoinTask.invokeAll(tasks);
        return tasks;
    }

    private record Header(List<String> fields, long bodyStart, long bodyLine) {}

    private static byte[] load(FileChannel ch, long from, long to) throws IOException {
        int n = (int) (to - from);
        byte[] b = SCRATCH.get();
        if (b == null || b.length < n + 8) {
            b = new byte[Math.max(n + 8, CHUNK + (1 << 16))];
            SCRATCH.set(b);
        }
        if (n > 0) {
            MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_ONLY, from, n);
            m.get(0, b, 0, n);
        }
        return b;
    }

    /** The high bit of each byte of the answer is set exactly where that byte of x is zero. */
    private static long zero(long x) {
        return ~(((x & 0x7F7F7F7F7F7F7F7FL) + 0x7F7F7F7F7F7F7F7FL) | x | 0x7F7F7F7F7F7F7F7FL);
    }

    /**
     * The first non-empty line as header fields, or null when there is none. Decoded as UTF-8 like the general
     * reader's input, so a byte-order mark stays in the first name, where header matching ignores it.
     */
    private static Header header(FileChannel ch, long size) throws IOException {
        for (int window = (int) Math.min(size, 1 << 16); ; window = (int) Math.min(size, (long) window * 2)) {
            byte[] b = new byte[window];
            java.nio.ByteBuffer into = java.nio.ByteBuffer.wrap(b);
            while (into.hasRemaining() && ch.read(into, into.position()) > 0) { }
            int n = into.position();
            int pos = 0;
            long lineNo = 1;
            while (pos < n) {
                int e = pos;
                while (e < n && b[e] != '\n') e++;
                if (e == n && n < size) break; // the line goes on past the window
                int content = e > pos && b[e - 1] == '\r' ? e - 1 : e;
                if (e == n && content < e) return null; // a CR ends the file: a lone CR, as in split
                for (int i = pos; i < content; i++) { // what the general reader handles, as in split
                    if (b[i] == '"' || b[i] == '\r') return null;
                }
                if (content == pos) { // an empty line before the header
                    pos = e + 1;
                    lineNo++;
                    continue;
                }
                List<String> fields = new ArrayList<>();
                int fs = pos;
                for (int i = pos; i <= content; i++) {
                    if (i == content || b[i] == ',') {
                        fields.add(new String(b, fs, i - fs, StandardCharsets.UTF_8));
                        fs = i + 1;
                    }
                }
                return new Header(fields, Math.min(size, (long) e + 1), lineNo + 1);
            }
            if (pos >= n && n >= size) return null; // no header
            if (window >= CHUNK || window >= size) return null; // a header longer than a chunk: leave it to the general reader
        }
    }

    /**
     * The rows of a chunk as {@link #split} lays them out in an int array: per non-blank line, its index among the
     * chunk's lines, its field count, 1 when a byte is not ASCII (else 0), the start of each field and the line's end
     * (before a CR). Field i ends one byte before field i + 1 starts, the last at the line's end.
     */
    private static final class Rows {
        int[] data = new int[1 << 16];
        int size;
        long lines; // the chunk's lines, blank ones included
    }

    private static final ThreadLocal<Rows> ROWS = ThreadLocal.withInitial(Rows::new);

    /**
     * Splits {@code b[0, n)} into lines and fields (see {@link Rows}); false when the chunk needs the general reader
     * (a quote, or a CR that does not end a line). Kept apart from the mapping of rows to records
     * on purpose: this loop sees no record type, so its compiled code serves every file; when it also called the
     * mappers, each new file's mapper made the JIT throw the loop's code away, and the loop ran interpreted (its
     * eight-byte reads through a VarHandle are slow there) until compiled again, several times per scan.
     */
    private static boolean split(byte[] b, int n, Rows rows) {
        int[] out = rows.data;
        int size = 0, lineIndex = 0, p = 0;
        long odd = 0; // a high bit set where a byte was '"' or CR
        while (p < n) {
            int ls = p, fs = p, row = size, nf = 0;
            size += 3;
            long or = 0; // the bytes of the line ORed: a high bit set means not ASCII
            line:
            while (p < n) {
                if (size + 10 >= out.length) out = java.util.Arrays.copyOf(out, out.length * 2); // eight fields and the end
                if (p + 8 <= n) { // eight bytes at a time: the commas and the line end among them, in order
                    long x = (long) LONGS.get(b, p);
                    odd |= zero(x ^ 0x2222222222222222L) | zero(x ^ 0x0D0D0D0D0D0D0D0DL);
                    for (long hits = zero(x ^ 0x2C2C2C2C2C2C2C2CL) | zero(x ^ 0x0A0A0A0A0A0A0A0AL); hits != 0; hits &= hits - 1) {
                        int q = p + (Long.numberOfTrailingZeros(hits) >>> 3);
                        if (b[q] == '\n') {
                            or |= x & ~(-1L << ((q - p) << 3)); // the bytes before the line end
                            p = q;
                            break line;
                        }
                        out[size++] = fs;
                        nf++;
                        fs = q + 1;
                    }
                    or |= x;
                    p += 8;
                } else {
                    byte c = b[p];
                    if (c == '"' || c == '\r') odd = -1;
                    if (c == '\n') break;
                    if (c == ',') {
                        out[size++] = fs;
                        nf++;
                        fs = p + 1;
                    }
                    or |= c;
                    p++;
                }
            }
            int le = p > ls && b[p - 1] == '\r' ? p - 1 : p;
            if (le > ls) {
                out[size++] = fs;
                out[size++] = le;
                out[row] = lineIndex;
                out[row + 1] = nf + 1;
                out[row + 2] = (or & 0x8080808080808080L) != 0 ? 1 : 0;
            } else {
                size = row; // a blank line: no row
            }
            lineIndex++;
            p++; // past the line end
        }
        rows.data = out;
        rows.size = size;
        rows.lines = lineIndex;
        if (odd == 0) return true;
        // a quote or a CR somewhere (the words read may reach past a line end): only a CR before a line end is plain
        for (int j = 0; j < n; j++) {
            if (b[j] == '"' || b[j] == '\r' && (j + 1 >= n || b[j + 1] != '\n')) return false;
        }
        return true;
    }

    /** Maps the rows {@link #split} laid out, the first line being {@code firstLine}: read, accepted and rejected. */
    private static <T> long[] parse(byte[] b, Rows rows, long firstLine, String fileName, EntitySchema<T> schema,
                                    int[] index, String[] columnOfField, int width, Map<String, IdDictionary> ids,
                                    ChunkHandler<T> handler) {
        long read = 0, accepted = 0, rejected = 0;
        int[] data = rows.data;
        RowView view = new RowView(schema.columns(), index);
        ids.forEach(view::shareIds);
        int[] st = new int[Math.max(8, width + 1)];
        int[] en = new int[st.length];
        for (int r = 0; r < rows.size; ) {
            long line = firstLine + data[r];
            int count = data[r + 1];
            boolean ascii = data[r + 2] == 0;
            int f = r + 3;
            r = f + count + 1;
            if (count > st.length) {
                st = new int[count];
                en = new int[count];
            }
            for (int i = 0; i < count; i++) {
                st[i] = data[f + i];
                en[i] = data[f + i + 1] - (i + 1 < count ? 1 : 0);
            }
            read++;
            try {
                if (count != width) {
                    throw new RowRejectedException(null, "expected " + width + " fields, found " + count);
                }
                if (!ascii) { // decode as the general reader does and check for bad bytes
                    List<String> fields = strings(b, st, en, count);
                    for (int i = 0; i < count; i++) {
                        if (fields.get(i).indexOf(REPLACEMENT) >= 0) {
                            throw new RowRejectedException(columnOfField[i], "invalid UTF-8 bytes");
                        }
                    }
                    view.reset(fields);
                } else {
                    view.reset(b, st, en, count);
                }
                handler.accepted(schema.mapper().apply(view, RowSource.at(fileName, line)));
                accepted++;
            } catch (RowRejectedException e) {
                rejected++;
                handler.rejected(new Rejection(fileName, line, e.column(), e.reason(), DataFileReader.join(strings(b, st, en, count))));
            } catch (IllegalArgumentException e) { // domain validation naming the field
                rejected++;
                String column = e instanceof io.leakdetector.core.domain.DomainValidationException d ? d.field() : null;
                handler.rejected(new Rejection(fileName, line, column, e.getMessage(), DataFileReader.join(strings(b, st, en, count))));
            }
        }
        return new long[] {read, accepted, rejected};
    }

    private static List<String> strings(byte[] b, int[] st, int[] en, int count) {
        List<String> fields = new ArrayList<>(count);
        for (int i = 0; i < count; i++) fields.add(new String(b, st[i], en[i] - st[i], StandardCharsets.UTF_8));
        return fields;
    }
}
