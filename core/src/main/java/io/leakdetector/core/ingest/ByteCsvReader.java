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
            int nominal = (int) Math.max(1, (size + chunk - 1) / chunk);
            // pass 1: line ends per nominal chunk, and whether anything needs the general reader
            List<Callable<Scan>> scans = new ArrayList<>(nominal);
            for (int k = 0; k < nominal; k++) {
                long from = (long) k * chunk, to = Math.min(size, from + chunk);
                scans.add(() -> scan(ch, from, to, size));
            }
            Scan[] scanned = new Scan[nominal];
            List<ForkJoinTask<Scan>> scanTasks = tasks(scans);
            for (int k = 0; k < nominal; k++) {
                scanned[k] = scanTasks.get(k).join();
                if (scanned[k].general) return null;
            }
            Header header = header(ch, size);
            if (header == null) return null;
            int[] index = DataFileReader.mapHeader(fileName, schema, header.fields);
            String[] columnOfField = DataFileReader.columnNames(schema, index, header.fields);
            // chunk k starts after the first line end at or past its nominal start (chunks without one are empty)
            long[] start = new long[nominal + 1];
            long[] line = new long[nominal + 1];
            start[nominal] = size;
            long[] before = new long[nominal + 1]; // line ends before each nominal chunk
            for (int k = 0; k < nominal; k++) before[k + 1] = before[k] + scanned[k].newlines;
            for (int k = nominal - 1; k >= 1; k--) {
                if (scanned[k].firstNewline >= 0) {
                    start[k] = Math.max(header.bodyStart, scanned[k].firstNewline + 1);
                    line[k] = before[k] + 2;
                } else {
                    start[k] = start[k + 1];
                    line[k] = line[k + 1];
                }
            }
            start[0] = header.bodyStart;
            line[0] = header.bodyLine;
            for (int k = 1; k < nominal; k++) {
                if (start[k] <= header.bodyStart) { // the header reaches past this chunk's start
                    start[k] = header.bodyStart;
                    line[k] = header.bodyLine;
                    start[k - 1] = header.bodyStart; // nothing left before it
                }
            }
            List<H> hs = new ArrayList<>(nominal);
            List<Callable<long[]>> parses = new ArrayList<>(nominal);
            for (int k = 0; k < nominal; k++) {
                H h = handlers.get();
                hs.add(h);
                long from = start[k], to = start[k + 1], firstLine = line[k];
                parses.add(() -> parse(ch, from, to, firstLine, fileName, schema, index, columnOfField, header.fields.size(), ids, h));
            }
            long read = 0, accepted = 0, rejected = 0;
            for (ForkJoinTask<long[]> t : tasks(parses)) {
                long[] c = t.join();
                read += c[0];
                accepted += c[1];
                rejected += c[2];
            }
            return new Result<>(new DataFileReader.FileCounts(read, accepted, rejected), hs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static <V> List<ForkJoinTask<V>> tasks(List<Callable<V>> calls) {
        List<ForkJoinTask<V>> tasks = new ArrayList<>(calls.size());
        for (Callable<V> c : calls) tasks.add(ForkJoinTask.adapt(c));
        ForkJoinTask.invokeAll(tasks);
        return tasks;
    }

    private record Scan(long newlines, long firstNewline, boolean general) {}

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

    /** Counts the line ends of [from, to) and looks for what only the general reader handles: '"' and a lone CR. */
    private static Scan scan(FileChannel ch, long from, long to, long size) throws IOException {
        long peekTo = Math.min(size, to + 1); // one byte more: is a CR at the end followed by LF?
        byte[] b = load(ch, from, peekTo);
        int n = (int) (to - from);
        long newlines = 0;
        long first = -1;
        boolean suspicious = false;
        int i = 0;
        // eight bytes at a time: a byte of x equals c exactly where zero(x ^ c) sets its high bit
        for (; i + 8 <= n; i += 8) {
            long x = (long) LONGS.get(b, i);
            long nl = zero(x ^ 0x0A0A0A0A0A0A0A0AL);
            if (nl != 0) {
                if (first < 0) first = from + i + (Long.numberOfTrailingZeros(nl) >>> 3);
                newlines += Long.bitCount(nl);
            }
            if ((zero(x ^ 0x2222222222222222L) | zero(x ^ 0x0D0D0D0D0D0D0D0DL)) != 0) suspicious = true;
        }
        for (; i < n; i++) {
            byte c = b[i];
            if (c == '\n') {
                if (first < 0) first = from + i;
                newlines++;
            } else if (c == '"' || c == '\r') {
                suspicious = true;
            }
        }
        boolean general = false;
        if (suspicious) {
            int limit = (int) (peekTo - from);
            for (int j = 0; j < n; j++) {
                if (b[j] == '"' || b[j] == '\r' && (j + 1 >= limit || b[j + 1] != '\n')) {
                    general = true;
                    break;
                }
            }
        }
        return new Scan(newlines, first, general);
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
        long pos = 0;
        long lineNo = 1;
        while (pos < size) {
            long to = Math.min(size, pos + CHUNK);
            byte[] b = load(ch, pos, to);
            int n = (int) (to - pos);
            int e = 0;
            while (e < n && b[e] != '\n') e++;
            if (e == n && to < size) return null; // a header longer than a chunk: leave it to the general reader
            int content = e > 0 && b[e - 1] == '\r' ? e - 1 : e;
            if (content == 0) { // an empty line before the header
                pos += e + 1;
                lineNo++;
                continue;
            }
            List<String> fields = new ArrayList<>();
            int fs = 0;
            for (int i = 0; i <= content; i++) {
                if (i == content || b[i] == ',') {
                    fields.add(new String(b, fs, i - fs, StandardCharsets.UTF_8));
                    fs = i + 1;
                }
            }
            return new Header(fields, Math.min(size, pos + e + 1), lineNo + 1);
        }
        return null;
    }

    private static <T> long[] parse(FileChannel ch, long from, long to, long firstLine, String fileName,
                                    EntitySchema<T> schema, int[] index, String[] columnOfField, int width,
                                    Map<String, IdDictionary> ids, ChunkHandler<T> handler) throws IOException {
        long read = 0, accepted = 0, rejected = 0;
        if (to <= from) return new long[] {0, 0, 0};
        byte[] b = load(ch, from, to);
        int n = (int) (to - from);
        RowView view = new RowView(schema.columns(), index);
        ids.forEach(view::shareIds);
        int[] st = new int[Math.max(8, width + 1)];
        int[] en = new int[st.length];
        long line = firstLine;
        int p = 0;
        while (p < n) {
            int ls = p, fs = p, nf = 0;
            long or = 0; // the bytes of the line ORed: a high bit set means not ASCII
            line:
            while (p < n) {
                if (nf + 9 >= st.length) { // room for the fields of eight more bytes and the last one
                    st = java.util.Arrays.copyOf(st, st.length * 2 + 8);
                    en = java.util.Arrays.copyOf(en, st.length);
                }
                if (p + 8 <= n) { // eight bytes at a time: the commas and the line end among them, in order
                    long x = (long) LONGS.get(b, p);
                    for (long hits = zero(x ^ 0x2C2C2C2C2C2C2C2CL) | zero(x ^ 0x0A0A0A0A0A0A0A0AL); hits != 0; hits &= hits - 1) {
                        int q = p + (Long.numberOfTrailingZeros(hits) >>> 3);
                        if (b[q] == '\n') {
                            or |= x & ~(-1L << ((q - p) << 3)); // the bytes before the line end
                            p = q;
                            break line;
                        }
                        st[nf] = fs;
                        en[nf++] = q;
                        fs = q + 1;
                    }
                    or |= x;
                    p += 8;
                } else {
                    byte c = b[p];
                    if (c == '\n') break;
                    if (c == ',') {
                        st[nf] = fs;
                        en[nf++] = p;
                        fs = p + 1;
                    }
                    or |= c;
                    p++;
                }
            }
            int le = p > ls && b[p - 1] == '\r' ? p - 1 : p;
            if (le > ls) {
                st[nf] = fs;
                en[nf] = le;
                int count = nf + 1;
                read++;
                try {
                    if (count != width) {
                        throw new RowRejectedException(null, "expected " + width + " fields, found " + count);
                    }
                    if ((or & 0x8080808080808080L) != 0) { // not ASCII: decode as the general reader does and check for bad bytes
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
            line++;
            p++; // past the line end
        }
        return new long[] {read, accepted, rejected};
    }

    private static List<String> strings(byte[] b, int[] st, int[] en, int count) {
        List<String> fields = new ArrayList<>(count);
        for (int i = 0; i < count; i++) fields.add(new String(b, st[i], en[i] - st[i], StandardCharsets.UTF_8));
        return fields;
    }
}
