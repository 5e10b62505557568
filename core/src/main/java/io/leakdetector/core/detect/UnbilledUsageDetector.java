package io.leakdetector.core.detect;

import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.domain.InvoiceLine;
import io.leakdetector.core.domain.LineKind;
import io.leakdetector.core.domain.Price;
import io.leakdetector.core.domain.PricingScheme;
import io.leakdetector.core.domain.Sourced;
import io.leakdetector.core.domain.Subscription;
import io.leakdetector.core.domain.UsageRecord;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Evidence;
import io.leakdetector.core.finding.Kind;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.money.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * UNBILLED_USAGE: in a calendar month, metered usage above the plan's included units that no usage line bills,
 * or seats in use above the billed quantity on {@code seatToleranceDays} days or more. Subject:
 * {@code subscription:<id>@<YYYY-MM>}; amount: one-time, unbilled units × the overage (or seat) price.
 * Usage is billed in arrears, so the last month before the as-of time is not judged yet; seats above the billed
 * quantity on fewer days than the tolerance are a brief overlap, not a leak.
 */
public final class UnbilledUsageDetector implements Detector {
    private static final Set<EntityKind> READS = Set.copyOf(EnumSet.of(EntityKind.SUBSCRIPTIONS, EntityKind.SUBSCRIPTION_CHANGES, EntityKind.INVOICES, EntityKind.INVOICE_LINES, EntityKind.USAGE, EntityKind.APP_ACCOUNTS));
    /**
     * @param seatToleranceDays seats above the billed quantity on fewer days than this in a month are ignored (default 3)
     * @param usageArrearsMonths months before the as-of month whose usage may still be invoiced (default 1); such a
     *     month is judged anyway once the subscription has an invoice created after the month ended
     * @param toleranceUnits unbilled units up to this count are ignored (default 0)
     */
    public record Config(int seatToleranceDays, int usageArrearsMonths, long toleranceUnits) {
        public static final Config DEFAULTS = new Config(3, 1, 0);
    }

    private final Config config;

    public UnbilledUsageDetector(Config config) {
        this.config = config;
    }

    public UnbilledUsageDetector() {
        this(Config.DEFAULTS);
    }

    @Override
    public Set<EntityKind> reads() {
        return READS;
    }

    @Override
    public Category category() {
        return Category.UNBILLED_USAGE;
    }

    @Override
    public List<Detection> detect(CustomerHistory h, DetectionContext ctx) {
        List<Detection> out = new ArrayList<>();
        YearMonth asOfMonth = Periods.month(ctx.asOf());
        Map<String, long[][]> seatsByProduct = new java.util.HashMap<>(); // the daily seats, once per product observed
        for (Subscription sub : h.subscriptions()) {
            SubscriptionTimeline tl = new SubscriptionTimeline(sub, h.changesOf(sub.id()), ctx.prices());
            List<Invoice> invoices = h.invoicesOf(sub.id());
            usage(h, ctx, sub, tl, invoices, asOfMonth, out);
            seats(h, ctx, sub, tl, invoices, asOfMonth, seatsByProduct, out);
        }
        return out;
    }

    /** A rating period of usage: [start, end), named by the month it starts in (§5). */
    private record Window(Instant start, Instant end, boolean calendar) {
        YearMonth month() {
            return Periods.month(start);
        }

        String label() {
            return calendar ? month().toString() : "the period " + Periods.day(start) + " to " + Periods.day(end);
        }
    }

    /**
     * The periods usage is rated in, as the subscription's own usage lines show them: the included units are an
     * allowance per billing period, and a subscription anchored on the 15th rates the 15th to the 14th. Without usage
     * lines that carry a period off the calendar month, UTC calendar months (§5).
     */
    private static final class Windows {
        private final TreeMap<Instant, Instant> known = new TreeMap<>(); // start → end, from usage lines
        private final boolean calendar;

        Windows(CustomerHistory h, List<Invoice> invoices) {
            boolean offCalendar = false;
            for (Invoice inv : invoices) {
                if (Billing.isVoid(inv)) continue;
                for (InvoiceLine l : h.lines(inv.id())) {
                    if (l.kind() != LineKind.USAGE || l.periodStart() == null || l.periodEnd() == null
                            || !l.periodEnd().isAfter(l.periodStart())) continue;
                    known.merge(l.periodStart(), l.periodEnd(), (x, y) -> x.isAfter(y) ? x : y);
                    if (!l.periodStart().equals(Periods.start(Periods.month(l.periodStart())))) offCalendar = true;
                }
            }
            calendar = !offCalendar;
        }

        Window of(Instant t) {
            if (calendar) {
                YearMonth m = Periods.month(t);
                return new Window(Periods.start(m), Periods.end(m), true);
            }
            Map.Entry<Instant, Instant> e = known.floorEntry(t);
            if (e != null && t.isBefore(e.getValue())) {
                Map.Entry<Instant, Instant> next = known.higherEntry(e.getKey());
                Instant end = next != null && next.getKey().isBefore(e.getValue()) ? next.getKey() : e.getValue();
                return new Window(e.getKey(), end, false);
            }
            // outside the rated periods (or in a hole): monthly steps from the nearest known period keep its anchor
            Instant anchor = e != null ? e.getKey() : known.firstKey();
            long k = 0;
            if (t.isBefore(anchor)) {
                while (t.isBefore(Periods.plusMonths(anchor, k))) k--;
            } else {
                while (!t.isBefore(Periods.plusMonths(anchor, k + 1))) k++;
            }
            return new Window(Periods.plusMonths(anchor, k), Periods.plusMonths(anchor, k + 1), false);
        }
    }

    private void usage(CustomerHistory h, DetectionContext ctx, Subscription sub, SubscriptionTimeline tl,
                       List<Invoice> invoices, YearMonth asOfMonth, List<Detection> out) {
        Windows windows = null;
        Map<Window, List<UsageRecord>> byWindow = new TreeMap<>(java.util.Comparator.comparing(Window::start));
        for (UsageRecord u : h.usage()) {
            if (!belongsTo(u, sub, h, ctx)) continue;
            if (windows == null) windows = new Windows(h, invoices);
            Window w = windows.of(u.periodStart());
            if (!judged(w, invoices, asOfMonth, ctx.asOf())) continue;
            byWindow.computeIfAbsent(w, k -> new ArrayList<>()).add(u);
        }
        if (byWindow.isEmpty()) return;
        Map<Instant, long[]> billedByWindow = new java.util.HashMap<>(); // units billed by usage lines per window start
        Map<Instant, List<Sourced>> billedSrc = new java.util.HashMap<>(); // the usage lines of each window
        boolean indexed = false;
        for (Map.Entry<Window, List<UsageRecord>> e : byWindow.entrySet()) {
            Window w = e.getKey();
            YearMonth m = w.month();
            Instant ms = w.start();
            if (!liveDuring(tl, w.start(), w.end())) continue; // usage outside the subscription is UNBILLED_SERVICE's
            if (!ctx.inData(w.end().minusSeconds(1))) continue; // billed before the data starts
            Price price = Billing.versionAt(tl, ctx.prices(), ms.isBefore(sub.startedAt()) ? sub.startedAt() : ms);
            if (price == null || price.scheme() != PricingScheme.USAGE || price.overageUnitAmount() == null
                    || !price.overageUnitAmount().isPositive()) continue;
            long used = 0;
            List<Sourced> cited = new ArrayList<>();
            for (UsageRecord u : e.getValue()) {
                if (price.usageMetric() != null && !price.usageMetric().equalsIgnoreCase(u.metric())) continue;
                used += u.quantity();
                cited.add(u);
            }
            long included = price.includedUnits();
            long overage = used - included;
            if (overage <= config.toleranceUnits()) continue;
            if (!indexed) {
                for (Invoice inv : invoices) {
                    if (Billing.isVoid(inv)) continue;
                    for (InvoiceLine l : h.lines(inv.id())) {
                        if (l.kind() != LineKind.USAGE) continue;
                        Instant lw = usageLineWindow(l, inv, windows);
                        billedByWindow.computeIfAbsent(lw, k -> new long[1])[0] += billedUnits(l, price.overageUnitAmount());
                        billedSrc.computeIfAbsent(lw, k -> new ArrayList<>()).add(l);
                    }
                }
                indexed = true;
            }
            long[] b = billedByWindow.get(w.start());
            long billed = b == null ? 0 : b[0];
            cited.addAll(billedSrc.getOrDefault(w.start(), List.of()));
            long unbilled = overage - billed;
            if (unbilled <= config.toleranceUnits()) continue;
            Money amount = price.overageUnitAmount().times(unbilled);
            List<String> src = Sourced.sources(cited);
            src.add(sub.source());
            src.add(price.source());
            String metric = price.usageMetric() != null ? price.usageMetric() : "units";
            List<Evidence> ev = List.of(new Evidence("usage above the included units is billed as overage",
                    Math.max(0, overage) + " " + metric + " of overage billed (" + used + " used − " + included + " included)",
                    billed + " billed", src));
            String expl = "Subscription " + sub.id() + " used " + used + " " + metric + " in " + w.label() + " against " + included
                    + " included in " + price.id() + "; " + overage + " over, " + billed + " billed → " + unbilled + " × "
                    + price.overageUnitAmount().format() + " = " + amount.format() + " not billed.";
            out.add(new Detection(Category.UNBILLED_USAGE, Kind.LEAK, "usage_overage_not_billed",
                    Periods.subjectAt("subscription", sub.id(), m), h.customerId(), amount, Money.zero(amount.currency()), ev, expl,
                    "Bill the " + unbilled + " " + metric + " of overage for " + w.label() + " (" + amount.format()
                            + ") and check that usage is reported to billing.",
                    List.of(Signals.certainty(0.93, "metered usage and usage lines of the same subscription and period compared"),
                            Signals.margin(Signals.relative(unbilled / (double) Math.max(1, overage)), unbilled + " of " + overage + " overage units unbilled"),
                            Signals.persistence(0.8, "a closed period"))));
        }
    }

    /**
     * Whether a rating period's usage is judged: usage is billed in arrears, so a period that ended in the
     * {@code usageArrearsMonths} months before the as-of month may not be invoiced yet (§5) — unless an invoice created
     * after the period ended exists, which is where its usage would have been billed.
     */
    private boolean judged(Window w, List<Invoice> invoices, YearMonth asOfMonth, Instant asOf) {
        if (w.end().isAfter(asOf)) return false;
        if (!w.end().isAfter(Periods.start(asOfMonth.minusMonths(config.usageArrearsMonths())))) return true;
        if (w.calendar() && !w.month().isBefore(asOfMonth)) return false;
        for (Invoice i : invoices) {
            if (!Billing.isVoid(i) && !i.createdAt().isAfter(asOf) && !i.createdAt().isBefore(w.end())) return true;
        }
        return false;
    }

    private void seats(CustomerHistory h, DetectionContext ctx, Subscription sub, SubscriptionTimeline tl,
                       List<Invoice> invoices, YearMonth asOfMonth, Map<String, long[][]> seatsByProduct, List<Detection> out) {
        if (h.appAccounts().isEmpty()) return;
        Price current = ctx.prices().price(sub.priceId());
        if (current == null) return;
        // daily seats in use across the customer's accounts for this product: {epoch days ascending, seats that day}
        long[][] seatsByDay = seatsByProduct.computeIfAbsent(current.productId(), p -> seatsByDay(h, current));
        // a month is judged once it is over: only the days before the as-of month count
        long judgedBefore = asOfMonth.atDay(1).toEpochDay();
        if (seatsByDay[0].length == 0 || seatsByDay[0][0] >= judgedBefore) return;
        Map<Long, List<String>> srcByDay = null; // the rows behind each epoch day, gathered only when a month is reported
        // The seats observed are the customer's for the whole product: every per-seat subscription of that product
        // pays for some of them (two teams, two contracts). The first live one on a day answers for the excess.
        List<SubscriptionTimeline> peers = new ArrayList<>();
        for (Subscription other : h.subscriptions()) {
            if (other == sub) continue;
            Price op = ctx.prices().price(other.priceId());
            if (op != null && op.productId().equals(current.productId())) {
                peers.add(new SubscriptionTimeline(other, h.changesOf(other.id()), ctx.prices()));
            }
        }
        Map<YearMonth, List<long[]>> overByMonth = new TreeMap<>(); // {epochDay, excess}
        BilledSeats billed = new BilledSeats(h, invoices);
        BilledSeats[] peerBilled = new BilledSeats[peers.size()];
        days:
        for (int di = 0; di < seatsByDay[0].length; di++) {
            long day = seatsByDay[0][di];
            if (day >= judgedBefore) break; // the days ascend
            Instant t = Instant.ofEpochSecond(day * 86_400L); // Periods.startOf, without a LocalDate per day
            if (!seatBilled(tl, ctx, t)) continue;
            long allowed = Math.max(billed.at(t), tl.quantityAt(t));
            for (int pi = 0; pi < peers.size(); pi++) {
                SubscriptionTimeline peer = peers.get(pi);
                if (!seatBilled(peer, ctx, t)) continue;
                Subscription o = peer.subscription();
                int order = o.startedAt().compareTo(sub.startedAt());
                if (order < 0 || order == 0 && o.id().compareTo(sub.id()) < 0) continue days; // the peer answers for this day
                if (peerBilled[pi] == null) peerBilled[pi] = new BilledSeats(h, h.invoicesOf(o.id()));
                allowed += Math.max(peerBilled[pi].at(t), peer.quantityAt(t));
            }
            long excess = seatsByDay[1][di] - allowed;
            if (excess > 0) overByMonth.computeIfAbsent(Periods.month(t), k -> new ArrayList<>()).add(new long[] {day, excess, allowed});
        }
        for (Map.Entry<YearMonth, List<long[]>> e : overByMonth.entrySet()) {
            List<long[]> days = e.getValue();
            if (days.size() < config.seatToleranceDays()) continue;
            YearMonth m = e.getKey();
            long[] excesses = days.stream().mapToLong(x -> x[1]).sorted().toArray();
            // the excess held on at least `tolerance` days: the tolerance-th largest daily excess
            long seats = excesses[excesses.length - Math.max(1, config.seatToleranceDays())];
            long maxExcess = excesses[excesses.length - 1];
            Instant t = Periods.startOf(LocalDate.ofEpochDay(days.get(0)[0]));
            Price p = Billing.versionAt(tl, ctx.prices(), t);
            Money unit = Billing.contractedUnit(tl, p, t);
            Money perSeatMonth = Billing.monthly(unit, p);
            Money amount = perSeatMonth.times(seats);
            if (srcByDay == null) {
                srcByDay = new java.util.HashMap<>();
                DailyAccounts accounts = h.appAccountDays();
                for (int r = 0; r < accounts.size(); r++) {
                    if (countsFor(accounts, r, current)) {
                        srcByDay.computeIfAbsent(accounts.epochDay(r), k -> new ArrayList<>()).add(accounts.get(r).source());
                    }
                }
            }
            List<String> src = new ArrayList<>();
            for (long[] d : days) src.addAll(srcByDay.getOrDefault(d[0], List.of()));
            if (src.size() > 10) src = new ArrayList<>(src.subList(0, 10));
            src.add(sub.source());
            long billedQty = days.get(0)[2];
            List<Evidence> ev = List.of(new Evidence("seats in use stay within the billed quantity",
                    "at most " + billedQty + " seats (over on fewer than " + config.seatToleranceDays() + " days)",
                    Billing.plural(days.size(), "day") + " over in " + m + ", up to " + maxExcess + " extra seats", src));
            String expl = "Subscription " + sub.id() + (peers.isEmpty() ? "" : " (with the customer's other subscriptions of "
                    + current.productId() + ")") + " is billed for " + billedQty + " seats but had up to " + (billedQty + maxExcess)
                    + " seats in use on " + Billing.plural(days.size(), "day") + " in " + m + " (tolerance " + config.seatToleranceDays()
                    + " days) → " + seats + " × " + perSeatMonth.format() + " = " + amount.format() + " not billed.";
            out.add(new Detection(Category.UNBILLED_USAGE, Kind.LEAK, "seats_over_billed_quantity",
                    Periods.subjectAt("subscription", sub.id(), m), h.customerId(), amount, Money.zero(amount.currency()), ev, expl,
                    "Invoice the " + seats + " extra seats for " + m + " (" + amount.format()
                            + ") and raise the subscription quantity or enforce the seat limit.",
                    List.of(Signals.certainty(0.9, "daily seat observations compared with the billed quantity"),
                            Signals.margin(Signals.relative(seats / (double) Math.max(1, billedQty)), seats + " seats over " + billedQty),
                            Signals.persistence(Math.min(1, days.size() / 15.0 + 0.3), days.size() + " days over in the month"))));
        }
    }

    /**
     * Seats paid for on a day are the larger of the contract quantity in force (a recorded quantity change is billed
     * by proration, often on the next invoice) and the quantity of a subscription line covering the day; this holds
     * the covering periods of the subscription lines of the invoices given, worked out once for all the days asked.
     */
    private static final class BilledSeats {
        // each period as whole epoch seconds rounded up: for a day's start t (a whole second), t >= start exactly when
        // t >= ceil(start), and t < end exactly when t < ceil(end); compared as longs, not Instants in the heap
        private final long[] starts, ends;
        private final long[] quantities;

        BilledSeats(CustomerHistory h, List<Invoice> invoices) {
            int n = 0;
            long[] s = new long[8], e = new long[8], q = new long[8];
            for (Invoice inv : invoices) {
                if (Billing.isVoid(inv)) continue;
                for (InvoiceLine l : h.lines(inv.id())) {
                    if (l.kind() != LineKind.SUBSCRIPTION) continue;
                    Instant from = l.periodStart() != null ? l.periodStart() : Billing.periodStart(inv);
                    Instant to = l.periodEnd() != null ? l.periodEnd() : inv.periodEnd();
                    if (to == null) to = Periods.plusMonths(from, 1);
                    if (n == s.length) {
                        s = Arrays.copyOf(s, n * 2);
                        e = Arrays.copyOf(e, n * 2);
                        q = Arrays.copyOf(q, n * 2);
                    }
                    s[n] = ceilSeconds(from);
                    e[n] = ceilSeconds(to);
                    q[n++] = l.quantity();
                }
            }
            starts = Arrays.copyOf(s, n);
            ends = Arrays.copyOf(e, n);
            quantities = Arrays.copyOf(q, n);
        }

        private static long ceilSeconds(Instant t) {
            return t.getNano() == 0 ? t.getEpochSecond() : t.getEpochSecond() + 1;
        }

        /** The largest quantity of a subscription line whose period covers {@code day} (a day's start), 0 when none does. */
        long at(Instant day) {
            long t = day.getEpochSecond();
            if (day.getNano() != 0) throw new IllegalArgumentException(day + " is not the start of a day");
            long billed = 0;
            for (int i = 0; i < starts.length; i++) {
                if (t >= starts[i] && t < ends[i]) billed = Math.max(billed, quantities[i]);
            }
            return billed;
        }
    }

    /** Whether the subscription bills seats on the day starting at {@code t}: live, billed, not paused, per-seat. */
    private static boolean seatBilled(SubscriptionTimeline tl, DetectionContext ctx, Instant t) {
        if (!tl.liveAt(t) || t.isBefore(tl.billingStart()) || tl.pausedAt(t)) return false;
        Price p = Billing.versionAt(tl, ctx.prices(), t);
        return p != null && p.scheme() == PricingScheme.PER_SEAT;
    }

    /**
     * The days with observations counting towards {@code price}'s product, ascending, and the seats in use summed
     * per day; summed in an array over the days observed (a sorted map only for a span of more than 65,536 days).
     */
    private static long[][] seatsByDay(CustomerHistory h, Price price) {
        // one pass over the observations, read field by field: the day and seats of those that count
        DailyAccounts accounts = h.appAccountDays();
        int n = accounts.size();
        long[] day = new long[n], seats = new long[n];
        int rows = 0;
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        for (int r = 0; r < n; r++) {
            if (!countsFor(accounts, r, price)) continue;
            long d = accounts.epochDay(r);
            day[rows] = d;
            seats[rows++] = accounts.seatsInUse(r);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        if (min > max) return new long[][] {new long[0], new long[0]};
        if (max - min < 1 << 16) {
            long[] sums = new long[(int) (max - min + 1)];
            boolean[] seen = new boolean[sums.length];
            int count = 0;
            for (int r = 0; r < rows; r++) {
                int i = (int) (day[r] - min);
                if (!seen[i]) count++;
                seen[i] = true;
                sums[i] += seats[r];
            }
            long[] days = new long[count], totals = new long[count];
            for (int i = 0, k = 0; i < sums.length; i++) {
                if (!seen[i]) continue;
                days[k] = min + i;
                totals[k++] = sums[i];
            }
            return new long[][] {days, totals};
        }
        Map<Long, Long> byDay = new TreeMap<>();
        for (int r = 0; r < rows; r++) byDay.merge(day[r], seats[r], Long::sum);
        long[] days = new long[byDay.size()], totals = new long[byDay.size()];
        int k = 0;
        for (Map.Entry<Long, Long> e : byDay.entrySet()) {
            days[k] = e.getKey();
            totals[k++] = e.getValue();
        }
        return new long[][] {days, totals};
    }

    /** Whether an observation counts towards the seats of {@code price}'s product. */
    private static boolean countsFor(DailyAccounts a, int r, Price price) {
        String product = a.productId(r);
        return (product == null || product.equals(price.productId())) && isActive(a.accessStatus(r));
    }

    private static boolean isActive(String s) {
        // the exact spellings first: equals is a plain compare, equalsIgnoreCase folds the case of every character
        return s.equals("active") || s.equals("trialing") || s.equalsIgnoreCase("active") || s.equalsIgnoreCase("trialing");
    }

    private static boolean liveDuring(SubscriptionTimeline tl, Instant s, Instant e) {
        Subscription sub = tl.subscription();
        return sub.startedAt().isBefore(e) && (sub.canceledAt() == null || sub.canceledAt().isAfter(s))
                && tl.billingStart().isBefore(e);
    }

    /** The start of the period a usage line bills: its period start, else the period before the invoice (arrears). */
    private static Instant usageLineWindow(InvoiceLine l, Invoice inv, Windows windows) {
        if (l.periodStart() != null) return windows.of(l.periodStart()).start();
        return windows.of(windows.of(inv.createdAt()).start().minusSeconds(1)).start();
    }

    private static long billedUnits(InvoiceLine l, Money overagePrice) {
        long q = l.quantity();
        if (overagePrice.isPositive() && l.amount().currency().equals(overagePrice.currency())
                && !l.unitAmount().equals(overagePrice) && l.amount().isPositive()) {
            q = Math.max(q, l.amount().minor() / overagePrice.minor());
        }
        return q;
    }

    private static boolean belongsTo(UsageRecord u, Subscription sub, CustomerHistory h, DetectionContext ctx) {
        if (u.subscriptionId() != null) {
            if (u.subscriptionId().equals(sub.id())) return true;
            for (Subscription other : h.subscriptions()) if (u.subscriptionId().equals(other.id())) return false;
            // an id that names none of the customer's subscriptions (Stripe's usage export carries the subscription
            // ITEM id, si_…) attributes nothing: the record is matched by its metric like unattributed usage
        }
        // unattributed usage counts against the customer's usage subscription for that metric
        Price p = ctx.prices().price(sub.priceId());
        if (p == null || p.scheme() != PricingScheme.USAGE) return false;
        return p.usageMetric() == null || p.usageMetric().equalsIgnoreCase(u.metric());
    }
}
