package io.leakdetector.app.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.app.api.IngestService;
import io.leakdetector.app.detect.FindingListener;
import io.leakdetector.app.detect.FindingRepository;
import io.leakdetector.app.testing.Http;
import io.leakdetector.app.testing.ServerTest;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.json.JsonMapper;

/**
 * On the real store (H2 and PostgreSQL): a customer's invoice, failed payment and successful payment, decided one
 * after another while the earlier ones wait for their commit and written in three rounds of one group commit, give
 * the same answers and the same stored findings (the failed-payment finding recovered) as the same events sent one
 * at a time. The writer here lingers 300 ms, so the three events are in one group.
 */
@ServerTest
class RealtimeRoundsServerTest {
    @LocalServerPort
    int port;
    @Autowired
    IngestService ingest;
    @Autowired
    FindingRepository findings;
    @Autowired
    TransactionTemplate tx;
    @Autowired
    CustomerDecider decider;
    @Autowired
    CustomerStates states;
    @Autowired
    JsonMapper json;

    final ExecutorService pool = Executors.newFixedThreadPool(3);
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    GroupCommit writer;

    @AfterEach
    void stop() throws InterruptedException {
        pool.shutdownNow();
        if (writer != null) writer.stop();
    }

    RealtimeService service() {
        RealtimeProperties props = new RealtimeProperties(64, 5_000, 1024, 1000, 60_000, 300_000, 1);
        writer = new GroupCommit(ingest, findings, tx, props, FindingListener.NONE, 1, new RealtimeMetrics(meters));
        return new RealtimeService(ingest, writer, decider, states, props);
    }

    static List<String> events(String run) {
        String customer = "cus_" + run;
        String invoice = "in_" + run;
        return List.of(
                EventsServerTest.invoice(invoice, customer),
                "{\"event_id\":\"evt_" + run + "_f\",\"type\":\"payment.failed\",\"data\":"
                        + EventsServerTest.failedPayment("py_" + run + "_f", invoice, customer) + "}",
                """
                {"event_id":"evt_%1$s_ok","type":"payment.succeeded","data":{"payment_id":"py_%1$s_ok","invoice_id":"in_%1$s",
                 "customer_id":"cus_%1$s","attempted_at":"2026-01-02T00:00:00Z","currency":"USD","amount":"49.00","status":"succeeded"}}"""
                        .formatted(run));
    }

    Decision handle(RealtimeService service, String body) {
        EventsController.Event e = EventsController.Event.of(json.readTree(body));
        return service.handle(e.id(), e.type(), e.inputs(), System.nanoTime());
    }

    /** The answer without its time and finding ids (derived from the subject), with the run's ids replaced. */
    static String normalised(Decision d, String run) {
        return (d.event_id() + " " + d.type() + " " + d.customer_id() + " " + d.stored() + " " + d.findings())
                .replaceAll("FindingDecision\\[id=[^,]*,", "FindingDecision[").replace(run, "RUN");
    }

    @Test
    void eventsDecidedWhileTheEarlierOnesCommitGiveTheAnswersAndFindingsOfEventsSentOneByOne() throws Exception {
        RealtimeService service = service();
        String sequential = "rs" + Long.toString(System.nanoTime(), 36);
        String pipelined = "rp" + Long.toString(System.nanoTime(), 36);
        List<String> one = new ArrayList<>();
        for (String body : events(sequential)) one.add(normalised(handle(service, body), sequential));

        List<Future<Decision>> answers = new ArrayList<>();
        GroupCommit.Pending before = null;
        for (String body : events(pipelined)) {
            answers.add(pool.submit(() -> handle(service, body)));
            GroupCommit.Pending previous = before;
            // the next event is sent once this one is queued (decided, its lock let go), so the order is fixed
            waitUntil(() -> service.pendingOf("cus_" + pipelined) != null && service.pendingOf("cus_" + pipelined) != previous);
            before = service.pendingOf("cus_" + pipelined);
        }
        List<String> other = new ArrayList<>();
        for (Future<Decision> f : answers) other.add(normalised(f.get(30, TimeUnit.SECONDS), pipelined));

        assertThat(meters.find("leak.realtime.batch").summary().max()).as("the three events in one group").isEqualTo(3.0);
        assertThat(other).isEqualTo(one);
        assertThat(other.get(1)).contains("category=FAILED_PAYMENT");
        Http http = new Http(port);
        String admin = Http.basic("admin", ServerTest.ADMIN_PASSWORD);
        for (String run : List.of(sequential, pipelined)) {
            assertThat(http.get("/api/v1/findings?customer=cus_" + run + "&status=recovered", admin).body())
                    .as("the failed payment's finding recovered by the payment (the sweep of round three saw round two's finding)")
                    .contains("invoice:in_" + run);
        }
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) Thread.sleep(1);
        assertThat(condition.getAsBoolean()).as("condition reached in time").isTrue();
    }
}
