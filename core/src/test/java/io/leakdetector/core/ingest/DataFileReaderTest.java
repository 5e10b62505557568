package io.leakdetector.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.leakdetector.core.domain.Customer;
import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.domain.InvoiceStatus;
import io.leakdetector.core.domain.Payment;
import io.leakdetector.core.domain.PaymentStatus;
import io.leakdetector.core.money.Currencies;
import io.leakdetector.core.money.Money;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DataFileReaderTest {
    private static final EntitySchema<Customer> CUSTOMERS = Schemas.of(EntityKind.CUSTOMERS, Customer.class);
    private static final EntitySchema<Invoice> INVOICES = Schemas.of(EntityKind.INVOICES, Invoice.class);
    private static final EntitySchema<Payment> PAYMENTS = Schemas.of(EntityKind.PAYMENTS, Payment.class);

    @Test
    void readsCanonicalColumnsIntoRecordsWithTheirSource() {
        Collect<Customer> c = Collect.read("customers.csv", """
                customer_id,name,email,segment,region,country,currency,created_at
                cus_1,Acme GmbH,billing@acme.example,mid-market,EMEA,DE,EUR,2025-01-15T09:30:00Z
                cus_2,,,,,,usd,
                """, CUSTOMERS);
        assertThat(c.rejected).isEmpty();
        assertThat(c.counts).isEqualTo(new DataFileReader.FileCounts(2, 2, 0));
        Customer acme = c.records().get(0);
        assertThat(acme).isEqualTo(new Customer("cus_1", "Acme GmbH", "billing@acme.example", "mid-market", "EMEA", "DE",
                Currencies.of("EUR"), Instant.parse("2025-01-15T09:30:00Z"), "customers.csv:2"));
        Customer bare = c.records().get(1);
        assertThat(bare.name()).isNull();
        assertThat(bare.currency()).isEqualTo(Currencies.of("USD"));
        assertThat(bare.source()).isEqualTo("customers.csv:3");
        assertThat(c.accepted).extracting(Parsed::key).containsExactly("cus_1", "cus_2");
        assertThat(c.accepted).extracting(Parsed::line).containsExactly(2L, 3L);
    }

    @Test
    void acceptsStripeExportHeadersAsAliases() {
        // Column names as Stripe's dashboard export writes them, in Stripe's order, with extra columns ignored.
        Collect<Payment> c = Collect.read("payments.csv", """
                id,Description,Created (UTC),Amount,Amount Refunded,Currency,Converted Amount,Status,Decline Reason,Customer ID,Invoice ID,Card ID
                ch_1,Subscription update,2026-01-01 00:06,637.98,0.00,usd,637.98,Paid,,cus_1,in_1,card_9
                ch_2,Subscription update,2026-01-02 10:00:30,"1,200.00",0.00,usd,1200.00,Failed,insufficient_funds,cus_1,in_2,card_9
                """, PAYMENTS);
        assertThat(c.rejected).isEmpty();
        Payment paid = c.records().get(0);
        assertThat(paid.id()).isEqualTo("ch_1");
        assertThat(paid.attemptedAt()).isEqualTo(Instant.parse("2026-01-01T00:06:00Z"));
        assertThat(paid.amount()).isEqualTo(Money.parse("637.98", Currencies.of("USD")));
        assertThat(paid.status()).isEqualTo(PaymentStatus.SUCCEEDED);
        assertThat(paid.customerId()).isEqualTo("cus_1");
        assertThat(paid.invoiceId()).isEqualTo("in_1");
        assertThat(paid.paymentMethodId()).isEqualTo("card_9");
        assertThat(paid.attempt()).isEqualTo(1);
        Payment failed = c.records().get(1);
        assertThat(failed.amount().minor()).isEqualTo(120_000);
        assertThat(failed.status()).isEqualTo(PaymentStatus.FAILED);
        assertThat(failed.declineCode()).isEqualTo("insufficient_funds");
    }

    @Test
    void headerMatchingIgnoresCaseSpacesAndPunctuation() {
        Collect<Customer> c = Collect.read("customers.csv", """
                Customer ID , CURRENCY,Created-At
                cus_1,eur,2025-01-15
                """, CUSTOMERS);
        assertThat(c.rejected).isEmpty();
        assertThat(c.records().get(0).createdAt()).isEqualTo(Instant.parse("2025-01-15T00:00:00Z"));
    }

    @Test
    void canonicalNameWinsOverAnAliasWhenBothArePresent() {
        Collect<Customer> c = Collect.read("customers.csv", """
                id,customer_id,currency
                stripe_id,cus_1,EUR
                """, CUSTOMERS);
        assertThat(c.records().get(0).id()).isEqualTo("cus_1");
    }

    @Test
    void missingRequiredHeaderColumnFailsTheFileNamingFileAndColumn() {
        assertThatThrownBy(() -> Collect.read("invoices.csv", """
                invoice_id,customer_id,status,created_at,subtotal,total
                in_1,cus_1,paid,2026-01-01,10.00,10.00
                """, INVOICES))
                .isInstanceOf(FileFormatException.class)
                .hasMessageStartingWith("invoices.csv: header lacks required column currency ");
        assertThatThrownBy(() -> Collect.read("customers.csv", "name,email\nA,a@x\n", CUSTOMERS))
                .isInstanceOf(FileFormatException.class)
                .hasMessageContaining("customers.csv").hasMessageContaining("required columns customer_id, currency");
    }

    @Test
    void emptyFileFailsAsAWhole() {
        assertThatThrownBy(() -> Collect.read("customers.csv", "", CUSTOMERS))
                .isInstanceOf(FileFormatException.class).hasMessage("customers.csv: empty file: a header row is required");
    }

    @Test
    void headerOnlyFileHasNoRows() {
        Collect<Customer> c = Collect.read("customers.csv", "customer_id,currency\n", CUSTOMERS);
        assertThat(c.counts).isEqualTo(new DataFileReader.FileCounts(0, 0, 0));
    }

    @Test
    void utf8ByteOrderMarkIsIgnored() {
        byte[] body = "customer_id,currency,name\ncus_1,EUR,Zoë\n".getBytes(StandardCharsets.UTF_8);
        byte[] withBom = new byte[body.length + 3];
        withBom[0] = (byte) 0xEF;
        withBom[1] = (byte) 0xBB;
        withBom[2] = (byte) 0xBF;
        System.arraycopy(body, 0, withBom, 3, body.length);
        Collect<Customer> c = Collect.read("customers.csv", withBom, CUSTOMERS);
        assertThat(c.rejected).isEmpty();
        assertThat(c.records().get(0).id()).isEqualTo("cus_1");
        assertThat(c.records().get(0).name()).isEqualTo("Zoë");
        assertThat(c.accepted.get(0).line()).isEqualTo(2);
    }

    @Test
    void quotedFieldsKeepCommasAndNewlinesAndLinesCountFromTheRowStart() {
        Collect<Customer> c = Collect.read("customers.csv",
                "customer_id,name,currency\r\n"
                        + "cus_1,\"Acme, Inc.\",USD\r\n"
                        + "cus_2,\"Two\nline \"\"quoted\"\" name\",USD\r\n"
                        + "\r\n"
                        + "cus_3,Plain,USD\r\n"
                        + "cus_4,\"x\",JPYX\r\n", CUSTOMERS);
        assertThat(c.records()).extracting(Customer::name).containsExactly("Acme, Inc.", "Two\nline \"quoted\" name", "Plain");
        assertThat(c.accepted).extracting(Parsed::line).containsExactly(2L, 3L, 6L);
        assertThat(c.records()).extracting(Customer::source)
                .containsExactly("customers.csv:2", "customers.csv:3", "customers.csv:6");
        assertThat(c.rejected).singleElement().satisfies(r -> {
            assertThat(r.line()).isEqualTo(7);
            assertThat(r.column()).isEqualTo("currency");
            assertThat(r.reason()).isEqualTo("unknown currency 'JPYX'");
            assertThat(r.raw()).isEqualTo("cus_4,x,JPYX");
        });
        assertThat(c.counts).isEqualTo(new DataFileReader.FileCounts(4, 3, 1));
    }

    @Test
    void rowWithTheWrongNumberOfFieldsIsRejectedAndReadingGoesOn() {
        Collect<Customer> c = Collect.read("customers.csv", """
                customer_id,name,currency
                cus_1,Acme,USD
                cus_2,Acme, Inc.,USD
                cus_3,USD
                cus_4,Fine,USD
                """, CUSTOMERS);
        assertThat(c.records()).extracting(Customer::id).containsExactly("cus_1", "cus_4");
        assertThat(c.rejected).extracting(Rejection::line).containsExactly(3L, 4L);
        assertThat(c.rejected).extracting(Rejection::column).containsOnlyNulls();
        assertThat(c.rejected).extracting(Rejection::reason)
                .containsExactly("expected 3 fields, found 4", "expected 3 fields, found 2");
        assertThat(c.rejected.get(0).describe()).isEqualTo("customers.csv:3: expected 3 fields, found 4");
    }

    @Test
    void invalidUtf8RejectsOnlyItsRowAndNamesTheColumn() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("customer_id,name,currency\ncus_1,Good,EUR\ncus_2,Bad ".getBytes(StandardCharsets.UTF_8));
        out.write(0xC3); // a lead byte followed by an ASCII byte: malformed
        out.writeBytes("(,EUR\ncus_3,M\u00fcller,EUR\n".getBytes(StandardCharsets.UTF_8));
        Collect<Customer> c = Collect.read("customers.csv", out.toByteArray(), CUSTOMERS);
        assertThat(c.records()).extracting(Customer::id).containsExactly("cus_1", "cus_3");
        assertThat(c.records().get(1).name()).isEqualTo("Müller");
        assertThat(c.rejected).singleElement().satisfies(r -> {
            assertThat(r.line()).isEqualTo(3);
            assertThat(r.column()).isEqualTo("name");
            assertThat(r.reason()).isEqualTo("invalid UTF-8 bytes");
        });
    }

    @Test
    void invalidUtf8IsReportedWithTheCanonicalColumnNameForAnAliasHeader() {
        byte[] bytes = "Customer ID,Currency,Name\ncus_2,EUR,Bad \u0000\n".getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 2] = (byte) 0xFF;
        Collect<Customer> c = Collect.read("customers.csv", bytes, CUSTOMERS);
        assertThat(c.rejected).singleElement().extracting(Rejection::column).isEqualTo("name");
    }

    @Test
    void valueProblemsNameTheColumnAndTheValue() {
        Collect<Invoice> c = Collect.read("invoices.csv", """
                invoice_id,customer_id,status,created_at,currency,subtotal,total
                in_1,cus_1,paid,2026-02-30,USD,10.00,10.00
                in_2,cus_1,paid,2026-02-01,USD,10.001,10.00
                in_3,cus_1,paid,2026-02-01,XYZ,10.00,10.00
                in_4,,paid,2026-02-01,USD,10.00,10.00
                in_5,cus_1,settled,2026-02-01,USD,10.00,10.00
                in_6,cus_1,paid,2026-02-01,USD,ten,10.00
                in_7,cus_1,paid,2026-02-01,JPY,1000,1000
                """, INVOICES);
        assertThat(c.records()).extracting(Invoice::id).containsExactly("in_7");
        assertThat(c.records().get(0).status()).isEqualTo(InvoiceStatus.PAID);
        assertThat(c.rejected).extracting(r -> r.line() + " " + r.column())
                .containsExactly("2 created_at", "3 subtotal", "4 currency", "5 customer_id", "6 status", "7 subtotal");
        assertThat(c.rejected).extracting(Rejection::reason).containsExactly(
                "not a valid date: '2026-02-30'",
                "'10.001' has more decimals than USD allows (2)",
                "unknown currency 'XYZ'",
                "required value is missing",
                "unknown invoice status 'settled' (draft, open, paid, void, uncollectible)",
                "not a number: 'ten'");
    }

    @Test
    void domainValidationNamesTheField() {
        Collect<Invoice> c = Collect.read("invoices.csv", """
                invoice_id,customer_id,status,created_at,period_start,period_end,currency,subtotal,total
                in_1,cus_1,paid,2026-02-01,2026-02-01,2026-01-01,USD,10.00,10.00
                """, INVOICES);
        assertThat(c.rejected).singleElement().satisfies(r -> {
            assertThat(r.column()).isEqualTo("period_end");
            assertThat(r.reason()).isEqualTo("period_end is before period_start");
        });
    }

    @Test
    void sameContentInAnotherColumnOrderHashesTheSame() {
        Collect<Customer> a = Collect.read("customers.csv", """
                customer_id,name,currency,country
                cus_1,Acme,EUR,DE
                cus_2,Beta,EUR,FR
                """, CUSTOMERS);
        Collect<Customer> b = Collect.read("customers.csv", """
                Country,Currency,id,Name,Unmapped Extra
                DE, EUR ,cus_1,Acme,ignored
                FR,EUR,cus_2,Beta,
                """, CUSTOMERS);
        assertThat(b.accepted.get(0).contentHash()).isEqualTo(a.accepted.get(0).contentHash());
        assertThat(b.accepted.get(1).contentHash()).isEqualTo(a.accepted.get(1).contentHash());
        assertThat(a.accepted.get(0).contentHash()).isNotEqualTo(a.accepted.get(1).contentHash());
    }

    @Test
    void changedContentUnderTheSameIdHashesDifferently() {
        Collect<Customer> c = Collect.read("customers.csv", """
                customer_id,name,email,currency
                cus_1,Acme,x,EUR
                cus_1,Acme,x,USD
                cus_1,Acmex,,EUR
                cus_1,Acme,x,EUR
                """, CUSTOMERS);
        assertThat(c.rejected).isEmpty();
        assertThat(c.accepted).extracting(Parsed::key).containsOnly("cus_1");
        long first = c.accepted.get(0).contentHash();
        assertThat(c.accepted.get(1).contentHash()).isNotEqualTo(first);
        assertThat(c.accepted.get(2).contentHash()).as("a value moved across a column boundary").isNotEqualTo(first);
        assertThat(c.accepted.get(3).contentHash()).isEqualTo(first);
    }

    @Test
    void unterminatedQuoteSwallowsTheRestOfTheFileIntoOneRejectedRow() {
        Collect<Customer> c = Collect.read("customers.csv", """
                customer_id,name,currency
                cus_1,Acme,USD
                cus_2,"Broken,USD
                cus_3,Lost,USD
                """, CUSTOMERS);
        assertThat(c.records()).extracting(Customer::id).containsExactly("cus_1");
        assertThat(c.rejected).singleElement().satisfies(r -> {
            assertThat(r.line()).isEqualTo(3);
            assertThat(r.reason()).contains("expected 3 fields, found 2");
        });
    }
}
