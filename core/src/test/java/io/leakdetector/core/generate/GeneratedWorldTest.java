package io.leakdetector.core.generate;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.domain.InvoiceLine;
import io.leakdetector.core.domain.InvoiceStatus;
import io.leakdetector.core.domain.LineKind;
import io.leakdetector.core.domain.Payment;
import io.leakdetector.core.domain.PaymentStatus;
import io.leakdetector.core.domain.Price;
import io.leakdetector.core.domain.Refund;
import io.leakdetector.core.domain.Subscription;
import io.leakdetector.core.domain.UsageRecord;
import io.leakdetector.core.evaluate.TruthFile;
import io.leakdetector.core.evaluate.TruthRow;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.money.Money;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The generator's invariants, checked on a generated world read back through core's own reader. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GeneratedWorldTest {
    @TempDir
    static Path tmp;

    Path dir;
    Generator.Summary summary;
    WorldData data;
    List<TruthRow> truth;
    Oracle oracle;

    @BeforeAll
    void generate() {
        dir = tmp.resolve("world");
        summary = Generator.generate(new GeneratorConfig(2500, 24, 7, 0.25, YearMonth.of(2024, 1)), dir);
        data = WorldData.read(dir);
        truth = TruthFile.read(dir.resolve("truth.csv"));
        oracle = new Oracle(data);
    }

    @Test
    void everyRowIsAcceptedAndEveryReferenceResolves() {
        assertThat(data.rejections).isEmpty();
        assertThat(data.danglingReferences).isEmpty();
        for (EntityKind k : EntityKind.values()) assertThat(summary.rows().get(k)).as(k.fileName()).isPositive();
    }

    @Test
    void asOfIsTheLatestTimestampAndTheFirstInstantAfterTheLastMonth() {
        assertThat(data.asOf).isEqualTo(summary.asOf()).isEqualTo(java.time.Instant.parse("2026-01-01T00:00:00Z"));
    }

    @Test
    void moneyAddsUpOnEveryInvoice() {
        for (Invoice i : data.invoices.values()) {
            long lines = 0;
            for (InvoiceLine l : data.lines(i)) {
                lines += l.amount().minor();
                if (l.kind() != LineKind.PRORATION) {
                    assertThat(l.amount().minor()).as(l.source()).isEqualTo(l.quantity() * l.unitAmount().minor());
                }
            }
            assertThat(lines).as(i.source() + " lines = subtotal").isEqualTo(i.subtotal().minor());
            assertThat(i.subtotal().minus(i.discount()).plus(i.tax())).as(i.source() + " total").isEqualTo(i.total());
            assertThat(i.total().isNegative()).as(i.source()).isFalse();
            long paid = data.payments(i).stream().filter(p -> p.status() == PaymentStatus.SUCCEEDED).mapToLong(p -> p.amount().minor())
                    .max().orElse(0);
            assertThat(i.amountPaid().minor()).as(i.source() + " amount_paid").isEqualTo(paid);
            assertThat(i.status() == InvoiceStatus.PAID).as(i.source() + " status").isEqualTo(!i.amountRemaining().isPositive());
        }
    }

    @Test
    void truthIsLabelledOncePerSubjectAndCategoryAndEverySubjectExists() {
        Set<String> seen = new java.util.HashSet<>();
        for (TruthRow t : truth) {
            assertThat(seen.add(t.subject() + "|" + t.category())).as(t.source()).isTrue();
            String id = t.subject().substring(t.subject().indexOf(':') + 1);
            String base = id.contains("@") ? id.substring(0, id.indexOf('@')) : id;
            switch (t.subject().substring(0, t.subject().indexOf(':'))) {
                case "invoice" -> assertThat(data.invoices).as(t.source()).containsKey(base);
                case "payment" -> assertThat(data.payments).as(t.source()).containsKey(base);
                case "refund" -> assertThat(data.refundsByPayment.values().stream().flatMap(List::stream).map(Refund::id)).contains(base);
                case "subscription" -> assertThat(data.subs).as(t.source()).containsKey(base);
                case "customer" -> assertThat(data.customers).as(t.source()).containsKey(base);
                default -> throw new AssertionError("unknown subject type " + t.subject());
            }
            assertThat(t.kind()).isEqualTo(t.category().defaultKind());
            assertThat(t.amountOneTime().isPositive() || t.amountMonthlyRecurring().isPositive()).as(t.source()).isTrue();
            assertThat(t.startedAt()).as(t.source()).isNotNull().isBefore(data.asOf.plusSeconds(1));
        }
    }

    /** For every rule category the truth is exactly what the data shows under DESIGN.md §5's conventions. */
    @Test
    void truthEqualsWhatTheDataShowsForEveryRuleCategory() {
        assertThat(disagreements(data, truth, oracle)).isEmpty();
    }

    /** Short and long worlds, another start month and a high leak rate: truth still equals what the data shows. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"5, 2023-07, 11", "6, 2024-01, 27", "9, 2024-03, 12", "40, 2021-11, 13"})
    void otherShapesOfWorldAgreeToo(int months, String start, long seed) {
        Path d = tmp.resolve("shape-" + months);
        Generator.Summary s = Generator.generate(new GeneratorConfig(400, months, seed, 0.5, YearMonth.parse(start)), d);
        WorldData w = WorldData.read(d);
        assertThat(w.rejections).isEmpty();
        assertThat(w.danglingReferences).isEmpty();
        assertThat(w.asOf).isEqualTo(s.asOf());
        List<TruthRow> t = TruthFile.read(d.resolve("truth.csv"));
        assertThat(t).isNotEmpty();
        assertThat(disagreements(w, t, new Oracle(w))).isEmpty();
    }

    static List<String> disagreements(WorldData data, List<TruthRow> truth, Oracle oracle) {
        Set<Category> ruled = EnumSet.of(Category.FAILED_PAYMENT, Category.DUPLICATE_BILLING, Category.PRICE_MISMATCH,
                Category.EXPIRED_DISCOUNT, Category.UNBILLED_USAGE, Category.MISSED_INVOICE, Category.UNBILLED_SERVICE,
                Category.SILENT_CHURN, Category.REFUND_ANOMALY, Category.EXPIRING_PAYMENT_METHOD, Category.LEGACY_PRICE);
        List<String> problems = new ArrayList<>();
        for (Category c : ruled) {
            Map<String, long[]> expected = oracle.expected.get(c);
            Map<String, TruthRow> labelled = new TreeMap<>();
            for (TruthRow t : truth) if (t.category() == c) labelled.put(t.subject(), t);
            for (Map.Entry<String, long[]> e : expected.entrySet()) {
                TruthRow t = labelled.get(e.getKey());
                if (t == null) {
                    problems.add(c + " " + e.getKey() + " shows in the data but is not in truth");
                } else if (t.amountOneTime().minor() != e.getValue()[0] || t.amountMonthlyRecurring().minor() != e.getValue()[1]) {
                    problems.add(c + " " + e.getKey() + " amounts " + t.amountOneTime().minor() + "/" + t.amountMonthlyRecurring().minor()
                            + " but the data shows " + e.getValue()[0] + "/" + e.getValue()[1] + " (" + t.note() + ")");
                }
            }
            for (String s : labelled.keySet()) {
                if (!expected.containsKey(s)) problems.add(c + " " + s + " is in truth but the data does not show it (" + labelled.get(s).note() + ")");
            }
        }
        return problems;
    }

    @Test
    void anomaliesAreUnnamedByAnyRuleAndTheirDeviationIsExact() {
        List<TruthRow> anomalies = truth.stream().filter(t -> t.category() == Category.ANOMALY).toList();
        assertThat(anomalies).isNotEmpty();
        for (TruthRow t : anomalies) {
            Invoice i = data.invoices.get(t.subject().substring("invoice:".length()));
            InvoiceLine line = data.lines(i).stream().filter(l -> l.kind() == LineKind.SUBSCRIPTION).findFirst().orElseThrow();
            Subscription s = data.subs.get(i.subscriptionId());
            long contracted = s.negotiatedUnitAmount() != null ? s.negotiatedUnitAmount().minor()
                    : data.prices.get(line.priceId()).unitAmount().minor();
            long taxable = i.subtotal().minus(i.discount()).minor();
            long expectedTotal;
            if (line.unitAmount().minor() == contracted * 100) {
                long fixedTaxable = taxable - (line.unitAmount().minor() - contracted) * line.quantity();
                // the bug left the tax rate alone: scale the tax back with the taxable amount
                long fixedTax = java.math.BigDecimal.valueOf(i.tax().minor()).multiply(java.math.BigDecimal.valueOf(fixedTaxable))
                        .divide(java.math.BigDecimal.valueOf(taxable), 0, java.math.RoundingMode.HALF_EVEN).longValueExact();
                expectedTotal = fixedTaxable + fixedTax;
                assertThat(Math.abs(t.amountOneTime().minor() - (i.total().minor() - expectedTotal))).as(t.source()).isLessThanOrEqualTo(1);
            } else {
                assertThat(line.unitAmount().minor()).as(t.source()).isEqualTo(contracted);
                assertThat(i.tax().minor() % 2).as(t.source() + " tax applied twice is even").isZero();
                assertThat(t.amountOneTime().minor()).as(t.source()).isEqualTo(i.tax().minor() / 2);
            }
            assertThat(oracle.expected.values().stream().anyMatch(m -> m.containsKey(t.subject()))).as(t.source()).isFalse();
        }
    }

    @Test
    void revenueGapsShowUsageFarAboveWhatTheCustomerPays() {
        List<TruthRow> gaps = truth.stream().filter(t -> t.category() == Category.USAGE_REVENUE_GAP).toList();
        assertThat(gaps).isNotEmpty();
        for (TruthRow t : gaps) {
            String cus = t.subject().substring("customer:".length(), t.subject().indexOf('@'));
            YearMonth m = YearMonth.parse(t.subject().substring(t.subject().indexOf('@') + 1));
            long used = data.usage.stream().filter(u -> u.customerId().equals(cus) && Oracle.month(u.periodStart()).equals(m))
                    .mapToLong(UsageRecord::quantity).sum();
            long revenue = 0;
            String ownPlan = null;
            for (Invoice i : data.invoices.values()) {
                if (!i.customerId().equals(cus)) continue;
                for (InvoiceLine l : data.lines(i)) {
                    if (Oracle.month(l.periodStart()).equals(m) && (l.kind() == LineKind.SUBSCRIPTION || l.kind() == LineKind.USAGE)) {
                        revenue += l.amount().minor();
                        ownPlan = data.prices.get(l.priceId()).planId();
                    }
                }
            }
            long expected = Long.MAX_VALUE;
            for (Price p : data.prices.values()) {
                if (p.planId().equals(ownPlan) || !p.productId().equals("prod_compute") || !p.validAt(Oracle.start(m))) continue;
                if (!p.unitAmount().currencyCode().equals(t.currency().getCurrencyCode())) continue;
                if (data.subs.values().stream().filter(s -> data.prices.get(s.priceId()).planId().equals(p.planId())).count() < 2) continue;
                expected = Math.min(expected, p.unitAmount().minor() + Math.max(0, used - p.includedUnits()) * p.overageUnitAmount().minor());
            }
            assertThat(revenue * 2).as(t.source() + " revenue far below the norm").isLessThan(expected);
            assertThat(t.amountOneTime().minor()).as(t.source()).isEqualTo(expected - revenue);
        }
    }

    @Test
    void noLookAlikeIsLabelled() {
        for (TruthRow t : truth) {
            if (t.subject().startsWith("invoice:")) {
                Invoice i = data.invoices.get(t.subject().substring(8));
                assertThat(i.total().isPositive()).as(t.source() + " trial or zero invoice").isTrue();
                assertThat(i.billingReason()).as(t.source() + " proration invoice").isNotEqualTo("subscription_update");
                if (t.category() == Category.FAILED_PAYMENT) {
                    assertThat(i.createdAt().plus(Duration.ofDays(14))).as(t.source() + " inside grace").isBefore(data.asOf);
                }
                if (t.category() == Category.EXPIRED_DISCOUNT) {
                    assertThat(i.createdAt()).isAfterOrEqualTo(data.subs.get(i.subscriptionId()).discountEnd());
                }
            }
            if (t.category() == Category.LEGACY_PRICE) {
                assertThat(data.subs.get(t.subject().substring(13)).priceLocked()).as(t.source()).isFalse();
            }
            if (t.category() == Category.UNBILLED_USAGE) {
                assertThat(t.subject()).as(t.source() + " last month is billed in arrears").doesNotEndWith("@2025-12");
            }
        }
    }

    /** The look-alikes exist in the data (so the previous test means something). */
    @Test
    void theWorldContainsEveryLookAlike() {
        Set<String> subjects = truth.stream().map(TruthRow::subject).collect(Collectors.toSet());
        long trials = data.subs.values().stream().filter(s -> s.trialEnd() != null).count();
        long locked = data.subs.values().stream().filter(Subscription::priceLocked).count();
        long negotiated = data.subs.values().stream().filter(s -> s.contractId() != null).count();
        long prorations = data.linesByInvoice.values().stream().flatMap(List::stream).filter(l -> l.kind() == LineKind.PRORATION).count();
        long updateInvoices = data.invoices.values().stream().filter(i -> "subscription_update".equals(i.billingReason())).count();
        long discountsInside = data.invoices.values().stream().filter(i -> i.discount().isPositive()
                && i.createdAt().isBefore(data.subs.get(i.subscriptionId()).discountEnd())).count();
        long inGrace = data.invoices.values().stream().filter(i -> i.status() == InvoiceStatus.OPEN
                && !i.createdAt().plus(Duration.ofDays(14)).isBefore(data.asOf) && data.payments(i).stream().anyMatch(p -> p.status() == PaymentStatus.FAILED)).count();
        long recovered = data.invoices.values().stream().filter(i -> i.status() == InvoiceStatus.PAID
                && data.payments(i).stream().anyMatch(p -> p.status() == PaymentStatus.FAILED)).count();
        long reasonedRefunds = data.refundsByPayment.values().stream().flatMap(List::stream)
                .filter(r -> r.reason() != null && !subjects.contains("refund:" + r.id())).count();
        long goodwill = data.creditNotes.stream().filter(c -> "goodwill".equals(c.reason())).count();
        long annual = data.prices.values().stream().filter(p -> p.interval().months() == 12).count();
        long lastMonthOverage = data.usage.stream().filter(u -> Oracle.month(u.periodStart()).equals(YearMonth.of(2025, 12))
                && u.subscriptionId() != null && u.quantity() > data.prices.get(data.subs.get(u.subscriptionId()).priceId()).includedUnits()).count();
        Map<String, Long> disputes = data.disputes.stream().collect(Collectors.groupingBy(io.leakdetector.core.domain.Dispute::status, Collectors.counting()));
        Set<String> currencies = data.customers.values().stream().map(c -> c.currency().getCurrencyCode()).collect(Collectors.toSet());
        assertThat(List.of(trials, locked, negotiated, prorations, updateInvoices, discountsInside, inGrace, recovered, reasonedRefunds,
                goodwill, annual, lastMonthOverage)).allMatch(n -> n > 0);
        assertThat(disputes).containsKeys("won", "lost");
        assertThat(currencies).contains("JPY", "KWD", "USD", "EUR");
        Map<String, Long> declines = data.payments.values().stream().filter(p -> p.declineCode() != null)
                .collect(Collectors.groupingBy(Payment::declineCode, Collectors.counting()));
        assertThat(declines).containsKeys("insufficient_funds", "expired_card", "authentication_required", "fraudulent");
        assertThat(data.changesBySub.values().stream().flatMap(List::stream).map(c -> c.kind()).collect(Collectors.toSet()))
                .contains("upgrade", "downgrade", "quantity", "pause", "resume", "cancel", "reactivate");
    }

    @Test
    void everyCategoryIsInjected() {
        Set<Category> present = truth.stream().map(TruthRow::category).collect(Collectors.toSet());
        assertThat(present).containsExactlyInAnyOrder(Category.values());
        // change events that start leaks: a deploy breaking overage billing on one plan, a flag skipping coupon ends
        assertThat(truth.stream().filter(t -> t.category() == Category.UNBILLED_USAGE && t.note().contains("started by chg_"))).isNotEmpty();
        assertThat(truth.stream().filter(t -> t.category() == Category.EXPIRED_DISCOUNT && t.note().contains("started by chg_"))).isNotEmpty();
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() throws IOException {
        Path a = tmp.resolve("a"), b = tmp.resolve("b"), c = tmp.resolve("c");
        GeneratorConfig cfg = new GeneratorConfig(300, 14, 42, 0.3, YearMonth.of(2024, 1));
        Generator.generate(cfg, a);
        Generator.generate(cfg, b);
        Generator.generate(new GeneratorConfig(300, 14, 43, 0.3, YearMonth.of(2024, 1)), c);
        List<String> files = new ArrayList<>();
        for (EntityKind k : EntityKind.values()) files.add(k.fileName());
        files.add("truth.csv");
        boolean anyDifferent = false;
        for (String f : files) {
            assertThat(Files.readAllBytes(b.resolve(f))).as(f).isEqualTo(Files.readAllBytes(a.resolve(f)));
            anyDifferent |= !java.util.Arrays.equals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(c.resolve(f)));
        }
        assertThat(anyDifferent).isTrue();
    }

    static Map<Category, Long> counts(List<TruthRow> truth) {
        Map<Category, Long> m = new HashMap<>();
        for (TruthRow t : truth) m.merge(t.category(), 1L, Long::sum);
        return m;
    }

    static Money zero() {
        return Money.ofMinor(0, "USD");
    }
}
