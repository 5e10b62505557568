package io.leakdetector.core.finding;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakdetector.core.money.Money;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FindingsFileTest {
    @TempDir Path dir;

    private static Finding sample(String currency, long oneTime, long recurring) {
        Currency c = Currency.getInstance(currency);
        return new Finding("f-1", Category.PRICE_MISMATCH, Kind.LEAK, "invoice:in_1", "cus_1",
                new Money(oneTime, c), new Money(recurring, c), c, 0.93, null, Instant.parse("2026-03-01T00:00:00Z"),
                List.of(new Evidence("unit amount below contract", "USD 79.00", "USD 49.00, \"quoted\"",
                        List.of("invoice_lines.csv:12", "subscriptions.csv:3"))),
                "Invoice in_1 charged USD 49.00 per seat; contract says USD 79.00", "correct the price",
                null, List.of("PRICE_MISMATCH", "EXPIRED_DISCOUNT"));
    }

    @Test
    void csvAndJsonLinesRoundTripEveryField() {
        for (String name : List.of("f.csv", "f.jsonl")) {
            Path file = dir.resolve(name);
            Finding usd = sample("USD", 0, 36000);
            Finding jpy = sample("JPY", 4900, 0);
            FindingsFile.write(file, List.of(usd, jpy));
            List<Finding> back = FindingsFile.read(file);
            assertThat(back).containsExactly(usd, jpy);
            assertThat(back.get(0).confidence()).isEqualTo(Confidence.HIGH);
            assertThat(back.get(0).status()).isEqualTo(FindingStatus.OPEN);
        }
    }

    @Test
    void badRowNamesFileAndLine() throws Exception {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, "subject,category,currency,amount_one_time\ninvoice:1,FAILED_PAYMENT,USD,1.00\n"
                + "invoice:2,NOT_A_CATEGORY,USD,1.00\n");
        assertThatThrownBy(() -> FindingsFile.read(file)).hasMessageStartingWith("bad.csv:3: ");
        Path json = dir.resolve("bad.jsonl");
        Files.writeString(json, "{\"subject\":\"invoice:1\",\"category\":\"FAILED_PAYMENT\",\"currency\":\"USD\"}\n{oops\n");
        assertThatThrownBy(() -> FindingsFile.read(json)).hasMessageStartingWith("bad.jsonl:2: ");
    }
}
