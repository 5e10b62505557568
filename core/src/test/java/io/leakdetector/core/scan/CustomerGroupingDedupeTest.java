package io.leakdetector.core.scan;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.core.detect.CustomerHistory;
import io.leakdetector.core.domain.Payment;
import io.leakdetector.core.domain.PaymentStatus;
import io.leakdetector.core.money.Money;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A row repeated with the same id within one customer is kept once, the first; rows whose ids only share a hash
 * (the grouping looks at sorted hashes first) are all kept.
 */
class CustomerGroupingDedupeTest {
    private static Payment pay(String id, String customer, int line) {
        return new Payment(id, "in_" + id, customer, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(line),
                Money.ofMinor(100 + line, "USD"), PaymentStatus.SUCCEEDED, null, null, 1, "payments.csv:" + line);
    }

    private static LoadedData paymentsOnly(List<Payment> payments) {
        return new LoadedData(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), payments, List.of(),
                List.of(), List.of(), List.of(), List.of(), Map.of(), null);
    }

    @Test
    void repeatedIdsAreKeptOnceAndIdsThatOnlyShareAHashAreAllKept() {
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        List<Payment> rows = List.of(pay("Aa", "cus_1", 2), pay("BB", "cus_1", 3), pay("C", "cus_2", 4), pay("Aa", "cus_1", 5),
                pay("BB", "cus_2", 6), pay("D", "cus_2", 7), pay("C", "cus_2", 8), pay("E", "cus_1", 9));
        CustomerGrouping g = new CustomerGrouping(paymentsOnly(rows));
        CustomerHistory one = g.history(g.indexOf("cus_1")), two = g.history(g.indexOf("cus_2"));
        assertThat(one.payments()).containsExactly(rows.get(0), rows.get(1), rows.get(7));
        assertThat(two.payments()).containsExactly(rows.get(2), rows.get(4), rows.get(5));
        assertThat(g.duplicates()).isEqualTo(2);

        // no repeat at all: the customer's rows as they are
        CustomerGrouping none = new CustomerGrouping(paymentsOnly(List.of(pay("Aa", "cus_1", 2), pay("BB", "cus_1", 3))));
        assertThat(none.history(0).payments()).extracting(Payment::id).containsExactly("Aa", "BB");
        assertThat(none.duplicates()).isZero();
    }
}
