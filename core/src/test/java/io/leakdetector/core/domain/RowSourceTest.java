package io.leakdetector.core.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakdetector.core.money.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Currency;
import org.junit.jupiter.api.Test;

/**
 * A source kept as file and line must read, compare and hash exactly as its text did, or records made by the CSV
 * readers and the same records read back from the store (which keeps the text) would stop being equal.
 */
class RowSourceTest {

    @Test
    void aFileLineReadsAsItsText() {
        assertThat(RowSource.at("invoices.csv", 0)).hasToString("invoices.csv:0");
        assertThat(RowSource.at("invoices.csv", 1_000_000)).hasToString("invoices.csv:1000000");
        assertThat(RowSource.of("in_123")).hasToString("in_123");
        assertThat(RowSource.text(null)).isNull();
        assertThat(RowSource.of(null)).isNull();
        assertThatThrownBy(() -> RowSource.at("invoices.csv", -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fileAndLineOnlyForAFileLineSource() {
        assertThat(RowSource.at("invoices.csv", 42).file()).isEqualTo("invoices.csv");
        assertThat(RowSource.at("invoices.csv", 42).line()).isEqualTo(42);
        assertThat(RowSource.of("invoices.csv:42").file()).isNull(); // a text, even one that reads like a file line
        assertThat(RowSource.of("invoices.csv:42").line()).isEqualTo(-1);
    }

    @Test
    void equalAndHashedAsTheText() {
        long[] lines = {0, 1, 9, 10, 99, 100, 12_345, 999_999, 1_000_000, 3_499_999, Long.MAX_VALUE - 1};
        for (long line : lines) {
            String text = "app_accounts.csv:" + line;
            RowSource kept = RowSource.at("app_accounts.csv", line);
            assertThat(kept.hashCode()).as(text).isEqualTo(text.hashCode());
            assertThat(kept).isEqualTo(RowSource.of(text)).isEqualTo(RowSource.at("app_accounts.csv", line));
            assertThat(RowSource.of(text)).isEqualTo(kept);
            assertThat(kept).isNotEqualTo(RowSource.at("app_accounts.csv", line + 1)).isNotEqualTo(RowSource.at("usage.csv", line));
        }
        assertThat(RowSource.at("a.csv", 12)).isNotEqualTo(RowSource.of("a.csv:120")).isNotEqualTo("a.csv:12");
    }

    @Test
    void recordsMadeFromTheTextEqualThoseMadeFromFileAndLine() {
        Currency usd = Currency.getInstance("USD");
        Refund fromText = new Refund("re_1", "py_1", "in_1", Instant.EPOCH, Money.parse("10.00", usd), "requested_by_customer",
                "succeeded", "refunds.csv:7");
        Refund fromLine = new Refund("re_1", "py_1", "in_1", Instant.EPOCH, Money.parse("10.00", usd), "requested_by_customer",
                "succeeded", RowSource.at("refunds.csv", 7));
        assertThat(fromLine).isEqualTo(fromText).hasSameHashCodeAs(fromText);
        assertThat(fromLine.source()).isEqualTo("refunds.csv:7");
        AppAccount a = new AppAccount("acct_1", "cus_1", null, LocalDate.EPOCH, 3, "active", (String) null);
        assertThat(a.source()).isNull();
    }
}
