package io.leakdetector.core.detect;

import io.leakdetector.core.domain.AppAccount;
import io.leakdetector.core.domain.Invoice;
import io.leakdetector.core.domain.Price;
import io.leakdetector.core.domain.PricingScheme;
import io.leakdetector.core.domain.Sourced;
import io.leakdetector.core.domain.Subscription;
import io.leakdetector.core.domain.SubscriptionStatus;
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
import java.util.Currency;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * UNBILLED_SERVICE: the product is used in a calendar month (active app access on {@code minDaysOfUse} days or
 * more, or metered usage) while no subscription covers that use: none live, or only ones that ended more than
 * {@code accessGraceDays} before. A trial is a subscription and covers use. Subject {@code customer:<id>@<YYYY-MM>};
 * amount: monthly recurring, the price of the cheapest current plan that covers the use (annual ÷ 12).
 */
public final class UnbilledServiceDetector implements Detector {
    private static final Set<EntityKind> READS = Set.copyOf(EnumSet.of(EntityKind.CUSTOMERS, EntityKind.SUBSCRIPTIONS, EntityKind.SUBSCRIPTION_CHANGES, EntityKind.INVOICES, EntityKind.INVOICE_LINES, EntityKind.CREDIT_NOTES, EntityKind.USAGE, EntityKind.APP_ACCOUNTS));
    /**
     * @param minDaysOfUse uncovered days of access in a month before it is a leak (default 3, like the seat tolerance)
     * @param accessGraceDays days after a cancellation during which access may still be switched off (default 3)
     */
    public record Config(int minDaysOfUse, int accessGraceDays) {
        public static final Config DEFAULTS = new Config(3, 3);
    }

    private final Config config;

    public UnbilledServiceDetector(Config config) {
        this.config = config;
    }

    public UnbilledServiceDetector() {
        this(Config.DEFAULTS);
    }

    @Override
    public Set<EntityKind> reads() {
        return READS;
    }

    @Override
    public Category category() {
        return Category.UNBILLED_SERVICE;
    }

    private static final class Month {
        final List<Sourced> sources = new ArrayList<>();
        int accessDays;
        long maxSeats;
        long usage;
        String metric;
        String productId;
    }

    @Override
    public List<Detection> detect(CustomerHistory h, DetectionContext ctx) {
        if (h.appAccounts().isEmpty() && h.usage().isEmpty()) return List.of();
        Map<YearMonth, Month> months = new TreeMap<>();
        Map<LocalDate, Long> seatsByDay = new HashMap<>();
        Map<LocalDate, String> productByDay = new HashMap<>();
        Map<LocalDate, List<Sourced>> srcByDay = new HashMap<>();
        List<Coverage> coverage = h.appAccounts().isEmpty() ? List.of() : coverage(h, ctx);
        // every row read field by field (no record, no Instant per row): days as the epoch second they start at
        DailyAccounts accounts = h.appAccountDays();
        long asOf = ctx.asOf().getEpochSecond(); // a day's start t (a whole second) is after asOf exactly when t > this
        for (int r = 0; r < accounts.size(); r++) {
            String status = accounts.accessStatus(r);
            if (!status.equals("active") && !status.equalsIgnoreCase("active") || accounts.seatsInUse(r) <= 0) continue;
            long t = accounts.epochDay(r) * 86_400L; // Periods.startOf(observedOn)
            if (t > asOf) continue;
            if (covered(coverage, h, ctx, t, accounts.productId(r))) continue;
            AppAccount a = accounts.get(r);
            seatsByDay.merge(a.observedOn(), a.seatsInUse(), Long::sum);
            if (a.productId() != null) productByDay.put(a.observedOn(), a.productId());
            srcByDay.computeIfAbsent(a.observedOn(), k -> new ArrayList<>()).add(a);
        }
        for (Map.Entry<LocalDate, Long> e : seatsByDay.entrySet()) {
            Month m = months.computeIfAbsent(YearMonth.from(e.getKey()), k -> new Month());
            m.accessDays++;
            m.maxSeats = Math.max(m.maxSeats, e.getValue());
            if (m.productId == null) m.productId = productByDay.get(e.getKey());
            if (m.sources.size() < 8) m.sources.addAll(srcByDay.get(e.getKey()));
        }
        for (UsageRecord u : h.usage()) {
            if (u.quantity() <= 0 || u.periodStart().isAfter(ctx.asOf())) continue;
            YearMonth ym = Periods.month(u.periodStart());
            if (anySubscriptionIn(h, ym)) continue;
            Month m = months.computeIfAbsent(ym, k -> new Month());
            m.usage += u.quantity();
            m.metric = u.metric();
            if (m.sources.size() < 8) m.sources.add(u);
        }
        List<Detection> out = new ArrayList<>();
        Currency cur = currency(h, ctx);
        if (cur == null) return out;
        // App access of a customer that was never sold anything (no subscription, no invoice) is a free-tier or
        // prospect account: nothing was agreed that could go unbilled. Metered usage sent to billing is different:
        // the meter rates it for an invoice, so it counts even then.
        boolean everSold = !h.subscriptions().isEmpty() || !h.invoices().isEmpty();
        for (Map.Entry<YearMonth, Month> e : months.entrySet()) {
            Month m = e.getValue();
            boolean byAccess = m.accessDays >= config.minDaysOfUse() && (everSold || m.usage > 0);
            boolean byUsage = m.usage > 0;
            if (!byAccess && !byUsage) continue;
            YearMonth ym = e.getKey();
            Plan plan = cheapest(ctx, cur, Periods.start(ym), m.productId, m.metric, Math.max(1, m.maxSeats), m.usage);
            if (plan != null && !plan.monthly.isPositive()) continue; // a free plan covers the use: nothing to bill
            Money monthly = plan == null ? Money.zero(cur) : plan.monthly;
            String what = byAccess ? "active app access on " + Billing.plural(m.accessDays, "day") + " (up to " + m.maxSeats + " seats)"
                    : m.usage + " " + (m.metric == null ? "units" : m.metric) + " of metered usage";
            if (byAccess && byUsage) what += " and " + m.usage + " " + (m.metric == null ? "units" : m.metric) + " of usage";
            String planText = plan == null ? "no current plan in " + cur.getCurrencyCode() + " prices it"
                    : "the cheapest plan covering it is " + plan.price.id() + " at " + monthly.format() + " a month";
            List<String> src = Sourced.sources(m.sources);
            if (plan != null) src.add(plan.price.source());
            List<Evidence> ev = List.of(new Evidence("use of the product is covered by a live subscription",
                    "a subscription live in " + ym, what + " with none " + lastEnded(h), src));
            String expl = "Customer " + h.customerId() + " had " + what + " in " + ym + " without a live subscription "
                    + lastEnded(h) + "; " + planText + ".";
            out.add(new Detection(Category.UNBILLED_SERVICE, Kind.LEAK, byAccess ? "access_without_subscription" : "usage_without_subscription",
                    Periods.subjectAt("customer", h.customerId(), ym), h.customerId(), Money.zero(cur), monthly, ev, expl,
                    "Revoke access or sign customer " + h.customerId() + " to a plan" + (plan == null ? "" : " (" + plan.price.id() + ")")
                            + ", and bill the use since " + ym + ".",
                    List.of(Signals.certainty(byAccess ? 0.9 : 0.85, "product use observed with no subscription covering it"),
                            Signals.margin(Signals.relative(byAccess ? m.accessDays / 30.0 : 0.5), what),
                            Signals.persistence(Math.min(1, 0.4 + m.accessDays / 30.0), Billing.plural(m.accessDays, "day") + " of access"))));
        }
        return out;
    }

    private static String lastEnded(CustomerHistory h) {
        Subscription last = null;
        for (Subscription s : h.subscriptions()) {
            if (s.canceledAt() != null && (last == null || s.canceledAt().isAfter(last.canceledAt()))) last = s;
        }
        return last == null ? "(the customer has no subscription ending before)"
                : "(subscription " + last.id() + " ended " + Periods.day(last.canceledAt()) + ")";
    }

    /**
     * What a subscription (not incomplete) covers, worked out once per customer rather than for every day of access:
     * from the start of its first day, until its service end plus the grace days (null: still running), its pauses
     * (null when it has no recorded change) and its price.
     */
    private record Coverage(Subscription s, Instant from, Instant until, SubscriptionTimeline timeline, Price price,
                            long fromSecond, long untilSecond) {
        /**
         * With {@code from} and {@code until} as whole epoch seconds rounded up: for a day's start t (a whole second),
         * t is before an instant exactly when t is below its rounded-up second ({@code until} null: no end).
         */
        Coverage(Subscription s, Instant from, Instant until, SubscriptionTimeline timeline, Price price) {
            this(s, from, until, timeline, price, ceilSeconds(from), until == null ? Long.MAX_VALUE : ceilSeconds(until));
        }
    }

    private static long ceilSeconds(Instant t) {
        return t.getNano() == 0 ? t.getEpochSecond() : t.getEpochSecond() + 1;
    }

    private List<Coverage> coverage(CustomerHistory h, DetectionContext ctx) {
        List<Coverage> out = new ArrayList<>();
        for (Subscription s : h.subscriptions()) {
            if (s.status() == SubscriptionStatus.INCOMPLETE) continue;
            Instant end = serviceEnd(h, s);
            SubscriptionTimeline tl = h.changesOf(s.id()).isEmpty() ? null : new SubscriptionTimeline(s, h.changesOf(s.id()), ctx.prices());
            out.add(new Coverage(s, Periods.startOf(Periods.day(s.startedAt())),
                    end == null ? null : Periods.plusDays(end, config.accessGraceDays()), tl, ctx.prices().price(s.priceId())));
        }
        return out;
    }

    /** Whether a subscription covers use of {@code productId} on the day that starts at epoch second {@code day}. */
    private boolean covered(List<Coverage> coverage, CustomerHistory h, DetectionContext ctx, long day, String productId) {
        for (Coverage c : coverage) {
            if (day < c.fromSecond()) continue; // t.isBefore(from)
            if (day >= c.untilSecond()) continue; // !t.isBefore(until)
            // paused or canceled-then-reactivated: no service in the gap
            if (c.timeline() != null) {
                Instant t = Instant.ofEpochSecond(day);
                if (c.timeline().pausedAt(t) && c.timeline().pausedAt(Periods.plusDays(t, -config.accessGraceDays()))) continue;
            }
            if (productId != null) {
                Price p = c.price();
                if (p != null && !productId.equals(p.productId()) && !productAt(h, ctx, c.s(), productId)) continue;
            }
            return true;
        }
        return false;
    }

    /** True when any price the subscription was ever on is for {@code productId} (plan changes move products). */
    private static boolean productAt(CustomerHistory h, DetectionContext ctx, Subscription s, String productId) {
        for (var c : h.changesOf(s.id())) {
            Price a = ctx.prices().price(c.fromPriceId()), b = ctx.prices().price(c.toPriceId());
            if (a != null && productId.equals(a.productId()) || b != null && productId.equals(b.productId())) return true;
        }
        return false;
    }

    private static boolean anySubscriptionIn(CustomerHistory h, YearMonth m) {
        Instant s = Periods.start(m), e = Periods.end(m);
        for (Subscription sub : h.subscriptions()) {
            if (sub.status() == SubscriptionStatus.INCOMPLETE) continue;
            Instant end = serviceEnd(h, sub);
            if (sub.startedAt().isBefore(e) && (end == null || end.isAfter(s))) return true;
        }
        return false;
    }

    /**
     * When a canceled subscription's service ended: its cancellation, or the end of the last period it was billed
     * for when that is later. A cancellation at period end (Stripe's cancel_at_period_end, whose Canceled At is the
     * time of the request) leaves the paid period running; access in it is paid for. Null while not canceled.
     */
    private static Instant serviceEnd(CustomerHistory h, Subscription s) {
        if (s.canceledAt() == null) return null;
        Instant end = s.canceledAt();
        for (Invoice inv : h.invoicesOf(s.id())) {
            if (Billing.isVoid(inv) || inv.createdAt().isAfter(s.canceledAt())) continue;
            if (!h.creditNotesFor(inv.id()).isEmpty()) continue; // the unused part given back: service ended at cancellation
            Instant paidTo = null;
            for (var l : h.lines(inv.id())) {
                if (l.kind() == io.leakdetector.core.domain.LineKind.SUBSCRIPTION && l.periodEnd() != null
                        && (paidTo == null || l.periodEnd().isAfter(paidTo))) paidTo = l.periodEnd();
            }
            if (paidTo == null && h.lines(inv.id()).isEmpty()) paidTo = inv.periodEnd();
            if (paidTo != null && paidTo.isAfter(end)) end = paidTo;
        }
        return end;
    }

    static Currency currency(CustomerHistory h, DetectionContext ctx) {
        if (h.customer() != null) return h.customer().currency();
        for (Invoice i : h.invoices()) return i.currency();
        for (Subscription s : h.subscriptions()) {
            Price p = ctx.prices().price(s.priceId());
            if (p != null) return p.unitAmount().currency();
        }
        return null;
    }

    record Plan(Price price, Money monthly) {}

    /** The current plan in {@code cur} with the lowest monthly-equivalent charge for the observed use. */
    static Plan cheapest(DetectionContext ctx, Currency cur, Instant at, String productId, String metric, long seats, long usage) {
        Plan best = null;
        for (Price p : ctx.prices().all()) {
            if (!p.unitAmount().currency().equals(cur) || !p.validAt(at)) continue;
            if (productId != null && !productId.equals(p.productId())) continue;
            if (productId == null && metric != null && p.scheme() == PricingScheme.USAGE && p.usageMetric() != null
                    && !p.usageMetric().equalsIgnoreCase(metric)) continue;
            if (productId == null && metric != null && usage > 0 && p.scheme() != PricingScheme.USAGE) continue;
            Money perInterval = switch (p.scheme()) {
                case PER_SEAT -> p.unitAmount().times(seats);
                case FLAT -> p.unitAmount();
                case USAGE -> {
                    long over = Math.max(0, usage - p.includedUnits());
                    yield p.overageUnitAmount() == null ? p.unitAmount() : p.unitAmount().plus(p.overageUnitAmount().times(over));
                }
            };
            Money monthly = Billing.monthly(perInterval, p);
            if (best == null || monthly.compareTo(best.monthly) < 0) best = new Plan(p, monthly);
        }
        return best;
    }
}
