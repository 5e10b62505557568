package io.leakdetector.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.core.domain.BillingInterval;
import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.domain.InvoiceLine;
import io.leakdetector.core.domain.LineKind;
import io.leakdetector.core.domain.Payment;
import io.leakdetector.core.domain.PaymentMethod;
import io.leakdetector.core.domain.PaymentStatus;
import io.leakdetector.core.domain.Price;
import io.leakdetector.core.domain.Subscription;
import io.leakdetector.core.domain.SubscriptionStatus;
import io.leakdetector.core.money.Money;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** examples/small is the data directory of the README's first command: every file, every row valid and consistent. */
class SmallExampleTest {
    private static final Path DIR = RepoFiles.path("examples/small");
    private static final Map<EntityKind, List<Parsed<?>>> ROWS = new EnumMap<>(EntityKind.class);

    @BeforeAll
    static void readEveryFile() {
        for (EntityKind kind : EntityKind.values()) {
            Collect<?> c = Collect.read(DIR.resolve(kind.fileName()), kind.schema());
            assertThat(c.rejected).as(kind.fileName() + " rejections").isEmpty();
            assertThat(c.accepted).as(kind.fileName() + " rows").isNotEmpty();
            ROWS.put(kind, new ArrayList<>(c.accepted));
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> records(EntityKind kind, Class<T> type) {
        return ROWS.get(kind).stream().map(p -> type.cast(p.record())).toList();
    }

    @Test
    void keysAreUniqueWithinEachFile() {
        ROWS.forEach((kind, rows) -> {
            Set<String> keys = new HashSet<>();
            rows.forEach(r -> assertThat(keys.add(r.key())).as(kind.fileName() + " key " + r.key()).isTrue());
        });
    }

    @Test
    void everyReferenceResolves() {
        Map<EntityKind, Set<String>> keys = new EnumMap<>(EntityKind.class);
        ROWS.forEach((kind, rows) -> keys.put(kind, new HashSet<>(rows.stream().map(Parsed::key).toList())));
        int checked = 0;
        for (EntityKind kind : EntityKind.values()) {
            for (Reference<?> ref : kind.schema().references()) {
                assertThat(ref.target().ordinal()).as("load order of " + kind + "." + ref.column()).isLessThan(kind.ordinal());
                for (Parsed<?> row : ROWS.get(kind)) {
                    String value = valueOf(ref, row.record());
                    if (value == null) {
                        assertThat(ref.required()).as(kind.fileName() + ":" + row.line() + " " + ref.column()).isFalse();
                        continue;
                    }
                    assertThat(keys.get(ref.target())).as(kind.fileName() + ":" + row.line() + " " + ref.column())
                            .contains(value);
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(100);
    }

    @SuppressWarnings("unchecked")
    private static <T> String valueOf(Reference<T> ref, Object record) {
        return ref.value().apply((T) record);
    }

    @Test
    void everyInvoiceAddsUp() {
        Map<String, List<InvoiceLine>> lines = new HashMap<>();
        for (InvoiceLine l : records(EntityKind.INVOICE_LINES, InvoiceLine.class)) {
            lines.computeIfAbsent(l.invoiceId(), k -> new ArrayList<>()).add(l);
            assertThat(l.unitAmount().times(l.quantity())).as(l.source() + " quantity × unit amount").isEqualTo(l.amount());
        }
        for (Invoice inv : records(EntityKind.INVOICES, Invoice.class)) {
            List<InvoiceLine> own = lines.get(inv.id());
            assertThat(own).as(inv.id() + " lines").isNotEmpty();
            Money charged = Money.zero(inv.currency());
            Money discounted = Money.zero(inv.currency());
            for (InvoiceLine l : own) {
                if (l.kind() == LineKind.DISCOUNT) discounted = discounted.minus(l.amount());
                else charged = charged.plus(l.amount());
            }
            assertThat(charged).as(inv.id() + " lines → subtotal").isEqualTo(inv.subtotal());
            assertThat(discounted).as(inv.id() + " discount lines → discount").isEqualTo(inv.discount());
            assertThat(inv.subtotal().minus(inv.discount()).plus(inv.tax())).as(inv.id() + " total").isEqualTo(inv.total());
            assertThat(inv.amountPaid()).as(inv.id() + " paid").isEqualTo(inv.total());
        }
    }

    @Test
    void successfulPaymentsPayTheirInvoiceExactlyOnce() {
        Map<String, Invoice> invoices = new HashMap<>();
        records(EntityKind.INVOICES, Invoice.class).forEach(i -> invoices.put(i.id(), i));
        Map<String, Money> paid = new HashMap<>();
        for (Payment p : records(EntityKind.PAYMENTS, Payment.class)) {
            Invoice inv = invoices.get(p.invoiceId());
            assertThat(p.customerId()).as(p.id() + " payer").isEqualTo(inv.customerId());
            assertThat(p.amount().currency()).isEqualTo(inv.currency());
            if (p.status() == PaymentStatus.SUCCEEDED) paid.merge(inv.id(), p.amount(), Money::plus);
        }
        invoices.values().stream().filter(i -> i.total().isPositive())
                .forEach(i -> assertThat(paid.get(i.id())).as(i.id() + " collected").isEqualTo(i.total()));
    }

    @Test
    void coversTheCasesTheExampleIsMeantToShow() {
        List<Subscription> subs = records(EntityKind.SUBSCRIPTIONS, Subscription.class);
        assertThat(subs).anyMatch(s -> s.status() == SubscriptionStatus.TRIALING && s.trialEnd() != null);
        assertThat(subs).anyMatch(s -> s.negotiatedUnitAmount() != null && s.contractId() != null);
        assertThat(subs).anyMatch(s -> s.discountPercent() != null && s.discountEnd() != null);
        assertThat(subs).anyMatch(Subscription::priceLocked);
        assertThat(subs).anyMatch(s -> s.status() == SubscriptionStatus.CANCELED && s.canceledAt() != null);
        List<Price> prices = records(EntityKind.PRICES, Price.class);
        assertThat(prices).anyMatch(p -> p.validTo() != null);
        assertThat(prices).extracting(Price::interval).contains(BillingInterval.MONTH, BillingInterval.YEAR);
        assertThat(records(EntityKind.PAYMENTS, Payment.class))
                .anyMatch(p -> p.status() == PaymentStatus.FAILED && "insufficient_funds".equals(p.declineCode()))
                .anyMatch(p -> p.attempt() > 1 && p.status() == PaymentStatus.SUCCEEDED);
        assertThat(records(EntityKind.PAYMENT_METHODS, PaymentMethod.class))
                .anyMatch(m -> m.expires() != null && m.expires().isBefore(YearMonth.of(2026, 4)));
        assertThat(records(EntityKind.INVOICES, Invoice.class)).anyMatch(i -> i.currency().getCurrencyCode().equals("JPY"));
        assertThat(records(EntityKind.INVOICE_LINES, InvoiceLine.class)).extracting(InvoiceLine::kind)
                .contains(LineKind.SUBSCRIPTION, LineKind.USAGE, LineKind.ONE_OFF, LineKind.PRORATION, LineKind.DISCOUNT);
        assertThat(records(EntityKind.INVOICES, Invoice.class)).allMatch(i -> i.createdAt().isBefore(Instant.parse("2026-03-21T00:00:00Z")));
    }
}
