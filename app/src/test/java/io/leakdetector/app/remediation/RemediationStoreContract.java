package io.leakdetector.app.remediation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakdetector.app.detect.FindingRepository;
import io.leakdetector.app.store.StoreTestBase;
import io.leakdetector.app.web.ApiException;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Confidence;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.finding.FindingStatus;
import io.leakdetector.core.finding.Kind;
import io.leakdetector.core.money.Currencies;
import io.leakdetector.core.money.Money;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Remediation's SQL on a real store (H2 and PostgreSQL): recoveries found after new records arrive, playbooks saved
 * and read back, attempt-numbered idempotency keys, and durable jobs written to db-scheduler's table.
 */
abstract class RemediationStoreContract extends StoreTestBase {

    Remediation engine() {
        return new Remediation(store.client(), store.tx(), Jobs.over(store.dataSource()), Map.of(), null);
    }

    @Test
    void aSuccessfulPaymentAfterTheDeclineRecoversAFailedPaymentFindingWithItsAmountAndDate() {
        RemediationFixtures.customer(store.client(), "cus_r", "r@example.com");
        Finding f = RemediationFixtures.failedPayment(store.client(), "in_r", "cus_r", "insufficient_funds");
        Recoveries recoveries = new Recoveries(store.client(), store.tx());
        assertThat(recoveries.sweep()).isEmpty();

        Instant paidAt = RemediationFixtures.T0.plusSeconds(86400 * 20);
        RemediationFixtures.payment(store.client(), "py_r_ok", "in_r", "cus_r", paidAt, 4900, "succeeded", null);
        List<Recoveries.Recovery> found = recoveries.sweepInvoices(List.of("in_r"));

        assertThat(found).containsExactly(new Recoveries.Recovery(f.id(), paidAt, 4900, "USD", "payment", "payment:py_r_ok"));
        assertThat(new FindingRepository(store.client()).find(f.id()).orElseThrow().status()).isEqualTo(FindingStatus.RECOVERED);
        assertThat(recoveries.of(f.id())).contains(found.get(0));
        assertThat(recoveries.sweep()).as("a recovered finding recovers once").isEmpty();
        assertThat(store.client().sql("SELECT COUNT(*) FROM audit_log WHERE entity_id = ? AND action = 'finding.recovered'").param(f.id())
                .query(Long.class).single()).isEqualTo(1L);
        Recoveries.Month march = recoveries.monthly(60).stream().filter(m -> m.month().toString().equals("2026-03")).findFirst().orElseThrow();
        assertThat(march.amountMinorByCurrency()).containsEntry("USD", 4900L);
    }

    @Test
    void aLatePaidInvoiceRecoversAMissedInvoiceAndACorrectedInvoiceAPriceMismatch() {
        var jdbc = store.client();
        RemediationFixtures.customer(jdbc, "cus_m", "m@example.com");
        var usd = Currencies.of("USD");
        Finding missed = new Finding("f_missed", Category.MISSED_INVOICE, Kind.LEAK, "subscription:sub_x@2026-04", "cus_m",
                new Money(9900, usd), Money.zero(usd), usd, 0.9, Confidence.HIGH, RemediationFixtures.T0, List.of(), "no invoice", "bill it",
                FindingStatus.OPEN, List.of("missed"));
        Finding mismatch = new Finding("f_price", Category.PRICE_MISMATCH, Kind.LEAK, "invoice:in_low", "cus_m",
                Money.zero(usd), new Money(2000, usd), usd, 0.9, Confidence.HIGH, RemediationFixtures.T0, List.of(), "priced low", "fix",
                FindingStatus.ACKNOWLEDGED, List.of("price"));
        new FindingRepository(jdbc).save(List.of(missed, mismatch));
        Instant april = Instant.parse("2026-04-01T00:00:00Z");
        insertInvoice("in_low", "sub_m", april, april.plusSeconds(3600), 7900);
        insertInvoice("in_fix", "sub_m", april, Instant.parse("2026-05-02T00:00:00Z"), 2000);
        insertInvoice("in_x_late", "sub_x", Instant.parse("2026-04-03T00:00:00Z"), Instant.parse("2026-05-09T00:00:00Z"), 9900);

        List<Recoveries.Recovery> found = new Recoveries(jdbc, store.tx()).sweep();

        assertThat(found).extracting(Recoveries.Recovery::findingId, Recoveries.Recovery::amountMinor, Recoveries.Recovery::source)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("f_missed", 9900L, "late_invoice"),
                        org.assertj.core.groups.Tuple.tuple("f_price", 2000L, "corrected_invoice"));
    }

    private void insertInvoice(String id, String sub, Instant periodStart, Instant created, long paid) {
        store.client().sql("INSERT INTO invoices (invoice_id, customer_id, subscription_id, status, created_at, period_start, currency, subtotal_minor, "
                        + "discount_minor, tax_minor, total_minor, amount_paid_minor, source_file, source_line, content_hash, import_id) "
                        + "VALUES (?, 'cus_m', ?, 'paid', ?, ?, 'USD', ?, 0, 0, ?, ?, 'test', 1, 1, 0)")
                .params(id, sub, Timestamp.from(created), Timestamp.from(periodStart), paid, paid, paid).update();
    }

    @Test
    void playbooksAreSavedWholeAndReadBackInOrder() {
        PlaybookRepository repo = new PlaybookRepository(store.client());
        assertThat(repo.all()).hasSize(Category.values().length);
        assertThat(repo.find("FAILED_PAYMENT").orElseThrow().steps().get(0))
                .isEqualTo(new Playbook.Step(1, ActionType.RETRY_PAYMENT, null, 3, false, "soft"));
        Playbook p = new Playbook("SILENT_CHURN", true, 5, List.of(new Playbook.Step(1, ActionType.ALERT_TEAM, null, 0, false, null),
                new Playbook.Step(2, ActionType.CREATE_TICKET, "zendesk", 2, true, null)));
        store.tx().executeWithoutResult(s -> repo.save(p, "admin"));
        assertThat(repo.find("SILENT_CHURN")).contains(p);
    }

    @Test
    void eachNewActionOfAKindGetsTheNextAttemptsKeyAndADurableJob() {
        RemediationFixtures.customer(store.client(), "cus_k", "k@example.com");
        Finding f = RemediationFixtures.failedPayment(store.client(), "in_k", "cus_k", "generic_decline");
        Remediation r = engine();
        RemediationAction first = r.start(f.id(), ActionType.CREATE_TICKET, "jira", true, "ana");
        RemediationAction second = r.start(f.id(), ActionType.CREATE_TICKET, "jira", true, "ana");
        assertThat(first.idempotencyKey()).isEqualTo("f_in_k:create_ticket:1");
        assertThat(second.idempotencyKey()).isEqualTo("f_in_k:create_ticket:2");
        assertThat(store.client().sql("SELECT COUNT(*) FROM scheduled_tasks WHERE task_name = ? AND task_instance IN (?, ?)")
                .params(Jobs.ACTION_TASK, first.id(), second.id()).query(Long.class).single()).isEqualTo(2L);
        assertThat(new FindingRepository(store.client()).find(f.id()).orElseThrow().status()).isEqualTo(FindingStatus.IN_REMEDIATION);
        // one payment retry at a time, and none for a decline that is not soft
        RemediationAction pay = r.start(f.id(), ActionType.RETRY_PAYMENT, null, true, "ana");
        assertThat(pay.idempotencyKey()).isEqualTo("f_in_k:retry_payment:1");
        assertThatThrownBy(() -> r.start(f.id(), ActionType.RETRY_PAYMENT, null, true, "ana")).isInstanceOf(ApiException.class)
                .hasMessageContaining("still scheduled");
        RemediationFixtures.customer(store.client(), "cus_h", "h@example.com");
        Finding hard = RemediationFixtures.failedPayment(store.client(), "in_h", "cus_h", "stolen_card");
        assertThatThrownBy(() -> r.start(hard.id(), ActionType.RETRY_PAYMENT, null, true, "ana")).isInstanceOf(ApiException.class)
                .hasMessageContaining("only for soft declines");
        // cancelling removes the waiting job
        r.cancel(second.id(), "ana");
        assertThat(store.client().sql("SELECT COUNT(*) FROM scheduled_tasks WHERE task_instance = ?").param(second.id()).query(Long.class).single()).isZero();
    }

    @Test
    void aPlaybookStartsWithTheStepForTheFindingsDeclineClass() {
        RemediationFixtures.customer(store.client(), "cus_p", "p@example.com");
        Finding hard = RemediationFixtures.failedPayment(store.client(), "in_p", "cus_p", "expired_card");
        List<RemediationAction> started = engine().startPlaybook(hard.id(), "ana");
        assertThat(started).extracting(RemediationAction::action).containsExactly(ActionType.REQUEST_CARD_UPDATE, ActionType.ESCALATE);
        assertThat(started.get(1).target()).isEqualTo("14");
        assertThatThrownBy(() -> engine().startPlaybook(hard.id(), "ana")).isInstanceOf(ApiException.class).hasMessageContaining("already running");
    }
}
