package io.leakdetector.app.detect;

import io.leakdetector.core.domain.AppAccount;
import io.leakdetector.core.domain.BillingInterval;
import io.leakdetector.core.domain.CreditNote;
import io.leakdetector.core.domain.Customer;
import io.leakdetector.core.domain.Dispute;
import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.domain.InvoiceLine;
import io.leakdetector.core.domain.InvoiceStatus;
import io.leakdetector.core.domain.LineKind;
import io.leakdetector.core.domain.Payment;
import io.leakdetector.core.domain.PaymentMethod;
import io.leakdetector.core.domain.PaymentStatus;
import io.leakdetector.core.domain.Price;
import io.leakdetector.core.domain.PricingScheme;
import io.leakdetector.core.domain.Refund;
import io.leakdetector.core.domain.Subscription;
import io.leakdetector.core.domain.SubscriptionChange;
import io.leakdetector.core.domain.SubscriptionStatus;
import io.leakdetector.core.domain.UsageRecord;
import io.leakdetector.core.money.Currencies;
import io.leakdetector.core.scan.LoadedData;
import io.leakdetector.core.money.Money;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Reads one customer's records back from the billing tables as core's domain records: the state the detectors
 * judge on the real-time path. A handful of indexed queries per customer ({@link #load}), or the same queries
 * over a range of customer ids for the batch detection ({@link #loadRange}).
 */
@Component
public class StoredCustomer {
    private final JdbcClient jdbc;

    public StoredCustomer(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Everything stored about one customer. */
    public record Records(Customer customer, List<Subscription> subscriptions, List<SubscriptionChange> changes,
                   List<Invoice> invoices, Map<String, List<InvoiceLine>> lines, List<Payment> payments,
                   List<Refund> refunds, List<CreditNote> creditNotes, List<Dispute> disputes, List<UsageRecord> usage,
                   List<AppAccount> appAccounts, List<PaymentMethod> paymentMethods) {}

    /** The customer's stored records as the history the detectors judge. */
    public io.leakdetector.core.detect.CustomerHistory history(String customerId) {
        return history(customerId, load(customerId));
    }

    /** Records already loaded as the history the detectors judge. */
    public static io.leakdetector.core.detect.CustomerHistory history(String customerId, Records r) {
        return new io.leakdetector.core.detect.CustomerHistory(customerId, r.customer(), r.subscriptions(), r.changes(),
                r.invoices(), r.lines(), r.payments(), r.refunds(), r.creditNotes(), r.disputes(), r.usage(),
                r.appAccounts(), r.paymentMethods());
    }

    /**
     * Whether the store holds anything about the customer — a row of a table {@link #load} reads the customer from
     * directly, or a finding — in one statement of index look-ups. When false, {@link #load} is empty and the customer
     * has no findings (the tables {@code load} joins, such as invoice lines, are reached through those rows), so the
     * real-time path skips the dozen statements of a first read for a customer the store has never seen.
     */
    public boolean holdsAnything(String customerId) {
        return jdbc.sql(HOLDS_ANYTHING).params(java.util.Collections.nCopies(OWNING_TABLES.size(), customerId))
                .query(Integer.class).single() == 1;
    }

    /** The tables with a customer_id column (each indexed on it), findings included. */
    private static final List<String> OWNING_TABLES = List.of("customers", "subscriptions", "invoices", "payments",
            "credit_notes", "usage_records", "app_accounts", "payment_methods", "findings");
    private static final String HOLDS_ANYTHING = "SELECT CASE WHEN "
            + String.join(" OR ", OWNING_TABLES.stream().map(t -> "EXISTS (SELECT 1 FROM " + t + " WHERE customer_id = ?)").toList())
            + " THEN 1 ELSE 0 END";

    /** The records of a customer the store holds nothing about. */
    public static Records none() {
        return empty(null);
    }

    public Records load(String customerId) {
        Records r = loadWhere("= ?", List.of(customerId)).get(customerId);
        return r != null ? r : empty(null);
    }

    /**
     * The records of every customer whose id lies in {@code [first, last]} (the database's own order, as
     * {@code ORDER BY customer_id} lists them), by customer id: one query per table for the whole range instead of a
     * dozen per customer. An id in the range with rows but no customer row maps to records whose customer is null.
     */
    public Map<String, Records> loadRange(String first, String last) {
        return loadWhere("BETWEEN ? AND ?", List.of(first, last));
    }

    /**
     * The records of each of {@code ids} (sorted as {@code ORDER BY customer_id} lists them), read {@code perRead} ids at a
     * time with {@link #loadRange}, handed to {@code each} in the order of {@code ids}; an id whose rows are gone since
     * the list was read is skipped.
     */
    public void forEachInRanges(List<String> ids, int perRead, java.util.function.BiConsumer<String, Records> each) {
        for (int from = 0; from < ids.size(); from += perRead) {
            List<String> range = ids.subList(from, Math.min(ids.size(), from + perRead));
            Map<String, Records> loaded = loadRange(range.get(0), range.get(range.size() - 1));
            for (String id : range) {
                Records r = loaded.get(id);
                if (r != null) each.accept(id, r);
            }
        }
    }

    /** Each table's rows whose owning customer id satisfies {@code customer_id <condition>}, grouped by customer. */
    private Map<String, Records> loadWhere(String condition, List<Object> args) {
        Map<String, Records> out = new LinkedHashMap<>();
        java.util.function.Function<String, Records> of = id -> out.computeIfAbsent(id, StoredCustomer::empty);
        jdbc.sql("SELECT * FROM customers WHERE customer_id " + condition + " ORDER BY customer_id").params(args)
                .query((rs, n) -> new Customer(rs.getString("customer_id"), rs.getString("name"), rs.getString("email"),
                        rs.getString("segment"), rs.getString("region"), rs.getString("country"), cur(rs, "currency"),
                        instant(rs, "created_at"), source(rs)))
                .list().forEach(c -> out.put(c.id(), withCustomer(of.apply(c.id()), c)));
        jdbc.sql("SELECT * FROM subscriptions WHERE customer_id " + condition + " ORDER BY started_at, subscription_id")
                .params(args).query(StoredCustomer::subscription).list()
                .forEach(x -> of.apply(x.customerId()).subscriptions().add(x));
        jdbc.sql("SELECT c.*, s.customer_id AS owner_id FROM subscription_changes c JOIN subscriptions s "
                        + "ON s.subscription_id = c.subscription_id WHERE s.customer_id " + condition + " ORDER BY c.changed_at, c.change_id")
                .params(args)
                .query((rs, n) -> {
                    of.apply(rs.getString("owner_id")).changes().add(new SubscriptionChange(rs.getString("change_id"),
                            rs.getString("subscription_id"), instant(rs, "changed_at"), rs.getString("kind"),
                            rs.getString("from_price_id"), rs.getString("to_price_id"), longOrNull(rs, "from_quantity"),
                            longOrNull(rs, "to_quantity"), source(rs)));
                    return n;
                })
                .list();
        jdbc.sql("SELECT * FROM invoices WHERE customer_id " + condition + " ORDER BY created_at, invoice_id")
                .params(args).query(StoredCustomer::invoice).list()
                .forEach(x -> of.apply(x.customerId()).invoices().add(x));
        jdbc.sql("SELECT l.*, i.customer_id AS owner_id FROM invoice_lines l JOIN invoices i ON i.invoice_id = l.invoice_id "
                        + "WHERE i.customer_id " + condition + " ORDER BY l.invoice_id, l.source_line, l.line_id")
                .params(args)
                .query((rs, n) -> {
                    InvoiceLine l = line(rs, n);
                    of.apply(rs.getString("owner_id")).lines().computeIfAbsent(l.invoiceId(), k -> new ArrayList<>()).add(l);
                    return n;
                })
                .list();
        jdbc.sql("SELECT * FROM payments WHERE customer_id " + condition + " ORDER BY attempted_at, payment_id")
                .params(args).query(StoredCustomer::payment).list()
                .forEach(x -> of.apply(x.customerId()).payments().add(x));
        jdbc.sql("SELECT r.*, p.customer_id AS owner_id FROM refunds r JOIN payments p ON p.payment_id = r.payment_id "
                        + "WHERE p.customer_id " + condition + " ORDER BY r.created_at, r.refund_id")
                .params(args)
                .query((rs, n) -> {
                    of.apply(rs.getString("owner_id")).refunds().add(new Refund(rs.getString("refund_id"),
                            rs.getString("payment_id"), rs.getString("invoice_id"), instant(rs, "created_at"),
                            money(rs, "amount_minor", "currency"), rs.getString("reason"), rs.getString("status"), source(rs)));
                    return n;
                })
                .list();
        jdbc.sql("SELECT * FROM credit_notes WHERE customer_id " + condition + " ORDER BY created_at, credit_note_id")
                .params(args)
                .query((rs, n) -> new CreditNote(rs.getString("credit_note_id"), rs.getString("invoice_id"),
                        rs.getString("customer_id"), instant(rs, "created_at"), money(rs, "amount_minor", "currency"),
                        rs.getString("reason"), source(rs)))
                .list().forEach(x -> of.apply(x.customerId()).creditNotes().add(x));
        jdbc.sql("SELECT d.*, p.customer_id AS owner_id FROM disputes d JOIN payments p ON p.payment_id = d.payment_id "
                        + "WHERE p.customer_id " + condition + " ORDER BY d.created_at, d.dispute_id")
                .params(args)
                .query((rs, n) -> {
                    of.apply(rs.getString("owner_id")).disputes().add(new Dispute(rs.getString("dispute_id"),
                            rs.getString("payment_id"), instant(rs, "created_at"), money(rs, "amount_minor", "currency"),
                            rs.getString("reason"), rs.getString("status"), source(rs)));
                    return n;
                })
                .list();
        jdbc.sql("SELECT * FROM usage_records WHERE customer_id " + condition + " ORDER BY period_start, usage_id")
                .params(args)
                .query((rs, n) -> new UsageRecord(rs.getString("usage_id"), rs.getString("customer_id"),
                        rs.getString("subscription_id"), rs.getString("metric"), instant(rs, "period_start"),
                        rs.getLong("quantity"), source(rs)))
                .list().forEach(x -> of.apply(x.customerId()).usage().add(x));
        jdbc.sql("SELECT * FROM app_accounts WHERE customer_id " + condition + " ORDER BY observed_on, account_id")
                .params(args)
                .query((rs, n) -> new AppAccount(rs.getString("account_id"), rs.getString("customer_id"),
                        rs.getString("product_id"), rs.getObject("observed_on", LocalDate.class), rs.getLong("seats_in_use"),
                        rs.getString("access_status"), source(rs)))
                .list().forEach(x -> of.apply(x.customerId()).appAccounts().add(x));
        jdbc.sql("SELECT * FROM payment_methods WHERE customer_id " + condition + " ORDER BY payment_method_id")
                .params(args)
                .query((rs, n) -> {
                    Integer m = (Integer) rs.getObject("exp_month", Integer.class);
                    Integer y = (Integer) rs.getObject("exp_year", Integer.class);
                    return new PaymentMethod(rs.getString("payment_method_id"), rs.getString("customer_id"),
                            rs.getString("method_type"), rs.getString("brand"), m == null || y == null ? null : YearMonth.of(y, m),
                            rs.getBoolean("is_default"), source(rs));
                })
                .list().forEach(x -> of.apply(x.customerId()).paymentMethods().add(x));
        return out;
    }

    private static Records empty(String customerId) {
        return new Records(null, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new LinkedHashMap<>(),
                new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>(), new ArrayList<>());
    }

    private static Records withCustomer(Records r, Customer c) {
        return new Records(c, r.subscriptions(), r.changes(), r.invoices(), r.lines(), r.payments(), r.refunds(),
                r.creditNotes(), r.disputes(), r.usage(), r.appAccounts(), r.paymentMethods());
    }

    /**
     * Many customers' stored records gathered into one in-memory data set, as {@code scan}'s loader would hold the
     * same files: the whole-data passes (the ML layer's ANOMALY pass, training) read it. Each list is put in source
     * order (file, then row; rows that came over HTTP after, in the order added) so that a data set imported from a
     * directory lists its records as the directory does, and a seeded model fitted on it sees the same rows.
     */
    public static final class Gathered {
        private final List<Customer> customers = new ArrayList<>();
        private final List<Subscription> subscriptions = new ArrayList<>();
        private final List<SubscriptionChange> changes = new ArrayList<>();
        private final List<Invoice> invoices = new ArrayList<>();
        private final List<InvoiceLine> lines = new ArrayList<>();
        private final List<PaymentMethod> methods = new ArrayList<>();
        private final List<Payment> payments = new ArrayList<>();
        private final List<Refund> refunds = new ArrayList<>();
        private final List<CreditNote> notes = new ArrayList<>();
        private final List<Dispute> disputes = new ArrayList<>();
        private final List<UsageRecord> usage = new ArrayList<>();
        private final List<AppAccount> accounts = new ArrayList<>();

        public void add(Records r) {
            if (r.customer() != null) customers.add(r.customer());
            subscriptions.addAll(r.subscriptions());
            changes.addAll(r.changes());
            invoices.addAll(r.invoices());
            r.lines().values().forEach(lines::addAll);
            methods.addAll(r.paymentMethods());
            payments.addAll(r.payments());
            refunds.addAll(r.refunds());
            notes.addAll(r.creditNotes());
            disputes.addAll(r.disputes());
            usage.addAll(r.usage());
            accounts.addAll(r.appAccounts());
        }

        /** What was gathered, with {@code prices}, as the scan's loaded data (no file statistics: nothing was read). */
        public LoadedData data(List<Price> prices, Instant latestEvent) {
            return new LoadedData(inSourceOrder(customers, Customer::source), inSourceOrder(prices, Price::source),
                    inSourceOrder(subscriptions, Subscription::source), inSourceOrder(changes, SubscriptionChange::source),
                    inSourceOrder(invoices, Invoice::source), inSourceOrder(lines, InvoiceLine::source),
                    inSourceOrder(methods, PaymentMethod::source), inSourceOrder(payments, Payment::source),
                    inSourceOrder(refunds, Refund::source), inSourceOrder(notes, CreditNote::source),
                    inSourceOrder(disputes, Dispute::source), inSourceOrder(usage, UsageRecord::source),
                    inSourceOrder(accounts, AppAccount::source), Map.of(), latestEvent);
        }

        /** A stable sort by source file, then by row number: {@code invoices.csv:9} before {@code invoices.csv:10}. */
        private static <T> List<T> inSourceOrder(List<T> records, java.util.function.Function<T, String> source) {
            List<T> out = new ArrayList<>(records);
            out.sort(java.util.Comparator.comparing((T t) -> sourceFile(source.apply(t)))
                    .thenComparingLong(t -> sourceLine(source.apply(t))));
            return out;
        }

        private static String sourceFile(String source) {
            return sourceLine(source) > 0 ? source.substring(0, source.lastIndexOf(':')) : (source == null ? "" : source);
        }

        private static long sourceLine(String source) {
            int colon = source == null ? -1 : source.lastIndexOf(':');
            if (colon < 0 || colon == source.length() - 1) return 0;
            for (int i = colon + 1; i < source.length(); i++) if (!Character.isDigit(source.charAt(i))) return 0;
            return source.length() - colon - 1 > 18 ? 0 : Long.parseLong(source.substring(colon + 1));
        }
    }

    /** Every price version: the price book the detectors look prices up in. */
    public List<Price> prices() {
        return jdbc.sql("SELECT * FROM prices ORDER BY price_id").query((rs, n) -> {
            Currency c = cur(rs, "currency");
            long overage = rs.getLong("overage_unit_amount_minor");
            Money over = rs.wasNull() ? null : new Money(overage, c);
            return new Price(rs.getString("price_id"), rs.getString("plan_id"), rs.getString("product_id"),
                    rs.getString("product_name"), BillingInterval.parse(rs.getString("billing_interval")),
                    PricingScheme.parse(rs.getString("scheme")), new Money(rs.getLong("unit_amount_minor"), c),
                    rs.getLong("included_units"), over, rs.getString("usage_metric"), instant(rs, "valid_from"),
                    instant(rs, "valid_to"), source(rs));
        }).list();
    }

    private static Subscription subscription(ResultSet rs, int n) throws SQLException {
        String code = rs.getString("currency");
        long unit = rs.getLong("unit_amount_minor");
        Money negotiated = rs.wasNull() || code == null ? null : new Money(unit, Currencies.of(code.strip()));
        BigDecimal discount = rs.getBigDecimal("discount_percent");
        return new Subscription(rs.getString("subscription_id"), rs.getString("customer_id"), rs.getString("price_id"),
                rs.getLong("quantity"), negotiated, discount, instant(rs, "discount_end"),
                SubscriptionStatus.parse(rs.getString("status")), instant(rs, "started_at"), instant(rs, "trial_end"),
                instant(rs, "canceled_at"), rs.getBoolean("price_locked"), rs.getString("contract_id"), rs.getString("note"),
                source(rs));
    }

    private static Invoice invoice(ResultSet rs, int n) throws SQLException {
        Currency c = cur(rs, "currency");
        return new Invoice(rs.getString("invoice_id"), rs.getString("customer_id"), rs.getString("subscription_id"),
                InvoiceStatus.parse(rs.getString("status")), instant(rs, "created_at"), instant(rs, "period_start"),
                instant(rs, "period_end"), c, new Money(rs.getLong("subtotal_minor"), c), new Money(rs.getLong("discount_minor"), c),
                new Money(rs.getLong("tax_minor"), c), new Money(rs.getLong("total_minor"), c),
                new Money(rs.getLong("amount_paid_minor"), c), rs.getString("billing_reason"), source(rs));
    }

    private static InvoiceLine line(ResultSet rs, int n) throws SQLException {
        Currency c = cur(rs, "currency");
        return new InvoiceLine(rs.getString("line_id"), rs.getString("invoice_id"), LineKind.parse(rs.getString("kind")),
                rs.getString("price_id"), rs.getString("description"), rs.getLong("quantity"),
                new Money(rs.getLong("unit_amount_minor"), c), new Money(rs.getLong("amount_minor"), c),
                instant(rs, "period_start"), instant(rs, "period_end"), source(rs));
    }

    private static Payment payment(ResultSet rs, int n) throws SQLException {
        return new Payment(rs.getString("payment_id"), rs.getString("invoice_id"), rs.getString("customer_id"),
                instant(rs, "attempted_at"), money(rs, "amount_minor", "currency"), PaymentStatus.parse(rs.getString("status")),
                rs.getString("decline_code"), rs.getString("payment_method_id"), rs.getInt("attempt"), source(rs));
    }

    private static Money money(ResultSet rs, String minor, String currency) throws SQLException {
        return new Money(rs.getLong(minor), cur(rs, currency));
    }

    private static Currency cur(ResultSet rs, String col) throws SQLException {
        return Currencies.of(rs.getString(col).strip());
    }

    private static Long longOrNull(ResultSet rs, String col) throws SQLException {
        long v = rs.getLong(col);
        return rs.wasNull() ? null : v;
    }

    private static Instant instant(ResultSet rs, String col) throws SQLException {
        OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    /** {@code invoices.csv:12} for imported rows; the event or request label for rows that came over HTTP. */
    private static String source(ResultSet rs) throws SQLException {
        long line = rs.getLong("source_line");
        String file = rs.getString("source_file");
        return line > 0 ? file + ":" + line : file;
    }
}
