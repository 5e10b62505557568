package io.leakdetector.app.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.app.testing.Http;
import io.leakdetector.app.testing.ServerTest;
import io.leakdetector.app.testing.Stored;
import io.leakdetector.app.ingest.HttpRecords;
import io.leakdetector.core.ingest.Column;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.util.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Throws malformed and half-valid JSON at the ingest routes (seeded, so a failure can be replayed): no answer is
 * a 5xx, and a request is either stored whole or leaves nothing behind.
 */
@ServerTest
class IngestFuzzServerTest {
    static final String ADMIN = Http.basic("admin", ServerTest.ADMIN_PASSWORD);
    /** An analyst API key: cheap to check, where HTTP Basic pays for a bcrypt hash on every request. */
    String auth;
    static final long SEED = Long.getLong("fuzz.seed", 20261121L);
    static final int REQUESTS = Integer.getInteger("fuzz.requests", 250);

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    int serial;

    /** A valid record of {@code kind} built from the schema's own examples, with a fresh id. */
    Map<String, Object> valid(EntityKind kind, String prefix) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Column c : kind.schema().columns()) m.put(c.name(), c.example());
        String idColumn = kind.schema().columns().get(0).name();
        m.put(idColumn, prefix + (serial++));
        if (kind == EntityKind.APP_ACCOUNTS) m.put("observed_on", "2026-01-" + (10 + serial % 18));
        return m;
    }

    Object garbage(Random r) {
        return switch (r.nextInt(9)) {
            case 0 -> "";
            case 1 -> "not-a-value-\u0000\uFFFF";
            case 2 -> Map.of("nested", 1);
            case 3 -> List.of(1, 2);
            case 4 -> r.nextBoolean();
            case 5 -> "9".repeat(40);
            case 6 -> "-1e309";
            case 7 -> "2026-13-45T99:00:00Z";
            default -> null;
        };
    }

    /** A mutated copy; {@code mustFail[0]} is set when the mutation surely makes the record invalid. */
    Map<String, Object> mutate(EntityKind kind, Map<String, Object> m, Random r, boolean[] mustFail) {
        Map<String, Object> out = new LinkedHashMap<>(m);
        List<String> keys = new ArrayList<>(out.keySet());
        String key = keys.get(r.nextInt(keys.size()));
        boolean required = kind.schema().column(key).required();
        switch (r.nextInt(4)) {
            case 0 -> {
                out.remove(key);
                mustFail[0] |= required;
            }
            case 1 -> {
                Object g = garbage(r);
                out.put(key, g);
                mustFail[0] |= g instanceof Map || g instanceof List || (required && (g == null || "".equals(g)));
            }
            case 2 -> {
                out.put("unknown_" + r.nextInt(100), "x");
                mustFail[0] = true;
            }
            default -> out.put(keys.get(0), garbage(r));
        }
        return out;
    }

    static String truncate(String s, Random r) {
        return s.substring(0, r.nextInt(Math.max(1, s.length())));
    }

    record Sent(EntityKind kind, int status, List<String> ids, String body) {}

    @Test
    void malformedInputNeverGives5xxAndNothingIsHalfStored() {
        Random r = new Random(SEED);
        System.out.println("IngestFuzzServerTest seed " + SEED + " (replay with -Dfuzz.seed=" + SEED + ")");
        Http http = new Http(port);
        Http.Response key = http.post("/api/v1/admin/api-keys", ADMIN, "{\"name\":\"fuzz\",\"role\":\"analyst\"}");
        auth = Http.bearer((String) ((Map<?, ?>) Json.parse(key.body())).get("key"));
        String prefix = "fz" + SEED + "_";
        EntityKind[] kinds = EntityKind.values();
        List<Sent> sent = new ArrayList<>();
        long expectedStored = 0;
        for (int n = 0; n < REQUESTS; n++) {
            EntityKind kind = kinds[r.nextInt(kinds.length)];
            String path = "/api/v1/entities/" + kind.fileName().replace(".csv", "");
            int shape = r.nextInt(10);
            boolean asEvent = r.nextInt(8) == 0;
            List<Map<String, Object>> records = new ArrayList<>();
            int size = shape == 3 || asEvent ? 1 : 1 + r.nextInt(4);
            boolean[] mustFail = {false};
            for (int i = 0; i < size; i++) {
                Map<String, Object> v = valid(kind, prefix);
                if (r.nextInt(3) == 0) v = mutate(kind, v, r, mustFail);
                records.add(v);
            }
            String body;
            if (shape == 0) body = truncate(Json.write(records), r);
            else if (shape == 1) body = new String(randomBytes(r), StandardCharsets.ISO_8859_1);
            else if (shape == 2) body = "[" + "[".repeat(r.nextInt(2000)) ;
            else if (shape == 3) body = Json.write(records.get(0));
            else body = Json.write(records);
            Http.Response res;
            if (asEvent) {
                Map<String, Object> event = Map.of("type", eventType(kind), "data", records.get(0));
                res = http.post("/api/v1/events", auth, shape >= 3 ? Json.write(event) : body);
            } else {
                res = http.post(path, auth, body);
            }
            assertThat(res.status()).as("request " + n + " to " + path + ": " + body).isLessThan(500);
            if (res.status() >= 400) {
                assertThat(res.contentType()).as("request " + n).startsWith("application/problem+json");
            }
            List<String> ids = new ArrayList<>();
            String idColumn = kind.schema().columns().get(0).name();
            for (Map<String, Object> rec : records) {
                if (rec.get(idColumn) instanceof String s && s.startsWith(prefix)) ids.add(s);
            }
            sent.add(new Sent(kind, res.status(), ids, body));
            if (res.status() < 300) {
                assertThat(mustFail[0] && shape >= 3).as("request " + n + " with an invalid record was accepted: " + body).isFalse();
            }
        }
        for (Sent s : sent) {
            for (String id : s.ids()) {
                long stored = new Stored(jdbc).count(s.kind(), id);
                if (s.status() >= 400) {
                    assertThat(stored).as("record " + id + " of a rejected request was stored: " + s.body()).isZero();
                } else {
                    assertThat(stored).as("record " + id + " of an accepted request is missing: " + s.body()).isEqualTo(1);
                }
            }
            if (s.status() < 300) expectedStored += s.ids().size();
        }
        long storedTotal = 0;
        for (EntityKind k : EntityKind.values()) {
            storedTotal += jdbc.sql("SELECT COUNT(*) FROM " + HttpRecords.tableOf(k) + " WHERE " + HttpRecords.idColumnOf(k) + " LIKE ?")
                    .param(prefix + "%").query(Long.class).single();
        }
        assertThat(storedTotal).isEqualTo(expectedStored);
        assertThat(sent).anyMatch(s -> s.status() < 300).anyMatch(s -> s.status() == 400);
    }

    static String eventType(EntityKind kind) {
        String base = kind.fileName().replace(".csv", "");
        if (base.endsWith("s")) base = base.substring(0, base.length() - 1);
        return base + ".updated";
    }

    static byte[] randomBytes(Random r) {
        byte[] b = new byte[r.nextInt(200)];
        r.nextBytes(b);
        return b;
    }
}
