package io.leakdetector.core.ml.features;

import io.leakdetector.core.domain.BillingInterval;
import io.leakdetector.core.domain.CreditNote;
import io.leakdetector.core.domain.Customer;
import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.domain.InvoiceLine;
import io.leakdetector.core.domain.InvoiceStatus;
import io.leakdetector.core.domain.LineKind;
import io.leakdetector.core.domain.Payment;
import io.leakdetector.core.domain.PaymentStatus;
import io.leakdetector.core.domain.Price;
import io.leakdetector.core.domain.PricingScheme;
import io.leakdetector.core.domain.Refund;
import io.leakdetector.core.domain.Subscription;
import io.leakdetector.core.domain.SubscriptionStatus;
import io.leakdetector.core.generate.Generator;
import io.leakdetector.core.generate.GeneratorConfig;
import io.leakdetector.core.ml.FeatureMatrix;
import io.leakdetector.core.money.Money;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BillingFeaturesTest {
    private static final Currency EUR = Currency.getInstance("EUR");

    private static Money eur(long cents) { return new Money(cents, EUR); }

    private static Instant day(String date) { return Instant.parse(date + "T00:00:00Z"); }

    private static Invoice invoice(String id, String customer, String sub, InvoiceStatus status, String from, String to,
                                   long subtotal, long discount, long tax, long paid) {
        return new Invoice(id, customer, sub, status, day(from), day(from), day(to), EUR, eur(subtotal), eur(discount),
                eur(tax), eur(subtotal - discount + tax), eur(paid), "subscription_cycle", "invoices.csv:" + id);
    }

    private static InvoiceLine line(String id, String invoice, LineKind kind, long qty, long unit) {
        return new InvoiceLine(id, invoice, kind, "p1", kind.name(), qty, eur(unit), eur(qty * unit), null, null, "l:" + id);
    }

    /**
     * Customer c1: 5 seats at EUR 10.00 with a contract discount of 10 %, tax 19 % in DE. January is correct,
     * February bills a hundredfold (an exponent bug) and is not paid after two failed attempts, March charges the
     * tax twice and is partly refunded. Customer c2 (DE) has one correct invoice.
     */
    private static BillingData history() {
        List<Customer> customers = List.of(
                new Customer("c1", "One", null, "smb", "eu", "DE", EUR, day("2026-01-01"), "customers.csv:2"),
                new Customer("c2", "Two", null, "smb", "eu", "DE", EUR, day("2025-06-01"), "customers.csv:3"));
        List<Price> prices = List.of(new Price("p1", "plan1", "prod1", "Seats", BillingInterval.MONTH, PricingScheme.PER_SEAT,
                eur(1000), 0, null, null, day("2025-01-01"), null, "prices.csv:2"));
        List<Subscription> subs = List.of(
                new Subscription("s1", "c1", "p1", 5, null, new BigDecimal("10"), null, SubscriptionStatus.ACTIVE,
                        day("2026-01-01"), null, null, false, null, null, "subscriptions.csv:2"),
                new Subscription("s2", "c2", "p1", 2, null, null, null, SubscriptionStatus.ACTIVE,
                        day("2025-06-01"), null, null, false, null, null, "subscriptions.csv:3"));
        List<Invoice> invoices = List.of(
                invoice("i1", "c1", "s1", InvoiceStatus.PAID, "2026-01-01", "2026-02-01", 5000, 500, 855, 5355),
                invoice("i2", "c1", "s1", InvoiceStatus.OPEN, "2026-02-01", "2026-03-01", 500000, 50000, 85500, 0),
                invoice("i3", "c1", "s1", InvoiceStatus.PAID, "2026-03-01", "2026-04-01", 5000, 500, 1710, 6210),
                invoice("j1", "c2", "s2", InvoiceStatus.PAID, "2026-01-15", "2026-02-15", 2000, 0, 380, 2380));
        List<InvoiceLine> lines = List.of(
                line("l1", "i1", LineKind.SUBSCRIPTION, 5, 1000), line("l2", "i1", LineKind.DISCOUNT, 1, -500),
                line("l3", "i2", LineKind.SUBSCRIPTION, 5, 100000), line("l4", "i2", LineKind.DISCOUNT, 1, -50000),
                line("l5", "i3", LineKind.SUBSCRIPTION, 5, 1000), line("l6", "i3", LineKind.DISCOUNT, 1, -500),
                line("l7", "j1", LineKind.SUBSCRIPTION, 2, 1000));
        List<Payment> payments = List.of(
                new Payment("pa1", "i2", "c1", day("2026-02-01"), eur(535500), PaymentStatus.FAILED, "card_declined", null, 1, "p:1"),
                new Payment("pa2", "i2", "c1", day("2026-02-04"), eur(535500), PaymentStatus.FAILED, "card_declined", null, 2, "p:2"),
                new Payment("pa3", "i3", "c1", day("2026-03-01"), eur(6210), PaymentStatus.SUCCEEDED, null, null, 1, "p:3"));
        List<Refund> refunds = List.of(new Refund("r1", "pa3", null, day("2026-03-05"), eur(855), "tax", "succeeded", "r:1"));
        List<CreditNote> credits = List.of(new CreditNote("cn1", "i1", "c1", day("2026-01-10"), eur(100), "goodwill", "cn:1"));
        return new BillingData(customers, prices, subs, invoices, lines, payments, refunds, credits, List.of());
    }

    private static double get(FeatureMatrix m, String subject, String feature) {
        int row = m.subjects().indexOf(subject);
        assertThat(row).as(subject).isNotNegative();
        int col = m.column(feature);
        assertThat(col).as(feature).isNotNegative();
        return m.get(row, col);
    }

    @Test
    void invoiceFeaturesHaveStableNamesAndSubjects() {
        FeatureMatrix m = BillingFeatures.invoices(history());
        assertThat(m.featureNames()).isEqualTo(BillingFeatures.INVOICE_FEATURES);
        assertThat(m.cols()).isGreaterThanOrEqualTo(30);
        assertThat(new HashSet<>(m.featureNames())).hasSize(m.cols());
        assertThat(m.subjects()).containsExactly("invoice:i1", "invoice:i2", "invoice:i3", "invoice:j1");
    }

    @Test
    void amountAgainstThePriceBookCatchesTheHundredfold() {
        FeatureMatrix m = BillingFeatures.invoices(history());
        assertThat(get(m, "invoice:i1", "has_expected_subtotal")).isEqualTo(1.0);
        assertThat(get(m, "invoice:i1", "expected_subtotal_log10")).isEqualTo(Math.log10(51.0));
        assertThat(get(m, "invoice:i1", "subtotal_to_expected_log10")).isEqualTo(0.0);
        assertThat(get(m, "invoice:i2", "subtotal_to_expected_log10")).isEqualTo(Math.log10(5001.0 / 51.0));
        assertThat(get(m, "invoice:i2", "subtotal_to_expected_ratio")).isEqualTo(5001.0 / 51.0);
        assertThat(get(m, "invoice:i2", "unit_amount_to_list_log10")).isEqualTo(Math.log10(1001.0 / 11.0));
        // c1's totals 53.55, 5355.00, 62.10: median 62.10.
        assertThat(get(m, "invoice:i2", "total_to_customer_median_log10")).isEqualTo(Math.log10(5356.0 / 63.1));
        assertThat(get(m, "invoice:i1", "seats_log10")).isEqualTo(Math.log10(6));
    }

    @Test
    void taxRateAgainstTheCountryCatchesTaxTwice() {
        FeatureMatrix m = BillingFeatures.invoices(history());
        // Positive DE rates 0.19, 0.19, 0.38, 0.19: median 0.19.
        assertThat(get(m, "invoice:i3", "tax_share")).isEqualTo(1710 / 4500.0);
        assertThat(get(m, "invoice:i3", "tax_rate_to_country_median")).isEqualTo(2.0);
        assertThat(get(m, "invoice:i1", "tax_rate_to_country_median")).isEqualTo(1.0);
        assertThat(get(m, "invoice:i3", "tax_rate_minus_country_median_pp")).isEqualTo((1710 / 4500.0 - 855 / 4500.0) * 100);
        assertThat(get(m, "invoice:i3", "tax_amount_check_log10")).isEqualTo(0.0);
    }

    @Test
    void disagreementsWithWhatExplainsAnInvoiceAreZeroWhenItAgrees() {
        FeatureMatrix m = BillingFeatures.invoices(history());
        // The line cites p1 at EUR 10.00: i2's EUR 1,000.00 is a hundredfold; i1, i3 and j1 agree.
        assertThat(get(m, "invoice:i2", "unit_to_cited_price_log10")).isEqualTo(Math.log10(1001.0 / 11.0));
        assertThat(get(m, "invoice:i1", "unit_to_cited_price_log10")).isEqualTo(0.0);
        // A line that matches its price is explained, however its history looks; i2 is not: its own median is 10.00.
        assertThat(get(m, "invoice:i1", "unit_to_own_median_log10")).isEqualTo(0.0);
        assertThat(get(m, "invoice:i2", "unit_to_own_median_log10")).isEqualTo(Math.log10(1001.0 / 11.0));
        // DE's usual rate and c1's other invoices say 19 %: i3 charges 17.10 where 8.55 is due (tax twice); i1 agrees.
        assertThat(get(m, "invoice:i3", "tax_to_usual_rate_log2")).isCloseTo(Math.log(1711.0 / 856.0) / Math.log(2), within(1e-12));
        assertThat(get(m, "invoice:i1", "tax_to_usual_rate_log2")).isEqualTo(0.0);
        assertThat(get(m, "invoice:j1", "currency_differs_from_customer")).isEqualTo(0.0);
    }

    @Test
    void discountsTimingPaymentsAndCredits() {
        FeatureMatrix m = BillingFeatures.invoices(history());
        assertThat(get(m, "invoice:i1", "discount_share")).isEqualTo(0.1);
        assertThat(get(m, "invoice:i1", "contract_discount_share")).isEqualTo(0.1);
        assertThat(get(m, "invoice:i1", "discount_minus_contract")).isEqualTo(0.0);
        assertThat(get(m, "invoice:i1", "is_first_invoice")).isEqualTo(1.0);
        assertThat(get(m, "invoice:i2", "is_first_invoice")).isEqualTo(0.0);
        assertThat(get(m, "invoice:i2", "days_since_previous_invoice")).isEqualTo(31.0);
        assertThat(get(m, "invoice:i2", "gap_to_interval_ratio")).isEqualTo(31.0 / 30.436875);
        assertThat(get(m, "invoice:i3", "days_since_previous_invoice")).isEqualTo(28.0);
        assertThat(get(m, "invoice:i1", "period_days")).isEqualTo(31.0);
        assertThat(get(m, "invoice:i1", "line_count")).isEqualTo(2.0);
        assertThat(get(m, "invoice:i1", "subscription_line_share")).isEqualTo(1.0);
        assertThat(get(m, "invoice:i2", "payment_attempts")).isEqualTo(2.0);
        assertThat(get(m, "invoice:i2", "failed_payment_ratio")).isEqualTo(1.0);
        assertThat(get(m, "invoice:i2", "paid_share")).isEqualTo(0.0);
        assertThat(get(m, "invoice:i2", "is_unpaid_status")).isEqualTo(1.0);
        assertThat(get(m, "invoice:i3", "paid_share")).isEqualTo(1.0);
        assertThat(get(m, "invoice:i3", "refund_ratio")).isEqualTo(8.55 / 62.1);
        assertThat(get(m, "invoice:i1", "credit_note_count")).isEqualTo(1.0);
        assertThat(get(m, "invoice:i1", "credit_note_ratio")).isEqualTo(1.0 / 53.55);
        assertThat(get(m, "invoice:i3", "month_of_year")).isEqualTo(3.0);
        assertThat(get(m, "invoice:i3", "tenure_months")).isEqualTo(2.0);
        assertThat(get(m, "invoice:j1", "tenure_months")).isEqualTo(7.0);
        assertThat(get(m, "invoice:i1", "currency_exponent")).isEqualTo(2.0);
        assertThat(get(m, "invoice:i1", "is_one_off")).isEqualTo(0.0);
    }

    @Test
    void customerMonthsAggregateTheirInvoices() {
        FeatureMatrix m = BillingFeatures.customerMonths(history());
        assertThat(m.featureNames()).isEqualTo(BillingFeatures.CUSTOMER_MONTH_FEATURES);
        assertThat(m.cols()).isGreaterThanOrEqualTo(30);
        assertThat(m.subjects()).containsExactly("customer:c1@2026-01", "customer:c1@2026-02", "customer:c1@2026-03",
                "customer:c2@2026-01");
        assertThat(get(m, "customer:c1@2026-02", "invoice_count")).isEqualTo(1.0);
        assertThat(get(m, "customer:c1@2026-02", "month_total_log10")).isEqualTo(Math.log10(5356.0));
        assertThat(get(m, "customer:c1@2026-02", "month_total_to_customer_median_log10")).isEqualTo(Math.log10(5356.0 / 63.1));
        assertThat(get(m, "customer:c1@2026-02", "max_abs_subtotal_to_expected_log10")).isEqualTo(Math.log10(5001.0 / 51.0));
        assertThat(get(m, "customer:c1@2026-03", "max_tax_rate_to_country_median")).isEqualTo(2.0);
        assertThat(get(m, "customer:c1@2026-02", "mean_failed_payment_ratio")).isEqualTo(1.0);
    }

    @Test
    void readsAGeneratedDataDirectory(@TempDir Path dir) {
        Generator.Summary summary = Generator.generate(GeneratorConfig.of(60, 6, 7), dir);
        BillingData data = BillingData.read(dir);
        assertThat(data.invoices()).isNotEmpty();
        FeatureMatrix invoices = BillingFeatures.invoices(data);
        assertThat(invoices.rows()).isEqualTo(data.invoices().size());
        assertThat(new HashSet<>(invoices.subjects())).hasSize(invoices.rows());
        FeatureMatrix months = BillingFeatures.customerMonths(data);
        assertThat(months.rows()).isPositive().isLessThanOrEqualTo(invoices.rows());
        assertThat(summary.rows()).isNotEmpty();
    }

    @Test
    void linesInAnyOrderReachTheirInvoicesInDataOrder(@TempDir Path dir) {
        Generator.generate(GeneratorConfig.of(80, 12, 3), dir);
        BillingData read = BillingData.read(dir);
        List<io.leakdetector.core.domain.InvoiceLine> shuffled = new java.util.ArrayList<>(read.lines());
        java.util.Collections.shuffle(shuffled, new java.util.Random(5));   // an invoice's lines no longer adjacent
        BillingData data = new BillingData(read.customers(), read.prices(), read.subscriptions(), read.invoices(), shuffled,
                read.payments(), read.refunds(), read.creditNotes(), read.usage());
        BillingFeatures.InvoiceRows rows = BillingFeatures.invoices(data, io.leakdetector.core.ml.AnomalyScan.FEATURES);
        assertThat(rows.invoices()).hasSize(read.invoices().size());
        for (int r = 0; r < rows.invoices().size(); r++) {
            String id = rows.invoices().get(r).id();
            assertThat(rows.lines().get(r)).isEqualTo(shuffled.stream().filter(l -> l.invoiceId().equals(id)).toList());
        }
        FeatureMatrix inOrder = BillingFeatures.invoices(read, io.leakdetector.core.ml.AnomalyScan.FEATURES).features();
        assertThat(rows.features().subjects()).isEqualTo(inOrder.subjects());
        for (int r = 0; r < inOrder.rows(); r++) {
            for (int c = 0; c < inOrder.cols(); c++) assertThat(rows.features().get(r, c)).isEqualTo(inOrder.get(r, c));
        }
    }

    @Test
    void namedFeaturesAreThoseColumnsOfAllFeaturesWithTheirInvoices(@TempDir Path dir) {
        Generator.generate(GeneratorConfig.of(80, 12, 3), dir);
        BillingData data = BillingData.read(dir);
        FeatureMatrix all = BillingFeatures.invoices(data);
        for (List<String> names : List.of(io.leakdetector.core.ml.AnomalyScan.FEATURES,
                List.of("payment_attempts", "refund_ratio", "tax_share"), BillingFeatures.INVOICE_FEATURES)) {
            BillingFeatures.InvoiceRows some = BillingFeatures.invoices(data, names);
            assertThat(some.features().featureNames()).isEqualTo(names);
            assertThat(some.features().subjects()).isEqualTo(all.subjects());
            assertThat(some.invoices()).extracting(inv -> "invoice:" + inv.id()).isEqualTo(all.subjects());
            for (int r = 0; r < all.rows(); r++) {
                String id = some.invoices().get(r).id();
                assertThat(some.lines().get(r)).isEqualTo(data.lines().stream().filter(l -> l.invoiceId().equals(id)).toList());
            }
            for (int r = 0; r < all.rows(); r++) {
                for (int c = 0; c < names.size(); c++) {
                    assertThat(some.features().get(r, c)).as("%s of %s", names.get(c), all.subjects().get(r))
                            .isEqualTo(all.get(r, all.column(names.get(c))));
                }
            }
        }
    }
}
