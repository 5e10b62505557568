package io.leakdetector.core.ml.features;

import io.leakdetector.core.domain.CreditNote;
import io.leakdetector.core.domain.Customer;
import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.domain.InvoiceLine;
import io.leakdetector.core.domain.InvoiceStatus;
import io.leakdetector.core.domain.Payment;
import io.leakdetector.core.domain.PaymentStatus;
import io.leakdetector.core.domain.Price;
import io.leakdetector.core.domain.PricingScheme;
import io.leakdetector.core.domain.Refund;
import io.leakdetector.core.domain.Subscription;
import io.leakdetector.core.domain.UsageRecord;
import io.leakdetector.core.ml.FeatureMatrix;
import io.leakdetector.core.money.Money;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Numeric features over billing data for the anomaly models: one row per invoice ({@link #invoices}) and one per
 * customer and calendar month with invoices ({@link #customerMonths}). Every feature is documented in
 * docs/features.md. Look-ups are built once (maps by id); each customer's history is then walked once, in
 * order of invoice creation, so there is no per-row search.
 */
public final class BillingFeatures {
    private BillingFeatures() {}

    /** Invoice features, in column order (stable names: models and explanations refer to them). */
    public static final List<String> INVOICE_FEATURES = List.of(
            "total_log10", "subtotal_log10", "expected_subtotal_log10", "has_expected_subtotal",
            "subtotal_to_expected_log10", "subtotal_to_expected_ratio", "total_to_customer_median_log10",
            "total_to_segment_median_log10", "discount_share", "contract_discount_share", "discount_minus_contract",
            "tax_share", "tax_rate_to_country_median", "tax_rate_minus_country_median_pp", "tax_amount_check_log10",
            "days_since_previous_invoice", "gap_to_interval_ratio", "is_first_invoice", "period_days",
            "period_to_interval_ratio", "line_count", "subscription_line_share", "usage_line_share",
            "proration_share", "one_off_share", "credit_line_share", "line_sum_to_subtotal_log10",
            "usage_recorded_units_log10", "usage_billed_units_log10", "usage_billed_to_recorded_log10",
            "payment_attempts", "failed_payment_ratio", "paid_share", "refund_ratio", "credit_note_count",
            "credit_note_ratio", "unit_amount_to_list_log10", "seats_log10", "month_of_year", "tenure_months",
            "currency_exponent", "is_one_off", "is_unpaid_status", "unit_to_cited_price_log10",
            "unit_to_own_median_log10", "currency_differs_from_customer", "tax_to_usual_rate_log2");

    private static final String[] MEAN_OF = INVOICE_FEATURES.toArray(new String[0]);

    /** Customer-month features: the month's totals, then the mean of every invoice feature over the month. */
    public static final List<String> CUSTOMER_MONTH_FEATURES = customerMonthNames();

    private static List<String> customerMonthNames() {
        List<String> names = new ArrayList<>(List.of("invoice_count", "month_total_log10",
                "month_total_to_customer_median_log10", "max_abs_subtotal_to_expected_log10",
                "max_tax_rate_to_country_median"));
        for (String f : MEAN_OF) names.add("mean_" + f);
        return List.copyOf(names);
    }

    /** One row per invoice, subject {@code invoice:<id>}, in order of customer id, then creation time. */
    public static FeatureMatrix invoices(BillingData data) {
        Rows rows = compute(data, null);
        return FeatureMatrix.ofRows(INVOICE_FEATURES, rows.values.toArray(new double[0][])).withSubjects(rows.subjects);
    }

    /**
     * The invoice rows of {@link #invoices(BillingData, List)}: the features, the invoice of each row and the lines
     * with that invoice's id (in data order).
     */
    public record InvoiceRows(FeatureMatrix features, List<Invoice> invoices, List<List<InvoiceLine>> lines) {}

    /**
     * The named invoice features only, in the order given (same rows, subjects and values as those columns of
     * {@link #invoices(BillingData)}), with the invoice of each row. Look-ups that none of the named features reads
     * (payments, refunds, credit notes, usage, segment medians) are not built and only the named columns are kept,
     * which is what lets a batch scan of a million invoices run the ANOMALY pass inside its heap.
     */
    public static InvoiceRows invoices(BillingData data, List<String> names) {
        int[] keep = new int[names.size()];
        for (int c = 0; c < keep.length; c++) {
            keep[c] = INVOICE_FEATURES.indexOf(names.get(c));
            if (keep[c] < 0) throw new IllegalArgumentException("no feature " + names.get(c));
        }
        if (OwnReferenceRows.covers(names)) {
            OwnReferenceRows own = new OwnReferenceRows(names, References.of(data.customers(), data.subscriptions(),
                    data.prices(), data.invoices()));
            Map<String, List<InvoiceLine>> lines = group(data.lines(), InvoiceLine::invoiceId);
            Map<String, List<Invoice>> byCustomer = group(data.invoices(), Invoice::customerId);
            String[] customerIds = byCustomer.keySet().toArray(new String[0]);
            Arrays.sort(customerIds);
            CustomerRows[] perCustomer = new CustomerRows[customerIds.length];
            java.util.stream.IntStream.range(0, customerIds.length).parallel().forEach(e -> perCustomer[e] =
                    own.of(customerIds[e], byCustomer.get(customerIds[e]), id -> lines.getOrDefault(id, List.of())));
            return own.join(Arrays.asList(perCustomer), true);
        }
        Rows rows = compute(data, keep);
        FeatureMatrix m = FeatureMatrix.ofRows(names, rows.values.toArray(new double[0][])).withSubjects(rows.subjects);
        return new InvoiceRows(m, rows.invoices, rows.lines);
    }

    /**
     * What the own-reference features of every customer read beyond the customer's own invoices and lines: customers,
     * subscriptions and price versions by id (the last row with an id, as a map of each file gives) and each country's
     * median tax rate over all invoices. Built once per data set, then read by many threads.
     */
    public static final class References {
        private final Map<String, Customer> customers;
        private final Map<String, Subscription> subscriptions;
        private final Map<String, Price> prices;
        private final Map<String, Double> countryMedian;

        private References(Map<String, Customer> customers, Map<String, Subscription> subscriptions, Map<String, Price> prices,
                           Map<String, Double> countryMedian) {
            this.customers = customers;
            this.subscriptions = subscriptions;
            this.prices = prices;
            this.countryMedian = countryMedian;
        }

        /**
         * The references of a data set. The country medians take every invoice (also one of an unknown customer,
         * whose country is ""), rounded to 0.1 percentage point, positive rates only; each invoice's country and rate
         * are looked up in parallel and gathered per country in arrays (a median does not depend on their order).
         */
        public static References of(List<Customer> customers, List<Subscription> subscriptions, List<Price> prices,
                                    List<Invoice> invoices) {
            Map<String, Customer> byId = new HashMap<>();
            Map<String, Integer> countryIndex = new HashMap<>();
            countryIndex.put("", 0);
            for (Customer c : customers) {
                byId.put(c.id(), c);
                countryIndex.putIfAbsent(country(c), countryIndex.size());
            }
            Map<String, Subscription> subs = new HashMap<>();
            for (Subscription s : subscriptions) subs.put(s.id(), s);
            Map<String, Price> priceById = new HashMap<>();
            for (Price p : prices) priceById.put(p.id(), p);
            int[] countryOf = new int[invoices.size()];   // -1: no positive rate
            double[] rateOf = new double[invoices.size()];
            java.util.stream.IntStream.range(0, invoices.size()).parallel().forEach(i -> {
                Invoice inv = invoices.get(i);
                rateOf[i] = Math.round(taxRate(inv) * 1000) / 1000.0;
                countryOf[i] = rateOf[i] > 0 ? countryIndex.get(country(byId.get(inv.customerId()))) : -1;
            });
            int[] count = new int[countryIndex.size()];
            for (int c : countryOf) if (c >= 0) count[c]++;
            double[][] rates = new double[count.length][];
            for (int c = 0; c < count.length; c++) rates[c] = new double[count[c]];
            int[] filled = new int[count.length];
            for (int i = 0; i < countryOf.length; i++) if (countryOf[i] >= 0) rates[countryOf[i]][filled[countryOf[i]]++] = rateOf[i];
            Map<String, Double> countryMedian = new HashMap<>();
            countryIndex.forEach((country, c) -> {
                if (count[c] > 0) countryMedian.put(country, medianOfSorted(sortInPlace(rates[c])));
            });
            return new References(byId, subs, priceById, countryMedian);
        }

        private static double[] sortInPlace(double[] v) {
            if (v.length > 100_000) Arrays.parallelSort(v);
            else Arrays.sort(v);
            return v;
        }
    }

    /** One customer's invoice rows: the values row after row, the invoices in creation order and each one's lines. */
    public record CustomerRows(double[] values, List<Invoice> invoices, List<List<InvoiceLine>> lines) {}

    /**
     * Rows of own-reference features (those that need nothing beyond the invoice's own lines, subscription and price
     * and the customer's and country's references: the ANOMALY set), one customer at a time: what lets a caller that
     * already holds each customer's invoices and lines (a batch scan's rule pass) compute them without grouping the
     * data again. {@link #of} of every customer, joined in customer id order, is {@link #invoices(BillingData, List)}.
     */
    public static final class OwnReferenceRows {
        private final List<String> names;
        private final int[] codes;
        private final References refs;

        /** @throws IllegalArgumentException when a name is not an own-reference feature */
        public OwnReferenceRows(List<String> names, References refs) {
            this.names = List.copyOf(names);
            this.codes = new int[names.size()];
            for (int k = 0; k < codes.length; k++) {
                codes[k] = OWN_REFERENCE_FEATURES.indexOf(names.get(k));
                if (codes[k] < 0) throw new IllegalArgumentException("not an own-reference feature: " + names.get(k));
            }
            this.refs = refs;
        }

        /** Whether every one of {@code names} is an own-reference feature. */
        public static boolean covers(List<String> names) {
            return !names.isEmpty() && OWN_REFERENCE_FEATURES.containsAll(names);
        }

        /**
         * The rows of one customer's invoices: {@code invoices} are all its invoices in data order (sorted here by
         * creation time, then id) and {@code linesOf} gives the lines with an invoice's id, in data order (empty when
         * none). Thread-safe.
         */
        public CustomerRows of(String customerId, List<Invoice> invoices, java.util.function.Function<String, List<InvoiceLine>> linesOf) {
            List<Invoice> history = new ArrayList<>(invoices);
            history.sort(BY_CREATION);
            List<List<InvoiceLine>> lines = new ArrayList<>(history.size());
            for (Invoice inv : history) lines.add(linesOf.apply(inv.id()));
            boolean unitMedians = false;
            for (int code : codes) if (code == UNIT_TO_OWN_MEDIAN) unitMedians = true;
            CustomerReferences own = CustomerReferences.of(history, lines, unitMedians);
            Double usual = refs.countryMedian.get(country(refs.customers.get(customerId)));
            double[] values = new double[history.size() * codes.length];
            int v = 0;
            for (int h = 0; h < history.size(); h++) {
                Invoice inv = history.get(h);
                Subscription sub = inv.subscriptionId() != null ? refs.subscriptions.get(inv.subscriptionId()) : null;
                for (int code : codes) {
                    values[v++] = ownReference(code, inv, lines.get(h), sub, refs.prices, own, usual);
                }
            }
            return new CustomerRows(values, history, lines);
        }

        /**
         * Customers' rows joined in the order given: the features (with the subjects {@code invoice:<id>} when
         * {@code subjects}, none otherwise), the invoice and the lines of every row.
         */
        public InvoiceRows join(List<CustomerRows> perCustomer, boolean subjects) {
            int rows = 0;
            for (CustomerRows r : perCustomer) rows += r.invoices().size();
            double[] values = new double[rows * codes.length];
            List<Invoice> invoices = new ArrayList<>(rows);
            List<List<InvoiceLine>> lines = new ArrayList<>(rows);
            int at = 0;
            for (CustomerRows r : perCustomer) {
                System.arraycopy(r.values(), 0, values, at, r.values().length);
                at += r.values().length;
                invoices.addAll(r.invoices());
                lines.addAll(r.lines());
            }
            FeatureMatrix m = FeatureMatrix.ofRowMajor(names, values);
            if (subjects) {
                List<String> s = new ArrayList<>(rows);
                for (Invoice inv : invoices) s.add("invoice:" + inv.id());
                m = m.withSubjects(s);
            }
            return new InvoiceRows(m, invoices, lines);
        }
    }

    /**
     * Invoices by creation time, then id. Written out: a {@code Comparator.comparing} chain calls its key extractors
     * through lambdas every caller in the JVM shares, which are not inlined; the sort of each customer's invoices was
     * 45 % of its feature rows' time in a profile.
     */
    private static final Comparator<Invoice> BY_CREATION = (a, b) -> {
        int c = a.createdAt().compareTo(b.createdAt());
        return c != 0 ? c : a.id().compareTo(b.id());
    };

    /** One row per customer and calendar month (UTC, of invoice creation) with at least one invoice. */
    public static FeatureMatrix customerMonths(BillingData data) {
        Rows rows = compute(data, null);
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < rows.values.size(); i++) {
            groups.computeIfAbsent("customer:" + rows.customers.get(i) + "@" + rows.months.get(i), k -> new ArrayList<>()).add(i);
        }
        int totalCol = INVOICE_FEATURES.indexOf("total_log10");
        int ratioCol = INVOICE_FEATURES.indexOf("subtotal_to_expected_log10");
        int taxCol = INVOICE_FEATURES.indexOf("tax_rate_to_country_median");
        // Month totals (major units) per customer, for each customer's own median month.
        Map<String, List<Double>> monthTotals = new HashMap<>();
        Map<String, Double> totalOf = new HashMap<>();
        for (Map.Entry<String, List<Integer>> g : groups.entrySet()) {
            double sum = 0;
            for (int i : g.getValue()) sum += rows.totals.get(i);
            totalOf.put(g.getKey(), sum);
            monthTotals.computeIfAbsent(rows.customers.get(g.getValue().get(0)), k -> new ArrayList<>()).add(sum);
        }
        Map<String, Double> medianMonth = new HashMap<>();
        monthTotals.forEach((c, v) -> medianMonth.put(c, median(v)));
        List<double[]> out = new ArrayList<>();
        List<String> subjects = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> g : groups.entrySet()) {
            List<Integer> members = g.getValue();
            double[] row = new double[CUSTOMER_MONTH_FEATURES.size()];
            double total = totalOf.get(g.getKey());
            row[0] = members.size();
            row[1] = log1p10(total);
            row[2] = logRatio(total, medianMonth.get(rows.customers.get(members.get(0))));
            double maxRatio = 0, maxTax = 0;
            for (int i : members) {
                double[] v = rows.values.get(i);
                maxRatio = Math.max(maxRatio, Math.abs(v[ratioCol]));
                maxTax = Math.max(maxTax, v[taxCol]);
                for (int f = 0; f < MEAN_OF.length; f++) row[5 + f] += v[f] / members.size();
            }
            row[3] = maxRatio;
            row[4] = maxTax;
            out.add(row);
            subjects.add(g.getKey());
        }
        if (totalCol < 0) throw new IllegalStateException("total_log10 missing");
        return FeatureMatrix.ofRows(CUSTOMER_MONTH_FEATURES, out.toArray(new double[0][])).withSubjects(subjects);
    }

    private record Rows(List<double[]> values, List<String> subjects, List<String> customers, List<YearMonth> months,
                        List<Double> totals, List<Invoice> invoices, List<List<InvoiceLine>> lines) {
        static Rows empty() {
            return new Rows(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                    new ArrayList<>(), new ArrayList<>());
        }
    }

    /** Whether a feature outside {@code keep} (null: every feature) or one of {@code names} is kept. */
    private static boolean needs(int[] keep, String... names) {
        if (keep == null) return true;
        for (int k : keep) for (String n : names) if (INVOICE_FEATURES.get(k).equals(n)) return true;
        return false;
    }

    /**
     * Every invoice feature, in rows of the columns {@code keep} (null: all, with the customer, month and total of
     * each row for {@link #customerMonths}). Look-ups only the dropped columns read are left empty.
     */
    private static Rows compute(BillingData data, int[] keep) {
        References refs = References.of(data.customers(), data.subscriptions(), data.prices(), data.invoices());
        Map<String, Customer> customers = refs.customers;
        Map<String, Subscription> subscriptions = refs.subscriptions;
        Map<String, Price> prices = refs.prices;
        Map<String, List<Price>> plans = new HashMap<>();
        for (Price p : data.prices()) plans.computeIfAbsent(p.planId(), k -> new ArrayList<>()).add(p);
        Map<String, List<InvoiceLine>> lines = group(data.lines(), InvoiceLine::invoiceId);
        boolean full = keep == null;
        Map<String, List<Payment>> payments = needs(keep, "payment_attempts", "failed_payment_ratio")
                ? group(data.payments(), Payment::invoiceId) : Map.of();
        Map<String, List<Refund>> refunds = Map.of();
        if (needs(keep, "refund_ratio")) {
            Map<String, String> invoiceOfPayment = new HashMap<>();
            for (Payment p : data.payments()) if (p.invoiceId() != null) invoiceOfPayment.put(p.id(), p.invoiceId());
            refunds = group(data.refunds(), r -> r.invoiceId() != null ? r.invoiceId() : invoiceOfPayment.get(r.paymentId()));
        }
        Map<String, List<CreditNote>> credits = needs(keep, "credit_note_count", "credit_note_ratio")
                ? group(data.creditNotes(), CreditNote::invoiceId) : Map.of();
        // Recorded usage per subscription (or customer when the record names none) and calendar month.
        Map<String, Long> usage = new HashMap<>();
        if (needs(keep, "expected_subtotal_log10", "has_expected_subtotal", "subtotal_to_expected_log10",
                "subtotal_to_expected_ratio", "usage_recorded_units_log10", "usage_billed_to_recorded_log10")) {
            for (UsageRecord u : data.usage()) {
                String owner = u.subscriptionId() != null ? u.subscriptionId() : "customer:" + u.customerId();
                usage.merge(owner + "@" + month(u.periodStart()), u.quantity(), Long::sum);
            }
        }
        Map<String, List<Invoice>> byCustomer = group(data.invoices(), Invoice::customerId);
        String[] customerIds = byCustomer.keySet().toArray(new String[0]);
        Arrays.sort(customerIds);

        // Population references beyond the country medians: segment (and currency) medians of totals.
        Map<String, List<Double>> segmentTotals = new HashMap<>();
        boolean segments = needs(keep, "total_to_segment_median_log10");
        if (segments) {
            for (Invoice inv : data.invoices()) {
                segmentTotals.computeIfAbsent(segmentKey(customers.get(inv.customerId()), inv), k -> new ArrayList<>()).add(major(inv.total()));
            }
        }
        Map<String, Double> segmentMedian = new HashMap<>();
        segmentTotals.forEach((k, v) -> segmentMedian.put(k, median(v)));
        Map<String, Double> countryMedian = refs.countryMedian;

        // Customers are independent from here on: their rows are computed in parallel and joined in customer order.
        Map<String, List<Refund>> refundsOf = refunds;
        boolean monthOfYear = needs(keep, "month_of_year"), tenure = needs(keep, "tenure_months");
        boolean unitMedians = needs(keep, "unit_to_own_median_log10");
        List<Rows> perCustomer = java.util.stream.IntStream.range(0, customerIds.length).parallel().mapToObj(e -> {
            Rows rows = Rows.empty();
            List<Invoice> history = new ArrayList<>(byCustomer.get(customerIds[e]));
            history.sort(BY_CREATION);
            List<List<InvoiceLine>> linesOf = new ArrayList<>(history.size());
            for (Invoice inv : history) linesOf.add(lines.getOrDefault(inv.id(), List.of()));
            Customer customer = customers.get(customerIds[e]);
            List<Double> totals = new ArrayList<>();
            for (Invoice inv : history) totals.add(major(inv.total()));
            double customerMedian = median(totals);
            CustomerReferences own = CustomerReferences.of(history, linesOf, unitMedians);
            Instant since = customer != null && customer.createdAt() != null ? customer.createdAt() : history.get(0).createdAt();
            Instant previous = null;
            for (int h = 0; h < history.size(); h++) {
                Invoice inv = history.get(h);
                Subscription sub = inv.subscriptionId() != null ? subscriptions.get(inv.subscriptionId()) : null;
                Instant at = inv.periodStart() != null ? inv.periodStart() : inv.createdAt();
                List<InvoiceLine> invLines = linesOf.get(h);
                boolean trial = sub != null && sub.trialEnd() != null && at.isBefore(sub.trialEnd());
                Double usual = countryMedian.get(country(customer));
                double[] v = new double[INVOICE_FEATURES.size()];
                Price listPrice = sub == null ? null : priceAt(prices.get(sub.priceId()), plans, at);
                Price contractPrice = sub == null ? null : (sub.priceLocked() ? prices.get(sub.priceId()) : listPrice);
                double subtotal = major(inv.subtotal()), total = major(inv.total());
                int i = 0;
                v[i++] = log1p10(total);
                v[i++] = log1p10(subtotal);
                // Expected subtotal from the contract: the recurring amount plus the overage over the included units.
                long recorded = sub == null || usage.isEmpty() ? 0 : usage.getOrDefault(sub.id() + "@" + month(at), 0L);
                double expected = Double.NaN;
                if (contractPrice != null && contractPrice.unitAmount().currency().equals(inv.currency())) {
                    Money unit = sub.negotiatedUnitAmount() != null ? sub.negotiatedUnitAmount() : contractPrice.unitAmount();
                    double recurring = contractPrice.scheme() == PricingScheme.PER_SEAT ? major(unit) * sub.quantity() : major(unit);
                    double overage = 0;
                    if (contractPrice.scheme() == PricingScheme.USAGE && contractPrice.overageUnitAmount() != null) {
                        overage = Math.max(0, recorded - contractPrice.includedUnits()) * major(contractPrice.overageUnitAmount());
                    }
                    expected = recurring + overage;
                    // A period that starts inside the trial is owed nothing.
                    if (sub.trialEnd() != null && at.isBefore(sub.trialEnd())) expected = 0;
                }
                boolean hasExpected = !Double.isNaN(expected);
                v[i++] = hasExpected ? log1p10(expected) : 0;
                v[i++] = hasExpected ? 1 : 0;
                v[i++] = hasExpected ? logRatio(subtotal, expected) : 0;
                v[i++] = hasExpected ? (subtotal + 1) / (expected + 1) : 1;
                v[i++] = logRatio(total, customerMedian);
                Double segment = segments ? segmentMedian.get(segmentKey(customer, inv)) : null;
                v[i++] = logRatio(total, segment == null ? total : segment);
                double discountShare = share(major(inv.discount()), subtotal);
                v[i++] = discountShare;
                double contractDiscount = 0;
                if (sub != null && sub.discountPercent() != null && (sub.discountEnd() == null || at.isBefore(sub.discountEnd()))) {
                    contractDiscount = sub.discountPercent().divide(BigDecimal.valueOf(100)).doubleValue();
                }
                v[i++] = contractDiscount;
                v[i++] = discountShare - contractDiscount;
                // Rounded to 0.1 percentage point: tax rounded to the minor unit moves the exact rate by a little,
                // and that noise must not look like a difference in rate.
                double rate = Math.round(taxRate(inv) * 1000) / 1000.0;
                v[i++] = rate;
                boolean taxable = inv.subtotal().minor() - inv.discount().minor() > 0;   // nothing to tax: neutral
                v[i++] = taxable && usual != null && usual > 0 ? rate / usual : 1;
                v[i++] = taxable && usual != null ? (rate - usual) * 100 : 0;
                v[i++] = taxAmountCheck(inv);
                double gapDays = previous == null ? 0 : Duration.between(previous, inv.createdAt()).toSeconds() / 86400.0;
                double intervalDays = (contractPrice != null ? contractPrice.interval().months() : 1) * 30.436875;
                v[i++] = gapDays;
                v[i++] = previous == null ? 1 : gapDays / intervalDays;
                v[i++] = previous == null ? 1 : 0;
                double periodDays = inv.periodStart() != null && inv.periodEnd() != null
                        ? Duration.between(inv.periodStart(), inv.periodEnd()).toSeconds() / 86400.0 : 0;
                v[i++] = periodDays;
                v[i++] = periodDays > 0 ? periodDays / intervalDays : 0;
                double[] byKind = new double[6];
                long usageUnits = 0, seats = 0;
                double lineUnit = Double.NaN;
                for (InvoiceLine l : invLines) {
                    double amount = major(l.amount());
                    byKind[l.kind().ordinal()] += Math.abs(amount);
                    switch (l.kind()) {
                        case USAGE -> usageUnits += l.quantity();
                        case SUBSCRIPTION -> {
                            seats += l.quantity();
                            if (Double.isNaN(lineUnit)) lineUnit = major(l.unitAmount());
                        }
                        default -> { }
                    }
                }
                v[i++] = invLines.size();
                v[i++] = share(byKind[0], subtotal);   // SUBSCRIPTION
                v[i++] = share(byKind[1], subtotal);   // USAGE
                v[i++] = share(byKind[3], subtotal);   // PRORATION
                v[i++] = share(byKind[2], subtotal);   // ONE_OFF
                v[i++] = share(byKind[5], subtotal);   // CREDIT
                v[i++] = lineSumToSubtotal(invLines, inv);
                long included = contractPrice != null ? contractPrice.includedUnits() : 0;
                long recordedOver = Math.max(0, recorded - included);
                v[i++] = log1p10(recorded);
                v[i++] = log1p10(usageUnits);
                v[i++] = logRatio(usageUnits, recordedOver);
                List<Payment> pays = payments.getOrDefault(inv.id(), List.of());
                int failed = 0;
                for (Payment p : pays) if (p.status() == PaymentStatus.FAILED) failed++;
                v[i++] = pays.size();
                v[i++] = pays.isEmpty() ? 0 : failed / (double) pays.size();
                v[i++] = share(major(inv.amountPaid()), total);
                double refunded = 0;
                for (Refund r : refundsOf.getOrDefault(inv.id(), List.of())) refunded += major(r.amount());
                v[i++] = share(refunded, total);
                List<CreditNote> notes = credits.getOrDefault(inv.id(), List.of());
                double credited = 0;
                for (CreditNote n : notes) credited += major(n.amount());
                v[i++] = notes.size();
                v[i++] = share(credited, total);
                v[i++] = !trial && listPrice != null && !Double.isNaN(lineUnit) && listPrice.unitAmount().currency().equals(inv.currency())
                        ? logRatio(lineUnit, major(listPrice.unitAmount())) : 0;
                v[i++] = log1p10(seats);
                v[i++] = monthOfYear ? inv.createdAt().atZone(ZoneOffset.UTC).getMonthValue() : 0;
                v[i++] = tenure ? Math.max(0, ChronoUnit.MONTHS.between(month(since), month(inv.createdAt()))) : 0;
                v[i++] = inv.currency().getDefaultFractionDigits();
                v[i++] = inv.subscriptionId() == null ? 1 : 0;
                v[i++] = inv.status() == InvoiceStatus.OPEN || inv.status() == InvoiceStatus.UNCOLLECTIBLE ? 1 : 0;
                for (int code = UNIT_TO_CITED_PRICE; code <= TAX_TO_USUAL_RATE; code++) {
                    v[i++] = ownReference(code, inv, invLines, sub, prices, own, usual);
                }
                if (i != v.length) throw new IllegalStateException("feature count " + i + " != " + v.length);
                if (full) {
                    rows.values.add(v);
                    rows.customers.add(inv.customerId());
                    rows.months.add(month(inv.createdAt()));
                    rows.totals.add(total);
                } else {
                    double[] kept = new double[keep.length];
                    for (int k = 0; k < keep.length; k++) kept[k] = v[keep[k]];
                    rows.values.add(kept);
                }
                rows.subjects.add("invoice:" + inv.id());
                rows.invoices.add(inv);
                rows.lines.add(invLines);
                previous = inv.createdAt();
            }
            return rows;
        }).toList();
        Rows rows = Rows.empty();
        for (Rows r : perCustomer) {
            rows.values.addAll(r.values);
            rows.subjects.addAll(r.subjects);
            rows.customers.addAll(r.customers);
            rows.months.addAll(r.months);
            rows.totals.addAll(r.totals);
            rows.invoices.addAll(r.invoices);
            rows.lines.addAll(r.lines);
        }
        return rows;
    }

    /**
     * The invoice features that need no look-up beyond the invoice's own lines, subscription and price, and the
     * customer's and country's references ({@link #ownReference}): the ANOMALY pass's features. When only these are
     * asked for, nothing else is computed. The last four are, in this order, the last four of {@link #INVOICE_FEATURES}.
     */
    private static final List<String> OWN_REFERENCE_FEATURES = List.of("tax_amount_check_log10", "line_sum_to_subtotal_log10",
            "unit_to_cited_price_log10", "unit_to_own_median_log10", "currency_differs_from_customer", "tax_to_usual_rate_log2");

    /** Indexes into {@link #OWN_REFERENCE_FEATURES}. */
    private static final int TAX_AMOUNT_CHECK = 0, LINE_SUM_TO_SUBTOTAL = 1, UNIT_TO_CITED_PRICE = 2, UNIT_TO_OWN_MEDIAN = 3,
            CURRENCY_DIFFERS = 4, TAX_TO_USUAL_RATE = 5;

    /**
     * A customer's own references: its tax rates (tax over a positive taxable base) sorted, the median unit amount of
     * each subscription's recurring lines (a seat count that changes does not move it; a price that was keyed wrong
     * does) and the currency most of its invoices are in (the first in code order among equals).
     */
    private record CustomerReferences(double[] sortedRates, Map<UnitKey, Double> unitMedian, String usualCurrency) {
        static CustomerReferences of(List<Invoice> history, List<List<InvoiceLine>> linesOf, boolean unitMedians) {
            double[] sortedRates = new double[history.size()];
            int rated = 0;
            for (Invoice inv : history) {
                long taxBase = inv.subtotal().minor() - inv.discount().minor();
                if (taxBase > 0) sortedRates[rated++] = inv.tax().minor() / (double) taxBase;
            }
            sortedRates = Arrays.copyOf(sortedRates, rated);
            Arrays.sort(sortedRates);
            Map<UnitKey, List<Double>> unitHistory = new HashMap<>();
            Map<String, Integer> currencies = new HashMap<>();
            for (int h = 0; h < history.size(); h++) {
                Invoice inv = history.get(h);
                if (unitMedians) for (InvoiceLine l : linesOf.get(h)) {
                    if (l.kind() == io.leakdetector.core.domain.LineKind.SUBSCRIPTION && l.unitAmount().isPositive()) {
                        unitHistory.computeIfAbsent(UnitKey.of(inv, l), k -> new ArrayList<>()).add(major(l.unitAmount()));
                    }
                }
                currencies.merge(inv.currency().getCurrencyCode(), 1, Integer::sum);
            }
            Map<UnitKey, Double> unitMedian = new HashMap<>();
            unitHistory.forEach((k, v) -> unitMedian.put(k, median(v)));
            String usualCurrency = null;
            for (Map.Entry<String, Integer> c : new java.util.TreeMap<>(currencies).entrySet()) {
                if (usualCurrency == null || c.getValue() > currencies.get(usualCurrency)) usualCurrency = c.getKey();
            }
            return new CustomerReferences(sortedRates, unitMedian, usualCurrency);
        }
    }

    /** One own-reference feature ({@code code} indexes {@link #OWN_REFERENCE_FEATURES}) of one invoice. */
    private static double ownReference(int code, Invoice inv, List<InvoiceLine> invLines, Subscription sub,
                                       Map<String, Price> prices, CustomerReferences own, Double countryRate) {
        return switch (code) {
            case TAX_AMOUNT_CHECK -> taxAmountCheck(inv);
            case LINE_SUM_TO_SUBTOTAL -> lineSumToSubtotal(invLines, inv);
            case UNIT_TO_CITED_PRICE -> inTrial(inv, sub) ? 0 : unitToCitedPrice(invLines, sub, prices, inv);
            case UNIT_TO_OWN_MEDIAN -> inTrial(inv, sub) ? 0 : unitToOwnMedian(invLines, inv, sub, prices, own.unitMedian());
            case CURRENCY_DIFFERS -> inv.currency().getCurrencyCode().equals(own.usualCurrency()) ? 0 : 1;
            case TAX_TO_USUAL_RATE -> taxToUsualRate(inv, countryRate, own.sortedRates());
            default -> throw new IllegalArgumentException("not an own-reference feature: " + code);
        };
    }

    /** Whether the invoice's period starts inside its subscription's trial (owed nothing, so compared with nothing). */
    private static boolean inTrial(Invoice inv, Subscription sub) {
        Instant at = inv.periodStart() != null ? inv.periodStart() : inv.createdAt();
        return sub != null && sub.trialEnd() != null && at.isBefore(sub.trialEnd());
    }

    /** Does total = subtotal − discount + tax hold? 0 when it does, else log10 of what the invoice asks over that sum. */
    private static double taxAmountCheck(Invoice inv) {
        long sum = inv.subtotal().minor() - inv.discount().minor() + inv.tax().minor();
        if (inv.total().minor() == sum) return 0;
        double base = major(inv.subtotal()) - major(inv.discount());
        return logRatio(major(inv.total()), base + major(inv.tax()));
    }

    /** The lines (discounts aside) against the subtotal, compared exactly in minor units: 0 when they agree or none. */
    private static double lineSumToSubtotal(List<InvoiceLine> invLines, Invoice inv) {
        long lineMinor = 0;
        for (InvoiceLine l : invLines) if (l.kind() != io.leakdetector.core.domain.LineKind.DISCOUNT) lineMinor += l.amount().minor();
        return invLines.isEmpty() || lineMinor == inv.subtotal().minor() ? 0
                : logRatio(lineMinor / Math.pow(10, inv.subtotal().exponent()), major(inv.subtotal()));
    }

    /**
     * How the tax charged compares with the tax a usual rate gives on (subtotal − discount): {@code log2} of (tax + 1)
     * over (expected + 1), in minor units. Two rates explain a tax: the country's usual rate and the rate of this
     * customer's other invoices (their median; exempt customers and regional taxes differ from the country). Exactly
     * 0 when the tax agrees with either within rounding (one minor unit or 0.5 %); otherwise measured against the
     * customer's other invoices, or the country's rate when it has none. 1 for tax charged twice, negative for tax
     * left out. 0 when nothing is taxable.
     */
    private static double taxToUsualRate(Invoice inv, Double countryRate, double[] sortedOwnRates) {
        long base = inv.subtotal().minor() - inv.discount().minor();
        if (base <= 0) return 0;
        double tax = inv.tax().minor();
        double byCountry = base * (countryRate == null ? 0 : countryRate);
        double ownRate = medianWithoutOne(sortedOwnRates, tax / base);
        double byOwn = Double.isNaN(ownRate) ? byCountry : base * ownRate;
        if (agrees(tax, byCountry) || agrees(tax, byOwn)) return 0;
        return (Math.log(Math.max(0, tax) + 1) - Math.log(Math.max(0, byOwn) + 1)) / Math.log(2);
    }

    private static boolean agrees(double tax, double expected) {
        return Math.abs(tax - expected) <= Math.max(1, 0.005 * expected);
    }

    /** The median of {@code sorted} without one occurrence of {@code value} (which it holds); NaN when nothing is left. */
    private static double medianWithoutOne(double[] sorted, double value) {
        int skip = Arrays.binarySearch(sorted, value);
        int n = sorted.length - (skip >= 0 ? 1 : 0);
        if (n <= 0) return Double.NaN;
        java.util.function.IntToDoubleFunction at = k -> sorted[skip >= 0 && k >= skip ? k + 1 : k];
        return n % 2 == 1 ? at.applyAsDouble(n / 2) : (at.applyAsDouble(n / 2 - 1) + at.applyAsDouble(n / 2)) / 2;
    }

    /** What a recurring line's unit amount is compared with in the customer's history: same subscription and price. */
    private record UnitKey(String subscriptionId, String priceId, String currency) {
        static UnitKey of(Invoice inv, InvoiceLine l) {
            return new UnitKey(inv.subscriptionId(), l.priceId(), l.unitAmount().currencyCode());
        }

        // Written out: the generated equals and hashCode went through a method-handle chain per field, a tenth of
        // the ANOMALY pass's per-customer work in a profile.
        @Override
        public boolean equals(Object o) {
            return o instanceof UnitKey k && Objects.equals(subscriptionId, k.subscriptionId)
                    && Objects.equals(priceId, k.priceId) && Objects.equals(currency, k.currency);
        }

        @Override
        public int hashCode() {
            return (Objects.hashCode(subscriptionId) * 31 + Objects.hashCode(priceId)) * 31 + Objects.hashCode(currency);
        }
    }

    /**
     * The recurring line furthest from its own history: signed {@code logRatio(unit, median unit)} of largest
     * magnitude. A line whose unit amount is exactly what the contract or the price book says is explained, however
     * far its history is (e.g. when the history itself was billed wrong), and is skipped.
     */
    private static double unitToOwnMedian(List<InvoiceLine> invLines, Invoice inv, Subscription sub, Map<String, Price> prices,
                                          Map<UnitKey, Double> unitMedian) {
        double worst = 0;
        for (InvoiceLine l : invLines) {
            if (l.kind() != io.leakdetector.core.domain.LineKind.SUBSCRIPTION || !l.unitAmount().isPositive()) continue;
            if (l.unitAmount().equals(citedReference(l, sub, prices, inv))) continue;
            Double m = unitMedian.get(UnitKey.of(inv, l));
            if (m == null) continue;
            double r = logRatio(major(l.unitAmount()), m);
            if (Math.abs(r) > Math.abs(worst)) worst = r;
        }
        return worst;
    }

    /**
     * The subscription line whose unit amount is furthest from the price it cites: {@code logRatio(line unit amount,
     * reference)} with the largest magnitude, keeping its sign. The reference is the subscription's negotiated unit
     * amount when it has one, else the unit amount of the price version the line names ({@code price_id}); lines in
     * another currency than their reference, or whose price is unknown, are skipped. 0 when nothing is compared.
     */
    private static double unitToCitedPrice(List<InvoiceLine> invLines, Subscription sub, Map<String, Price> prices, Invoice inv) {
        double worst = 0;
        for (InvoiceLine l : invLines) {
            if (l.kind() != io.leakdetector.core.domain.LineKind.SUBSCRIPTION) continue;
            Money reference = citedReference(l, sub, prices, inv);
            if (reference == null) continue;
            double r = logRatio(major(l.unitAmount()), major(reference));
            if (Math.abs(r) > Math.abs(worst)) worst = r;
        }
        return worst;
    }

    /**
     * The unit amount a recurring line should carry by the contract or the price book: the subscription's negotiated
     * unit amount when it has one, else that of the price version the line names; null when unknown or in another
     * currency than the line and the invoice.
     */
    private static Money citedReference(InvoiceLine l, Subscription sub, Map<String, Price> prices, Invoice inv) {
        Money reference = null;
        if (sub != null && sub.negotiatedUnitAmount() != null) {
            reference = sub.negotiatedUnitAmount();
        } else if (l.priceId() != null && prices.containsKey(l.priceId())) {
            reference = prices.get(l.priceId()).unitAmount();
        }
        if (reference == null || !reference.currency().equals(l.unitAmount().currency())
                || !reference.currency().equals(inv.currency())) return null;
        return reference;
    }

    /** The version of {@code price}'s plan on the price book at {@code at}, or {@code price} itself when none is. */
    private static Price priceAt(Price price, Map<String, List<Price>> plans, Instant at) {
        if (price == null) return null;
        for (Price p : plans.getOrDefault(price.planId(), List.of())) if (p.validAt(at)) return p;
        return price;
    }

    /**
     * Items grouped by a String key (null keys left out), each key's items in list order. Rows with one key usually
     * follow each other (an invoice's lines), so a run of the same key costs one map look-up.
     */
    private static <T> Map<String, List<T>> group(List<T> items, java.util.function.Function<T, String> key) {
        Map<String, List<T>> out = new HashMap<>();
        String last = null;
        List<T> run = null;
        for (T item : items) {
            String k = key.apply(item);
            if (k == null) continue;
            if (k != last) {
                last = k;
                run = out.computeIfAbsent(k, x -> new ArrayList<>(4));
            }
            run.add(item);
        }
        return out;
    }

    private static String segmentKey(Customer c, Invoice inv) {
        return (c == null || c.segment() == null ? "" : c.segment()) + "|" + inv.currency().getCurrencyCode();
    }

    private static String country(Customer c) {
        return c == null || c.country() == null ? "" : c.country();
    }

    /** Tax over the taxable base (subtotal − discount); 0 when the base is not positive. */
    static double taxRate(Invoice inv) {
        long base = inv.subtotal().minor() - inv.discount().minor();
        return base > 0 ? inv.tax().minor() / (double) base : 0;
    }

    static YearMonth month(Instant t) {
        return YearMonth.from(t.atZone(ZoneOffset.UTC));
    }

    /** Major units as a double: features are scores, never money that is added up or paid. */
    static double major(Money m) {
        int e = m.exponent();
        return m.minor() / (e >= 0 && e < POWERS_OF_TEN.length ? POWERS_OF_TEN[e] : Math.pow(10, e));
    }

    /** {@code Math.pow(10, e)} for the exponents currencies have: the same values, without the call per amount. */
    private static final double[] POWERS_OF_TEN = java.util.stream.IntStream.range(0, 10).mapToDouble(e -> Math.pow(10, e)).toArray();

    static double log1p10(double x) {
        return Math.log10(1 + Math.max(0, x));
    }

    /** {@code log10((a + 1) / (b + 1))} of amounts clamped at 0: 2 for a hundredfold, 0 for equal, finite at 0. */
    static double logRatio(double a, double b) {
        return Math.log10((Math.max(0, a) + 1) / (Math.max(0, b) + 1));
    }

    /** {@code part / whole} when {@code whole} is positive, else 0. */
    static double share(double part, double whole) {
        return whole > 0 ? part / whole : 0;
    }

    private static double medianOfSorted(double[] v) {
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) return 0;
        double[] v = new double[values.size()];
        for (int i = 0; i < v.length; i++) v[i] = values.get(i);
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
