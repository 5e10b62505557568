package io.leakdetector.app.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.app.store.Store;
import io.leakdetector.app.store.TestDatabase;
import io.leakdetector.app.testing.Http;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of {@code serve} while events arrive: a real {@code leak-detector serve} child process takes
 * {@code POST /api/v1/events} from several connections and is killed with destroyForcibly() once it has answered
 * some; every event it answered 200 must then be in the store (an event is acknowledged only after its group commit).
 */
abstract class RealtimeKillContract {
    private static final String ADMIN_PASSWORD = "kill-test-admin-pw";
    private static final int SENDERS = 8;
    private static final int ACKED_BEFORE_KILL = 300;

    @TempDir
    Path tmp;

    TestDatabase db;
    private Process child;

    abstract TestDatabase database(Path tmp);

    @AfterEach
    void cleanUp() {
        if (child != null) child.destroyForcibly();
        if (db != null) db.close();
    }

    @Test
    void everyAcknowledgedEventSurvivesAKill() throws Exception {
        db = database(tmp.resolve("db"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        child = startServe(port);
        String base = "http://127.0.0.1:" + port;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        waitForHealth(http, base);
        String key = apiKey(http, base);

        ConcurrentLinkedQueue<String> acked = new ConcurrentLinkedQueue<>();
        AtomicInteger answered = new AtomicInteger();
        List<Thread> senders = new ArrayList<>();
        for (int t = 0; t < SENDERS; t++) {
            int sender = t;
            Thread th = new Thread(() -> send(http, base, key, sender, acked, answered));
            th.setDaemon(true);
            th.start();
            senders.add(th);
        }
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (acked.size() < ACKED_BEFORE_KILL && System.nanoTime() < deadline && child.isAlive()) Thread.sleep(20);
        assertThat(acked.size()).as("events answered 200 before the kill").isGreaterThanOrEqualTo(ACKED_BEFORE_KILL);
        child.destroyForcibly(); // while the senders are still sending
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
        for (Thread th : senders) th.join(TimeUnit.SECONDS.toMillis(30));
        List<String> acknowledged = new ArrayList<>(acked);

        try (Store store = Store.open(db.settings())) {
            Set<String> invoices = new HashSet<>(store.jdbc().queryForList("SELECT invoice_id FROM invoices", String.class));
            Set<String> lines = new HashSet<>(store.jdbc().queryForList("SELECT line_id FROM invoice_lines", String.class));
            List<String> lost = new ArrayList<>();
            for (String inv : acknowledged) if (!invoices.contains(inv) || !lines.contains(inv + "_l")) lost.add(inv);
            assertThat(lost).as("acknowledged events missing after kill -9 (of %d acknowledged)", acknowledged.size()).isEmpty();
        }
    }

    /** Sends invoice events (each with one line) until the service stops answering; notes the invoices answered 200. */
    private static void send(HttpClient http, String base, String key, int sender, ConcurrentLinkedQueue<String> acked,
                             AtomicInteger answered) {
        for (int i = 0; i < 100_000; i++) {
            String inv = "ki_" + sender + "_" + i;
            String body = "{\"type\":\"invoice.created\",\"data\":{\"invoice_id\":\"" + inv + "\",\"customer_id\":\"kc_" + sender + "_" + (i % 25)
                    + "\",\"status\":\"open\",\"created_at\":\"2026-11-01T00:00:00Z\",\"currency\":\"USD\",\"subtotal\":\"49.00\",\"total\":\"49.00\"},"
                    + "\"lines\":[{\"line_id\":\"" + inv + "_l\",\"invoice_id\":\"" + inv + "\",\"kind\":\"subscription\",\"currency\":\"USD\","
                    + "\"unit_amount\":\"49.00\",\"amount\":\"49.00\"}]}";
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/events"))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                answered.incrementAndGet();
                if (r.statusCode() == 200) acked.add(inv);
            } catch (java.io.IOException e) {
                return; // killed
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private Process startServe(int port) throws java.io.IOException {
        ProcessBuilder pb = db.cli("serve", "--port", Integer.toString(port));
        pb.environment().put("LEAK_ADMIN_PASSWORD", ADMIN_PASSWORD);
        return pb.redirectErrorStream(true).redirectOutput(tmp.resolve("serve.log").toFile()).start();
    }

    private void waitForHealth(HttpClient http, String base) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
        while (System.nanoTime() < deadline) {
            assertThat(child.isAlive()).as("serve exited; see %s", tmp.resolve("serve.log")).isTrue();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/health")).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) return;
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("serve did not answer /actuator/health in time");
    }

    private static String apiKey(HttpClient http, String base) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/admin/api-keys"))
                .header("Authorization", Http.basic("admin", ADMIN_PASSWORD)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"kill\",\"role\":\"analyst\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"key\"\\s*:\\s*\"([^\"]+)\"").matcher(r.body());
        assertThat(m.find()).as("an API key in %s", r.body()).isTrue();
        return m.group(1);
    }
}
