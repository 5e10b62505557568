package io.leakdetector.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.app.testing.Http;
import io.leakdetector.app.testing.ServerTest;
import io.leakdetector.core.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/** CSV upload jobs over a real server, including a seeded fuzz of malformed CSV files. */
@ServerTest
class ImportApiServerTest {
    static final String ADMIN = Http.basic("admin", ServerTest.ADMIN_PASSWORD);

    @LocalServerPort
    int port;

    static byte[] multipart(String boundary, String fileName, byte[] content, String entity) {
        StringBuilder head = new StringBuilder();
        if (entity != null) {
            head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"entity\"\r\n\r\n")
                    .append(entity).append("\r\n");
        }
        head.append("--").append(boundary).append("\r\nContent-Disposition: form-data; name=\"file\"; filename=\"")
                .append(fileName).append("\"\r\nContent-Type: text/csv\r\n\r\n");
        byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[h.length + content.length + tail.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(content, 0, all, h.length, content.length);
        System.arraycopy(tail, 0, all, h.length + content.length, tail.length);
        return all;
    }

    Http.Response upload(String fileName, String csv, String entity) {
        String boundary = "b" + UUID.randomUUID();
        return new Http(port).send("POST", "/api/v1/imports", ADMIN, "multipart/form-data; boundary=" + boundary,
                multipart(boundary, fileName, csv.getBytes(StandardCharsets.UTF_8), entity), null);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String s) {
        return (Map<String, Object>) Json.parse(s);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> waitFor(String id) throws InterruptedException {
        Http http = new Http(port);
        for (int i = 0; i < 600; i++) {
            Map<String, Object> job = (Map<String, Object>) json(http.get("/api/v1/imports/" + id, ADMIN).body()).get("job");
            if (List.of("completed", "failed").contains(job.get("status"))) return job;
            Thread.sleep(100);
        }
        throw new AssertionError("import " + id + " did not finish");
    }

    static long n(Map<String, Object> counts, String key) {
        return Long.parseLong(counts.get(key).toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void anUploadRunsInTheBackgroundWithCountsAndRejectedRows() throws Exception {
        String t = UUID.randomUUID().toString().substring(0, 6);
        String csv = "customer_id,name,currency\n"
                + "cu_" + t + "_1,One,USD\n"
                + "cu_" + t + "_2,Two,EUR\n"
                + "cu_" + t + "_3,Three,XXQ\n"
                + "cu_" + t + "_1,One,USD\n";
        Http.Response r = upload("customers.csv", csv, null);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        String id = (String) ((Map<String, Object>) json(r.body()).get("job")).get("id");
        Map<String, Object> job = waitFor(id);
        assertThat(job.get("status")).isEqualTo("completed");
        Map<String, Object> counts = (Map<String, Object>) job.get("counts");
        assertThat(n(counts, "read")).isEqualTo(4);
        assertThat(n(counts, "imported")).isEqualTo(2);
        assertThat(n(counts, "rejected")).isEqualTo(1);
        assertThat(n(counts, "duplicates")).isEqualTo(1);

        Http.Response rejected = new Http(port).get("/api/v1/imports/" + id + "/rejected.csv", ADMIN);
        assertThat(rejected.status()).isEqualTo(200);
        assertThat(rejected.contentType()).startsWith("text/csv");
        assertThat(rejected.body()).contains("customers.csv,4,currency");

        Http.Response badHeader = upload("invoices.csv", "invoice_id,total\nin_1,5\n", null);
        assertThat(badHeader.status()).isEqualTo(400);
        assertThat(json(badHeader.body())).containsEntry("field", "file");
        assertThat(json(upload("whatever.csv", csv, null).body())).containsEntry("field", "entity");
        assertThat(new Http(port).get("/api/v1/imports/imp_nope", ADMIN).status()).isEqualTo(404);
    }

    @Test
    @SuppressWarnings("unchecked")
    void malformedCsvNeverGives5xxAndEveryRowIsAccountedFor() throws Exception {
        long seed = Long.getLong("fuzz.seed", 7L);
        System.out.println("CSV fuzz seed " + seed);
        Random r = new Random(seed);
        String[] pieces = {"\"", ",", "\n", "\r\n", "x", "12.5", "USD", "2026-01-01", "\u00e9", "=cmd()", "", " ", "\"\"", "\uFFFD"};
        for (int n = 0; n < 25; n++) {
            StringBuilder sb = new StringBuilder("customer_id,name,currency,created_at\n");
            int rows = r.nextInt(20);
            for (int i = 0; i < rows; i++) {
                if (r.nextInt(3) == 0) {
                    for (int k = r.nextInt(12); k > 0; k--) sb.append(pieces[r.nextInt(pieces.length)]);
                    sb.append('\n');
                } else {
                    sb.append("fz").append(seed).append('_').append(n).append('_').append(i).append(",N,USD,2026-01-0")
                            .append(1 + r.nextInt(9)).append('\n');
                }
            }
            String body = r.nextInt(6) == 0 ? sb.substring(0, r.nextInt(sb.length())) : sb.toString();
            Http.Response res = upload("customers.csv", body, null);
            assertThat(res.status()).as(body).isIn(202, 400);
            if (res.status() == 202) {
                Map<String, Object> job = waitFor((String) ((Map<String, Object>) json(res.body()).get("job")).get("id"));
                assertThat(job.get("status")).as(body).isEqualTo("completed");
                Map<String, Object> c = (Map<String, Object>) job.get("counts");
                assertThat(n(c, "read")).as(body).isEqualTo(n(c, "imported") + n(c, "rejected") + n(c, "duplicates"));
            }
        }
    }
}
