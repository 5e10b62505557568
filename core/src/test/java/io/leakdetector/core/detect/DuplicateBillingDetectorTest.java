package io.leakdetector.core.detect;

import static io.leakdetector.core.detect.HistoryBuilder.L;
import static io.leakdetector.core.detect.HistoryBuilder.P;
import static io.leakdetector.core.detect.HistoryBuilder.S;
import static io.leakdetector.core.detect.HistoryBuilder.ctx;
import static io.leakdetector.core.detect.HistoryBuilder.usd;
import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.core.domain.PaymentStatus;
import org.junit.jupiter.api.Test;

class DuplicateBillingDetectorTest {
    private final DuplicateBillingDetector detector = new DuplicateBillingDetector();
    private final DetectionContext ctx = ctx("2026-03-01", P.price("price_pro_v1"));

    @Test
    void secondInvoiceForTheSamePeriodNamesTheLaterOne() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1"))
                .invoice("in_1", "sub_1", "2026-01-01", "2026-02-01", true, L.sub("price_pro_v1", 1, "79.00"))
                .invoice("in_2", "sub_1", "2026-01-02", "2026-01-01", "2026-02-01", true, "0.00", L.sub("price_pro_v1", 1, "79.00"));
        assertThat(detector.detect(h.build(), ctx)).singleElement().satisfies(d -> {
            assertThat(d.subject()).isEqualTo("invoice:in_2");
            assertThat(d.amountOneTime()).isEqualTo(usd("79.00"));
            assertThat(d.explanation()).contains("in_1", "in_2");
        });
    }

    @Test
    void prorationInvoiceInTheSameMonthIsNotADuplicate() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1"))
                .invoice("in_1", "sub_1", "2026-01-01", "2026-02-01", true, L.sub("price_pro_v1", 1, "79.00"))
                .invoice("in_2", "sub_1", "2026-01-15", "2026-01-01", "2026-02-01", true, "0.00",
                        L.proration("price_pro_v1", 2, "84.00"), L.proration("price_pro_v1", 1, "-42.00"));
        assertThat(detector.detect(h.build(), ctx)).isEmpty();
    }

    @Test
    void consecutivePeriodsAndVoidedOrCreditedCopiesAreNotDuplicates() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1")).monthly("sub_1", "price_pro_v1", 1, "79.00", "2026-01", "2026-02")
                .invoice("in_x", "sub_1", "2026-01-02", "2026-01-01", "2026-02-01", false, "0.00", L.sub("price_pro_v1", 1, "79.00"))
                .creditNote("cn_1", "in_x", "2026-01-03", "79.00", "duplicate");
        assertThat(detector.detect(h.build(), ctx)).isEmpty();
    }

    @Test
    void secondSuccessfulChargeForOneInvoiceNamesThePayment() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1")).monthly("sub_1", "price_pro_v1", 1, "79.00", "2026-01", "2026-01")
                .pay("py_dup", "in_sub_1_2026-01", "2026-01-01T00:05:00Z", "79.00", PaymentStatus.SUCCEEDED, null, 2);
        assertThat(detector.detect(h.build(), ctx)).singleElement().satisfies(d -> {
            assertThat(d.subject()).isEqualTo("payment:py_dup");
            assertThat(d.amountOneTime()).isEqualTo(usd("79.00"));
        });
    }

    @Test
    void invoiceIdsWithTheSameHashAreStillTwoInvoices() {
        // "Aa" and "BB" have the same String hash: the check for repeated invoice ids must compare the ids
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1"))
                .invoice("Aa", "sub_1", "2026-01-01", "2026-02-01", true, L.sub("price_pro_v1", 1, "79.00"))
                .invoice("BB", "sub_1", "2026-02-01", "2026-03-01", true, L.sub("price_pro_v1", 1, "79.00"))
                .pay("py_a", "Aa", "2026-01-01T00:01:00Z", "79.00", PaymentStatus.SUCCEEDED, null, 1)
                .pay("py_b", "BB", "2026-02-01T00:01:00Z", "79.00", PaymentStatus.SUCCEEDED, null, 1);
        assertThat(detector.detect(h.build(), ctx)).isEmpty();
        h.pay("py_dup", "BB", "2026-02-01T00:05:00Z", "79.00", PaymentStatus.SUCCEEDED, null, 2);
        assertThat(detector.detect(h.build(), ctx)).singleElement()
                .satisfies(d -> assertThat(d.subject()).isEqualTo("payment:py_dup"));
    }

    @Test
    void partialPaymentsAddingUpToTheTotalAreNotDuplicates() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1"))
                .invoice("in_1", "sub_1", "2026-01-01", "2026-02-01", true, L.sub("price_pro_v1", 1, "79.00"))
                .pay("py_1", "in_1", "2026-01-01T00:01:00Z", "40.00", PaymentStatus.SUCCEEDED, null, 1)
                .pay("py_2", "in_1", "2026-01-05T00:01:00Z", "39.00", PaymentStatus.SUCCEEDED, null, 2);
        assertThat(detector.detect(h.build(), ctx)).isEmpty();
    }

    @Test
    void stripeInvoiceLevelPeriodsThatLagOnePeriodAreNotDuplicates() {
        // Stripe: a cycle invoice's own period is the previous period; the create invoice's is zero-length
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1"))
                .monthly("sub_1", "price_pro_v1", 1, "79.00", "2026-01", "2026-02")
                .invoicePeriod("in_sub_1_2026-01", "2026-01-01", "2026-01-01", "subscription_create")
                .invoicePeriod("in_sub_1_2026-02", "2026-01-01", "2026-02-01", "subscription_cycle");
        assertThat(detector.detect(h.build(), ctx)).isEmpty();
        // the same shape with a real second invoice for February's service is still found
        h.invoice("in_dup", "sub_1", "2026-02-02", "2026-02-01", "2026-03-01", true, "0.00", L.sub("price_pro_v1", 1, "79.00"))
                .invoicePeriod("in_dup", "2026-01-01", "2026-02-01", "subscription_cycle");
        assertThat(detector.detect(h.build(), ctx)).singleElement()
                .satisfies(d -> assertThat(d.subject()).isEqualTo("invoice:in_dup"));
    }

    @Test
    void oneOffInvoiceWithoutLinesOrPeriodOnAPeriodStartIsNotADuplicate() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1"))
                .monthly("sub_1", "price_pro_v1", 1, "79.00", "2026-01", "2026-02")
                .oneOff("in_setup", "sub_1", "2026-02-01T09:00:00Z", "300.00");
        assertThat(detector.detect(h.build(), ctx)).isEmpty();
    }

    @Test
    void secondChargeAlreadyRefundedIsNotADuplicateLeft() {
        HistoryBuilder h = new HistoryBuilder().sub(S.sub("sub_1")).monthly("sub_1", "price_pro_v1", 1, "79.00", "2026-01", "2026-01")
                .pay("py_dup", "in_sub_1_2026-01", "2026-01-01T00:30:00Z", "79.00", PaymentStatus.SUCCEEDED, null, 2)
                .refund("re_1", "py_dup", "2026-01-02", "79.00", "duplicate");
        assertThat(detector.detect(h.build(), ctx)).isEmpty();
        // refunded only in part: the rest is still charged twice
        h.refunds.clear();
        h.refund("re_1", "py_dup", "2026-01-02", "29.00", "duplicate");
        assertThat(detector.detect(h.build(), ctx)).singleElement()
                .satisfies(d -> assertThat(d.amountOneTime()).isEqualTo(usd("50.00")));
    }
}
