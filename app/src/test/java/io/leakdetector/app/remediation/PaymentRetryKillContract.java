package io.leakdetector.app.remediation;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.kagkarlsson.scheduler.Scheduler;
import io.leakdetector.app.store.Store;
import io.leakdetector.app.store.TestDatabase;
import io.leakdetector.core.finding.Finding;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 between sending a payment retry and recording its answer: a child JVM runs the action job against a fake
 * Stripe that takes the charge but never answers; the child is killed (destroyForcibly); a new scheduler revives the
 * dead job, which must send the SAME Idempotency-Key again — so the fake sees one key and exactly one charge — and
 * record the answer, the action succeeded and the finding recovered.
 */
abstract class PaymentRetryKillContract {
    @TempDir
    Path tmp;

    TestDatabase db;

    abstract TestDatabase database(Path dir);

    @AfterEach
    void drop() {
        if (db != null) db.close();
    }

    @Test
    void aPaymentRetryKilledBeforeItsAnswerIsRecordedIsSentAgainWithTheSameKeyAndChargesOnce() throws Exception {
        db = database(tmp.resolve("db"));
        try (Store store = Store.open(db.settings()); FakeStripe stripe = new FakeStripe()) {
            stripe.hangFirst = true;
            RemediationFixtures.customer(store.client(), "cus_kill", "kill@example.com");
            Finding f = RemediationFixtures.failedPayment(store.client(), "in_kill", "cus_kill", "insufficient_funds");
            Remediation remediation = new Remediation(store.client(), store.tx(), Jobs.over(store.dataSource()), Map.of(), null);
            RemediationAction action = remediation.start(f.id(), ActionType.RETRY_PAYMENT, null, true, "analyst");
            ActionRepository actions = new ActionRepository(store.client());

            Process child = startChild(stripe.base());
            try {
                assertThat(stripe.firstRequest.await(3, TimeUnit.MINUTES)).as("the child sent the payment request").isTrue();
            } finally {
                child.destroyForcibly();
                assertThat(child.waitFor(60, TimeUnit.SECONDS)).isTrue();
            }
            // The intent was committed before the request left; the answer never arrived.
            ActionRepository.Intent intent = actions.intent(action.idempotencyKey()).orElseThrow();
            assertThat(intent.state()).isEqualTo("sending");
            assertThat(intent.sends()).isEqualTo(1);
            assertThat(actions.find(action.id()).orElseThrow().status()).isEqualTo(ActionStatus.RUNNING);

            Scheduler again = PaymentRetryChild.scheduler(store, stripe.base(), Duration.ofMillis(500));
            try {
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
                while (System.nanoTime() < deadline && !actions.find(action.id()).orElseThrow().status().finished()) Thread.sleep(200);
            } finally {
                again.stop();
            }

            RemediationAction done = actions.find(action.id()).orElseThrow();
            assertThat(done.status()).as("outcome: %s, error: %s", done.outcome(), done.lastError()).isEqualTo(ActionStatus.SUCCEEDED);
            List<FakeStripe.Request> pays = stripe.requests.stream().filter(r -> r.path().equals("/v1/invoices/in_kill/pay")).toList();
            assertThat(pays).hasSizeGreaterThanOrEqualTo(2);
            Set<String> keys = pays.stream().map(FakeStripe.Request::idempotencyKey).collect(Collectors.toSet());
            assertThat(keys).containsExactly(action.idempotencyKey());
            assertThat(stripe.effects).as("distinct payment effects").hasSize(1);
            assertThat(actions.intent(action.idempotencyKey()).orElseThrow().state()).isEqualTo("paid");
            assertThat(store.client().sql("SELECT status FROM findings WHERE id = ?").param(f.id()).query(String.class).single()).isEqualTo("recovered");
            assertThat(store.client().sql("SELECT amount_minor FROM recoveries WHERE finding_id = ?").param(f.id()).query(Long.class).single()).isEqualTo(4900L);
            assertThat(store.client().sql("SELECT COUNT(*) FROM audit_log WHERE entity_id = ? AND action = 'action.succeeded'")
                    .param(action.id()).query(Long.class).single()).isEqualTo(1L);
        }
    }

    private Process startChild(String stripeBase) throws java.io.IOException {
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        var s = db.settings();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                PaymentRetryChild.class.getName(), s.url(), s.user(), s.password() == null ? "" : s.password(), stripeBase));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectErrorStream(true);
        pb.redirectOutput(tmp.resolve("child-output.txt").toFile());
        return pb.start();
    }
}
