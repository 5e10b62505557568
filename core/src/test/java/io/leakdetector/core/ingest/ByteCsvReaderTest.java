package io.leakdetector.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.core.generate.Generator;
import io.leakdetector.core.generate.GeneratorConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast reader must be the general reader, only faster: for every file of the example directories, of a
 * generated world and of hand-made awkward files, both give the same counts, the same records (with their
 * file:line sources) in the same order and the same rejections (line, column, reason, raw text), whatever the
 * chunk size; files it cannot take the same way (quotes, lone CR) it hands back.
 */
class ByteCsvReaderTest {
    @TempDir Path dir;

    /** Everything a read produced, in order. */
    record Outcome(DataFileReader.FileCounts counts, List<Object> records, List<Rejection> rejections) {}

    static final class Sink implements ByteCsvReader.ChunkHandler<Object> {
        final List<Object> records = new ArrayList<>();
        final List<Rejection> rejections = new ArrayList<>();

        @Override
        public void accepted(Object record) {
            records.add(record);
        }

        @Override
        public void rejected(Rejection rejection) {
            rejections.add(rejection);
        }
    }

    static Outcome general(Path file, EntityKind kind) {
        Sink sink = new Sink();
        @SuppressWarnings("unchecked") EntitySchema<Object> schema = (EntitySchema<Object>) Schemas.of(kind);
        DataFileReader.FileCounts counts = DataFileReader.read(file, schema, new RowHandler<>() {
            @Override
            public void accepted(Parsed<Object> row) {
                sink.accepted(row.record());
            }

            @Override
            public void rejected(Rejection rejection) {
                sink.rejected(rejection);
            }
        }, false);
        return new Outcome(counts, sink.records, sink.rejections);
    }

    static Outcome fast(Path file, EntityKind kind, int chunk) {
        @SuppressWarnings("unchecked") EntitySchema<Object> schema = (EntitySchema<Object>) Schemas.of(kind);
        ForkJoinPool pool = new ForkJoinPool(2);
        try {
            ByteCsvReader.Result<Sink> r = pool.submit(() -> ByteCsvReader.read(file, schema, Sink::new, java.util.Map.of(), chunk)).join();
            if (r == null) return null;
            List<Object> records = new ArrayList<>();
            List<Rejection> rejections = new ArrayList<>();
            for (Sink s : r.chunks()) {
                records.addAll(s.records);
                rejections.addAll(s.rejections);
            }
            return new Outcome(r.counts(), records, rejections);
        } finally {
            pool.shutdown();
        }
    }

    private static void assertSame(Path dataDir, int... chunks) {
        for (EntityKind kind : EntityKind.values()) {
            Path file = dataDir.resolve(kind.fileName());
            if (!Files.exists(file)) continue;
            Outcome expected = general(file, kind);
            for (int chunk : chunks) {
                Outcome actual = fast(file, kind, chunk);
                if (needsGeneralReader(file)) {
                    assertThat(actual).as(file + " has quotes or a lone CR").isNull();
                    continue;
                }
                assertThat(actual).as(file + " is plain CSV").isNotNull();
                assertThat(actual.counts()).as(file + " counts, chunk " + chunk).isEqualTo(expected.counts());
                assertThat(actual.rejections()).as(file + " rejections, chunk " + chunk).isEqualTo(expected.rejections());
                assertThat(actual.records()).as(file + " records, chunk " + chunk).isEqualTo(expected.records());
            }
        }
    }

    private static boolean needsGeneralReader(Path file) {
        try {
            byte[] b = Files.readAllBytes(file);
            for (int i = 0; i < b.length; i++) {
                if (b[i] == '"' || b[i] == '\r' && (i + 1 == b.length || b[i + 1] != '\n')) return true;
            }
            return false;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void smallExampleReadsTheSame() {
        assertSame(RepoFiles.path("examples/small"), 8 << 20, 97);
    }

    @Test
    void badExampleRejectsTheSameRowsForTheSameReasons() {
        Path bad = RepoFiles.path("examples/bad");
        assertSame(bad, 8 << 20, 61);
        assertThat(general(bad.resolve("invoices.csv"), EntityKind.INVOICES).rejections()).isNotEmpty();
    }

    @Test
    void generatedWorldReadsTheSameInManyChunks() {
        Path world = dir.resolve("world");
        Generator.generate(GeneratorConfig.of(150, 12, 5), world);
        assertSame(world, 8 << 20, 4096, 333);
    }

    @Test
    void referenceColumnsShareTheReferencedFilesIds() {
        Path world = dir.resolve("shared");
        Generator.generate(GeneratorConfig.of(60, 6, 3), world);
        List<Object> invoices = general(world.resolve("invoices.csv"), EntityKind.INVOICES).records();
        List<String> ids = invoices.stream().map(i -> ((io.leakdetector.core.domain.Invoice) i).id()).toList();
        IdDictionary dictionary = IdDictionary.of(ids);
        @SuppressWarnings("unchecked") EntitySchema<Object> schema = (EntitySchema<Object>) Schemas.of(EntityKind.INVOICE_LINES);
        ForkJoinPool pool = new ForkJoinPool(2);
        try {
            Path file = world.resolve("invoice_lines.csv");
            ByteCsvReader.Result<Sink> r = pool.submit(() -> ByteCsvReader.read(file, schema, Sink::new,
                    java.util.Map.of("invoice_id", dictionary), 1000)).join();
            List<Object> lines = new ArrayList<>();
            r.chunks().forEach(c -> lines.addAll(c.records));
            assertThat(lines).isEqualTo(general(file, EntityKind.INVOICE_LINES).records()).isNotEmpty();
            java.util.Map<String, String> own = new java.util.HashMap<>();
            ids.forEach(id -> own.put(id, id));
            for (Object o : lines) {
                String invoiceId = ((io.leakdetector.core.domain.InvoiceLine) o).invoiceId();
                if (own.containsKey(invoiceId)) assertThat(invoiceId).isSameAs(own.get(invoiceId));
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void awkwardPlainFilesReadTheSame() throws IOException {
        Path d = dir.resolve("awkward");
        Files.createDirectories(d);
        String bom = "\uFEFF";
        write(d.resolve("invoices.csv"), "\r\n" + bom
                + "invoice_id,customer_id,subscription_id,status,created_at,period_start,period_end,currency,subtotal,discount,tax,total,amount_paid,billing_reason\r\n"
                + "in_1,cus_1,,paid,2026-02-01T00:05:00Z,2026-02-01,2026-03-01,USD,120.00,0.00,0.00,120.00,120.00,manual\r\n"
                + "\r\n"
                + "in_2, cus_1 ,,PAID,2026-02-01 10:15,2026-02-01T00:00:00+01:00,1772323200,usd,\"1,200.00\",,,1200.00,0,\r\n"
                + "in_3,cus_1,,paid,2026-02-30T00:05:00Z,,,USD,1.00,0,0,1.00,0,\n"
                + "in_4,cus_1,,paid,2026-02-01T24:05:00Z,,,USD,1.001,0,0,1.00,0,\n"
                + "in_5,cus_1,,paid,2026-02-01T00:05:00Z,,,JPY,1.5,0,0,1,0,extra,field\n"
                + "in_6,cus_1\n"
                + "in_7,cus_é,,paid,2026-02-01T00:05:00Z,,,EUR,1.00,0,0,1.00,0,caf\u00e9\n"
                + "in_8,cus_1,,paid,  2026-02-01T00:05:00Z ,2026-03-01,2026-02-01,USD, 1.00 ,0,0,1.00,0,\n"
                + "in_9,,,paid,20260201,,,XXX,abc,0,0,1.00,0,\n"
                + "in_10,cus_1,,paid,2026-02-01,,,KWD,-1.000,,,-1.000,,last line without end");
        // the quoted line above makes this file a general-reader file; a copy without it is plain
        String plain = Files.readString(d.resolve("invoices.csv")).replace("\"1,200.00\"", "1200.00");
        Path p = dir.resolve("plain");
        Files.createDirectories(p);
        write(p.resolve("invoices.csv"), plain);
        byte[] bad = (plain.substring(0, plain.indexOf("in_10")) + "in_11,cus_1,,paid,2026-02-01,,,USD,1.00,0,0,1.00,0,x")
                .getBytes(StandardCharsets.UTF_8);
        byte[] withBadByte = new byte[bad.length + 2];
        System.arraycopy(bad, 0, withBadByte, 0, bad.length);
        withBadByte[bad.length] = (byte) 0xC3; // a truncated two-byte sequence
        withBadByte[bad.length + 1] = '\n';
        write(p.resolve("payments.csv"), "payment_id,invoice_id,customer_id,attempted_at,currency,amount,status,decline_code,payment_method_id,attempt\n"
                + "py_1,in_1,cus_1,2026-02-01T01:05:00Z,USD,1.00,succeeded,,,1\n"
                + "py_2,in_1,cus_1,2026-02-01T01:05:00Z,USD,1.00,failed,card_declined,,+2\n"
                + "py_3,in_1,cus_1,2026-02-01T01:05:00Z,USD,1.00,failed,,,3.0\n"
                + "py_4,in_1,cus_1,2026-02-01T01:05:00Z,USD,1.00,failed,,,0\n"
                + "py_5,in_1,cus_1,2026-02-01T01:05:00Z,USD,-1.00,failed,,,x\n"
                + "py_6,in_1,cus_1,2026-02-01T01:05:00Z,USD,1.00,failed,,,99999999999999999999\n");
        write(p.resolve("app_accounts.csv"), "account_id,customer_id,product_id,observed_on,seats_in_use,access_status\n"
                + "a_1,cus_1,prod,2026-02-01,3,active\n"
                + "a_1,cus_1,prod,2026-02-29,3,active\n"
                + "a_1,cus_1,prod,2026-02-01T10:00:00Z,3,active\n"
                + "a_1,cus_1,prod,2026-2-1,-3,active\n"
                + "a_1,cus_1,prod,2026-02-01,,active\n"
                + "a_1,cus_1,prod, 2026-02-02 , 4 ,active\n"
                + "a_1,cus_1,prod,2026-02-02,x,active\n"
                + "a_1,cus_1,prod,2026-02-03,+5,active\n"
                + "a_1,cus_1,prod,2026-02-03,99999999999999999999,active\n"
                + "a_1,cus_1,prod,2026-02-03, ,active\n");
        assertSame(p, 8 << 20, 50, 7);
        Files.write(p.resolve("invoices.csv"), withBadByte);
        assertSame(p, 8 << 20, 13);

        assertThat(fast(d.resolve("invoices.csv"), EntityKind.INVOICES, 8 << 20)).as("quotes").isNull();
        write(p.resolve("customers.csv"), bom + "\r\ncustomer_id,currency\ncus_1,USD\n");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> general(p.resolve("customers.csv"), EntityKind.CUSTOMERS))
                .isInstanceOf(FileFormatException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> fast(p.resolve("customers.csv"), EntityKind.CUSTOMERS, 8 << 20))
                .isInstanceOf(FileFormatException.class).hasMessageContaining("header lacks");
        write(d.resolve("customers.csv"), "customer_id,currency\rcus_1,USD\r");
        assertThat(fast(d.resolve("customers.csv"), EntityKind.CUSTOMERS, 8 << 20)).as("lone CR").isNull();
    }

    @Test
    void epochDaysAreThoseOfLocalDate() {
        for (java.time.LocalDate d = java.time.LocalDate.of(1599, 12, 1); d.getYear() < 2402; d = d.plusDays(1)) {
            assertThat(AsciiSlice.epochDay(d.getYear(), d.getMonthValue(), d.getDayOfMonth())).isEqualTo(d.toEpochDay());
        }
        assertThat(AsciiSlice.epochDay(2026, 2, 29)).isEqualTo(Long.MIN_VALUE);
        assertThat(AsciiSlice.epochDay(2000, 2, 29)).isEqualTo(java.time.LocalDate.of(2000, 2, 29).toEpochDay());
        assertThat(AsciiSlice.epochDay(1900, 2, 29)).isEqualTo(Long.MIN_VALUE);
        assertThat(AsciiSlice.epochDay(2026, 4, 31)).isEqualTo(Long.MIN_VALUE);
        assertThat(AsciiSlice.epochDay(2026, 13, 1)).isEqualTo(Long.MIN_VALUE);
        assertThat(AsciiSlice.epochDay(2026, 0, 1)).isEqualTo(Long.MIN_VALUE);
        assertThat(AsciiSlice.epochDay(0, 1, 1)).isEqualTo(java.time.LocalDate.of(0, 1, 1).toEpochDay());
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
