package io.leakdetector.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakdetector.core.domain.DomainValidationException;
import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.money.Money;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RowMapsTest {
    static final EntitySchema<Invoice> INVOICES = Schemas.of(EntityKind.INVOICES, Invoice.class);

    static Map<String, String> invoice() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("invoice_id", "in_1");
        m.put("customer_id", "cus_1");
        m.put("status", "paid");
        m.put("created_at", "2026-01-01T00:00:00Z");
        m.put("currency", "USD");
        m.put("subtotal", "100.00");
        m.put("total", "100.00");
        return m;
    }

    @Test
    void parsesLikeACsvRowWithTheSameContentHash() {
        Parsed<Invoice> p = RowMaps.parse(INVOICES, invoice(), "api:req-1");
        assertThat(p.key()).isEqualTo("in_1");
        assertThat(p.record().total()).isEqualTo(Money.ofMinor(10000, "USD"));
        assertThat(p.record().source()).isEqualTo("api:req-1");

        String csv = String.join(",", invoice().keySet()) + "\n" + String.join(",", invoice().values()) + "\n";
        List<Long> hashes = new ArrayList<>();
        DataFileReader.read(new ByteArrayInputStream(csv.getBytes(StandardCharsets.UTF_8)), "invoices.csv", INVOICES,
                new RowHandler<>() {
                    public void accepted(Parsed<Invoice> row) { hashes.add(row.contentHash()); }
                    public void rejected(Rejection r) { throw new AssertionError(r.describe()); }
                });
        assertThat(hashes).containsExactly(p.contentHash());
    }

    @Test
    void acceptsStripeAliases() {
        Map<String, String> m = invoice();
        m.remove("total");
        m.put("Total", "100.00");
        assertThat(RowMaps.parse(INVOICES, m, "x").record().total().minor()).isEqualTo(10000);
    }

    @Test
    void errorsNameTheField() {
        Map<String, String> m = invoice();
        m.put("total", "ten");
        assertThatThrownBy(() -> RowMaps.parse(INVOICES, m, "x")).isInstanceOfSatisfying(RowRejectedException.class,
                e -> assertThat(e.column()).isEqualTo("total"));
        Map<String, String> missing = invoice();
        missing.remove("customer_id");
        assertThatThrownBy(() -> RowMaps.parse(INVOICES, missing, "x")).isInstanceOfSatisfying(RowRejectedException.class,
                e -> assertThat(e.column()).isEqualTo("customer_id"));
        Map<String, String> unknown = invoice();
        unknown.put("totl", "1");
        assertThatThrownBy(() -> RowMaps.parse(INVOICES, unknown, "x")).isInstanceOfSatisfying(RowRejectedException.class,
                e -> assertThat(e.column()).isEqualTo("totl"));
        Map<String, String> nul = invoice();
        nul.put("billing_reason", "manual\0");
        assertThatThrownBy(() -> RowMaps.parse(INVOICES, nul, "x")).isInstanceOfSatisfying(RowRejectedException.class,
                e -> assertThat(e.column()).isEqualTo("billing_reason"));
        Map<String, String> period = invoice();
        period.put("period_start", "2026-02-01");
        period.put("period_end", "2026-01-01");
        assertThatThrownBy(() -> RowMaps.parse(INVOICES, period, "x")).isInstanceOfSatisfying(DomainValidationException.class,
                e -> assertThat(e.field()).isEqualTo("period_end"));
    }
}
