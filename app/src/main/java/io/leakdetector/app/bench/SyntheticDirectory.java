package io.leakdetector.app.bench;

import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.money.Money;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Writes a large, valid and consistent data directory for load benchmarks and import tests: every reference
 * resolves, every key is unique, the rows are a deterministic function of their index. It is not the evaluation
 * generator (no leaks, no realism beyond shapes); it exists so that volume can be produced in seconds.
 */
public final class SyntheticDirectory {
    private static final String[] CURRENCIES = {"USD", "EUR", "JPY"};
    private static final long[] SEAT_PRICE_MINOR = {4_900, 4_500, 6_000}; // 49.00 USD, 45.00 EUR, 6000 JPY
    private static final String[] SEGMENTS = {"smb", "mid-market", "enterprise"};
    private static final String[] REGIONS = {"NA", "EMEA", "APAC"};
    private static final String[] COUNTRIES = {"US", "DE", "JP"};
    private static final Instant START = Instant.parse("2024-01-01T00:00:00Z");

    private SyntheticDirectory() {}

    /** Number of customers for a directory of {@code invoices} invoices. */
    public static int customersFor(int invoices) {
        return Math.max(3, invoices / 12);
    }

    /**
     * Writes the directory for {@code invoices} invoices (one line and one payment each; customers, subscriptions,
     * payment methods, refunds, usage, seat observations and change events in proportion) and returns the rows
     * written per kind.
     */
    public static Map<EntityKind, Long> write(Path dir, int invoices) {
        if (invoices < 1) throw new IllegalArgumentException("invoices must be positive");
        Map<EntityKind, Long> rows = new EnumMap<>(EntityKind.class);
        int customers = customersFor(invoices);
        try {
            Files.createDirectories(dir);
            try (Csv w = new Csv(dir, EntityKind.CUSTOMERS, "customer_id,name,email,segment,region,country,currency,created_at")) {
                for (int c = 0; c < customers; c++) {
                    int k = c % 3;
                    w.f(customerId(c)).f("Customer " + c).f("billing" + c + "@example.com").f(SEGMENTS[k]).f(REGIONS[k])
                            .f(COUNTRIES[k]).f(CURRENCIES[k]).f(START.plusSeconds(60L * c).toString()).end();
                }
                rows.put(EntityKind.CUSTOMERS, w.rows);
            }
            try (Csv w = new Csv(dir, EntityKind.PRICES, "price_id,plan_id,product_id,product_name,interval,scheme,currency,"
                    + "unit_amount,included_units,overage_unit_amount,usage_metric,valid_from,valid_to")) {
                for (int k = 0; k < 3; k++) {
                    w.f(priceId(k)).f("pro-monthly-" + CURRENCIES[k].toLowerCase()).f("prod_pro").f("Pro").f("month")
                            .f("per_seat").f(CURRENCIES[k]).f(money(SEAT_PRICE_MINOR[k], k)).f("").f("").f("")
                            .f("2023-01-01").f("").end();
                }
                rows.put(EntityKind.PRICES, w.rows);
            }
            try (Csv w = new Csv(dir, EntityKind.SUBSCRIPTIONS, "subscription_id,customer_id,price_id,quantity,currency,"
                    + "unit_amount,discount_percent,discount_end,status,started_at,trial_end,canceled_at,price_locked")) {
                for (int c = 0; c < customers; c++) {
                    int k = c % 3;
                    w.f("sub_" + pad(c, 8)).f(customerId(c)).f(priceId(k)).f(Integer.toString(seats(c))).f("").f("")
                            .f(c % 10 == 0 ? "10" : "").f(c % 10 == 0 ? "2030-01-01" : "").f("active")
                            .f(START.plusSeconds(60L * c).toString()).f("").f("").f("false").end();
                }
                rows.put(EntityKind.SUBSCRIPTIONS, w.rows);
            }
            try (Csv w = new Csv(dir, EntityKind.SUBSCRIPTION_CHANGES, "change_id,subscription_id,changed_at,kind,from_price_id,"
                    + "to_price_id,from_quantity,to_quantity")) {
                for (int c = 0; c < customers; c += 4) {
                    w.f("sc_" + pad(c, 8)).f("sub_" + pad(c, 8)).f(START.plusSeconds(60L * c + 86_400).toString()).f("quantity")
                            .f("").f("").f(Integer.toString(Math.max(1, seats(c) - 1))).f(Integer.toString(seats(c))).end();
                }
                rows.put(EntityKind.SUBSCRIPTION_CHANGES, w.rows);
            }
            try (Csv inv = new Csv(dir, EntityKind.INVOICES, "invoice_id,customer_id,subscription_id,status,created_at,"
                    + "period_start,period_end,currency,subtotal,discount,tax,total,amount_paid,billing_reason");
                 Csv lines = new Csv(dir, EntityKind.INVOICE_LINES, "line_id,invoice_id,kind,price_id,description,quantity,"
                         + "currency,unit_amount,amount,period_start,period_end")) {
                for (int i = 0; i < invoices; i++) {
                    int c = i % customers;
                    int k = c % 3;
                    int q = seats(c);
                    long subtotal = SEAT_PRICE_MINOR[k] * q;
                    long tax = k == 2 ? 0 : subtotal / 10;
                    Instant periodStart = monthStart(i / customers);
                    Instant periodEnd = monthStart(i / customers + 1);
                    String id = invoiceId(i);
                    inv.f(id).f(customerId(c)).f("sub_" + pad(c, 8)).f("paid").f(periodStart.plusSeconds(300).toString())
                            .f(periodStart.toString()).f(periodEnd.toString()).f(CURRENCIES[k]).f(money(subtotal, k))
                            .f(money(0, k)).f(money(tax, k)).f(money(subtotal + tax, k)).f(money(subtotal + tax, k))
                            .f("subscription_cycle").end();
                    lines.f("il_" + pad(i, 9)).f(id).f("subscription").f(priceId(k)).f(q + " x Pro seat")
                            .f(Integer.toString(q)).f(CURRENCIES[k]).f(money(SEAT_PRICE_MINOR[k], k)).f(money(subtotal, k))
                            .f(periodStart.toString()).f(periodEnd.toString()).end();
                }
                rows.put(EntityKind.INVOICES, inv.rows);
                rows.put(EntityKind.INVOICE_LINES, lines.rows);
            }
            try (Csv w = new Csv(dir, EntityKind.PAYMENT_METHODS, "payment_method_id,customer_id,type,brand,exp_month,exp_year,is_default")) {
                for (int c = 0; c < customers; c++) {
                    w.f("pm_" + pad(c, 8)).f(customerId(c)).f("card").f(c % 2 == 0 ? "visa" : "mastercard")
                            .f(Integer.toString(1 + c % 12)).f(Integer.toString(2026 + c % 4)).f("true").end();
                }
                rows.put(EntityKind.PAYMENT_METHODS, w.rows);
            }
            try (Csv pay = new Csv(dir, EntityKind.PAYMENTS, "payment_id,invoice_id,customer_id,attempted_at,currency,amount,"
                    + "status,decline_code,payment_method_id,attempt");
                 Csv ref = new Csv(dir, EntityKind.REFUNDS, "refund_id,payment_id,invoice_id,created_at,currency,amount,reason,status");
                 Csv cn = new Csv(dir, EntityKind.CREDIT_NOTES, "credit_note_id,invoice_id,customer_id,created_at,currency,amount,reason");
                 Csv dp = new Csv(dir, EntityKind.DISPUTES, "dispute_id,payment_id,created_at,currency,amount,reason,status")) {
                for (int i = 0; i < invoices; i++) {
                    int c = i % customers;
                    int k = c % 3;
                    long total = SEAT_PRICE_MINOR[k] * seats(c) + (k == 2 ? 0 : SEAT_PRICE_MINOR[k] * seats(c) / 10);
                    Instant at = monthStart(i / customers).plusSeconds(600);
                    pay.f("ch_" + pad(i, 9)).f(invoiceId(i)).f(customerId(c)).f(at.toString()).f(CURRENCIES[k])
                            .f(money(total, k)).f("succeeded").f("").f("pm_" + pad(c, 8)).f("1").end();
                    if (i % 50 == 7) {
                        ref.f("re_" + pad(i, 9)).f("ch_" + pad(i, 9)).f(invoiceId(i)).f(at.plusSeconds(86_400).toString())
                                .f(CURRENCIES[k]).f(money(SEAT_PRICE_MINOR[k], k)).f("requested_by_customer").f("succeeded").end();
                    }
                    if (i % 100 == 13) {
                        cn.f("cn_" + pad(i, 9)).f(invoiceId(i)).f(customerId(c)).f(at.plusSeconds(172_800).toString())
                                .f(CURRENCIES[k]).f(money(SEAT_PRICE_MINOR[k], k)).f("goodwill").end();
                    }
                    if (i % 500 == 99) {
                        dp.f("dp_" + pad(i, 9)).f("ch_" + pad(i, 9)).f(at.plusSeconds(604_800).toString()).f(CURRENCIES[k])
                                .f(money(total, k)).f("fraudulent").f("under_review").end();
                    }
                }
                rows.put(EntityKind.PAYMENTS, pay.rows);
                rows.put(EntityKind.REFUNDS, ref.rows);
                rows.put(EntityKind.CREDIT_NOTES, cn.rows);
                rows.put(EntityKind.DISPUTES, dp.rows);
            }
            try (Csv w = new Csv(dir, EntityKind.USAGE, "usage_id,customer_id,subscription_id,metric,period_start,quantity")) {
                for (int u = 0; u < invoices / 4; u++) {
                    int c = u % customers;
                    w.f("u_" + pad(u, 9)).f(customerId(c)).f("sub_" + pad(c, 8)).f("api_calls")
                            .f(monthStart(u / customers).toString()).f(Long.toString(1_000L + (u * 37L) % 5_000)).end();
                }
                rows.put(EntityKind.USAGE, w.rows);
            }
            try (Csv w = new Csv(dir, EntityKind.APP_ACCOUNTS, "account_id,customer_id,product_id,observed_on,seats_in_use,access_status")) {
                LocalDate day0 = LocalDate.of(2024, 1, 1);
                for (int a = 0; a < invoices / 2; a++) {
                    int c = a % customers;
                    w.f("acct_" + pad(c, 8)).f(customerId(c)).f("prod_pro").f(day0.plusDays(a / customers).toString())
                            .f(Integer.toString(seats(c) - (a % 3 == 0 ? 1 : 0))).f("active").end();
                }
                rows.put(EntityKind.APP_ACCOUNTS, w.rows);
            }
            try (Csv w = new Csv(dir, EntityKind.CHANGE_EVENTS, "event_id,occurred_at,type,service,version,description")) {
                for (int e = 0; e < 10; e++) {
                    w.f("chg_" + pad(e, 3)).f(START.plusSeconds(86_400L * 30 * e).toString()).f("deploy").f("billing-svc")
                            .f("2." + e + ".0").f("release " + e + ", with a comma").end();
                }
                rows.put(EntityKind.CHANGE_EVENTS, w.rows);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir, e);
        }
        return Collections.unmodifiableMap(rows);
    }

    static String customerId(int c) {
        return "cus_" + pad(c, 8);
    }

    static String invoiceId(int i) {
        return "in_" + pad(i, 9);
    }

    private static String priceId(int k) {
        return "price_pro_m_" + CURRENCIES[k].toLowerCase();
    }

    private static int seats(int c) {
        return 1 + c % 20;
    }

    private static Instant monthStart(int monthIndex) {
        return LocalDate.of(2024, 1, 1).plusMonths(monthIndex).atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
    }

    private static String money(long minor, int currencyIndex) {
        return Money.ofMinor(minor, CURRENCIES[currencyIndex]).toPlainString();
    }

    private static String pad(long n, int width) {
        String s = Long.toString(n);
        return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
    }

    /** A tiny CSV writer: quotes only what needs quoting. */
    private static final class Csv implements AutoCloseable {
        private final BufferedWriter out;
        private final StringBuilder line = new StringBuilder(256);
        long rows;
        private boolean first = true;

        Csv(Path dir, EntityKind kind, String header) throws IOException {
            out = Files.newBufferedWriter(dir.resolve(kind.fileName()), StandardCharsets.UTF_8);
            out.write(header);
            out.write('\n');
        }

        Csv f(String v) {
            if (!first) line.append(',');
            first = false;
            if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0) line.append('"').append(v.replace("\"", "\"\"")).append('"');
            else line.append(v);
            return this;
        }

        void end() throws IOException {
            line.append('\n');
            out.append(line);
            line.setLength(0);
            first = true;
            rows++;
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
