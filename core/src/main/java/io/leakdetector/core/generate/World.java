package io.leakdetector.core.generate;

import io.leakdetector.core.finding.Category;
import io.leakdetector.core.ingest.EntityKind;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * State shared by all customers of one generated world: configuration, price book, output files, id counters,
 * the change events (some of which start a leak) and the truth counts.
 */
final class World {
    final GeneratorConfig cfg;
    final Catalog catalog;
    final Out out;
    final YearMonth start;
    final int months;
    final long worldStart;
    final long asOf;
    /** First month (index from start) of the app-telemetry window: daily seat rows exist from here on. */
    final int telemetryFrom;

    // a deploy that drops overage lines on compute-basic invoices created in [bugFrom, bugTo)
    long bugFrom, bugTo;
    static final String BUG_PLAN = "compute-basic-monthly-aud";
    String bugNote;
    // a config flag that stops the coupon end-date check for discounts ending in [flagFrom, flagTo)
    long flagFrom, flagTo;
    String flagNote;

    long invoiceSeq, paymentSeq, refundSeq, creditSeq, disputeSeq, usageSeq, methodSeq, changeSeq, contractSeq;
    final Map<Category, Long> truthByCategory = new EnumMap<>(Category.class);
    final Map<Scenario, Long> scenarios = new EnumMap<>(Scenario.class);
    final Map<Scenario.Bucket, Long> truthByBucket = new EnumMap<>(Scenario.Bucket.class);
    private final Scenario[] feasible;

    World(GeneratorConfig cfg, Out out) {
        this.cfg = cfg;
        this.out = out;
        this.start = cfg.start();
        this.months = cfg.months();
        this.catalog = new Catalog(start, months);
        this.worldStart = Catalog.epoch(start);
        this.asOf = Catalog.epoch(start.plusMonths(months));
        this.telemetryFrom = Math.max(0, months - 4);
        this.monthStarts = new long[months + 2 * PAD + 1];
        for (int i = 0; i < monthStarts.length; i++) monthStarts[i] = Catalog.epoch(start.plusMonths(i - PAD));
        List<Scenario> ok = new ArrayList<>();
        for (Scenario s : Scenario.values()) if (feasible(s)) ok.add(s);
        feasible = ok.toArray(new Scenario[0]);
    }

    // month starts from 30 months before the world to 30 after, for cheap index <-> instant look-ups
    private static final int PAD = 30;
    private final long[] monthStarts;

    long monthStart(int index) {
        int i = index + PAD;
        return i >= 0 && i < monthStarts.length ? monthStarts[i] : Catalog.epoch(start.plusMonths(index));
    }

    int monthIndex(long epochSecond) {
        if (epochSecond >= monthStarts[0] && epochSecond < monthStarts[monthStarts.length - 1]) {
            int lo = 0, hi = monthStarts.length - 1; // invariant: monthStarts[lo] <= t < monthStarts[hi]
            while (hi - lo > 1) {
                int mid = (lo + hi) >>> 1;
                if (monthStarts[mid] <= epochSecond) lo = mid;
                else hi = mid;
            }
            return lo - PAD;
        }
        YearMonth ym = YearMonth.from(java.time.LocalDateTime.ofEpochSecond(epochSecond, 0, java.time.ZoneOffset.UTC));
        return (int) (ym.getYear() * 12L + ym.getMonthValue() - 1 - (start.getYear() * 12L + start.getMonthValue() - 1));
    }

    /** "in_00000042": ids with a prefix and zero padding, without String.format's cost. */
    static String id(String prefix, long n, int width) {
        String digits = Long.toString(n);
        StringBuilder sb = new StringBuilder(prefix.length() + Math.max(width, digits.length()));
        sb.append(prefix);
        for (int i = digits.length(); i < width; i++) sb.append('0');
        return sb.append(digits).toString();
    }

    String monthName(int index) {
        return start.plusMonths(index).toString();
    }

    int versionMonth(int n) {
        return monthIndex(catalog.versionStart(n));
    }

    /** Whether a scenario fits in a world of this length (short test worlds cannot hold a stale annual renewal). */
    private boolean feasible(Scenario s) {
        int m = months;
        return switch (s) {
            case LEGACY_PRICE -> versionMonth(2) >= 2 && versionMonth(2) <= m - 2;
            case MISSED_RENEWAL -> m >= 14;
            case SILENT_CHURN -> m >= 5;
            case USAGE_AFTER_CANCEL -> m >= 6;
            case REVENUE_GAP -> m >= 5;
            case SEAT_OVERAGE, ACCESS_AFTER_CANCEL -> telemetryFrom >= 2;
            case EXPIRED_DISCOUNT -> m >= 6;
            default -> m >= 4;
        };
    }

    private final List<Scenario> deck = new ArrayList<>();

    /**
     * Deals the scenario of the next leaking customer from a shuffled deck holding each feasible scenario as often
     * as its weight, so that small worlds get the intended mix too (plain draws scatter it by several points);
     * null when the world is too short for any.
     */
    Scenario drawScenario(SplittableRandom rng) {
        if (feasible.length == 0) return null;
        if (deck.isEmpty()) {
            for (Scenario s : feasible) for (int i = 0; i < s.weight; i++) deck.add(s);
            for (int i = deck.size() - 1; i > 0; i--) java.util.Collections.swap(deck, i, rng.nextInt(i + 1));
        }
        return deck.remove(deck.size() - 1);
    }

    /** A change event; written once all are known, in time order. */
    record Event(long at, String type, String service, String version, String description) {}

    /**
     * Lays out the change events: weekly deploys, the price-book edits of the list increases, config flags, the
     * two that start leaks (an overage-billing deploy and a coupon flag), and a final export event at the as-of
     * time so that the latest timestamp of the data set is exactly {@link #asOf}.
     */
    void writeChangeEvents(SplittableRandom rng) {
        List<Event> events = new ArrayList<>();
        String[] services = {"web-app", "api-gateway", "usage-meter", "notifications", "billing-svc"};
        for (long t = worldStart + 2 * 86_400 + 10 * 3600; t < asOf - 86_400; t += (5 + rng.nextInt(5)) * 86_400L) {
            String svc = services[rng.nextInt(services.length)];
            events.add(new Event(t + rng.nextInt(8 * 3600), "deploy", svc, null, "routine release"));
        }
        for (int v = 2; v <= 3; v++) {
            long at = catalog.versionStart(v);
            if (at < asOf) {
                events.add(new Event(at - 14 * 86_400, "price_change", "price-book", "v" + v,
                        "list prices version " + v + " published, effective " + java.time.LocalDate.ofEpochDay(at / 86_400)
                                + " (Starter, Team" + (v == 2 ? ", Business" : "") + (v == 3 ? " Business only" : "") + ")"));
            }
        }
        for (int k = 1; k < months; k += 3) {
            events.add(new Event(monthStart(k) + 11 * 86_400 + 15 * 3600, "config_flag", "web-app",
                    "dark_mode=" + (k % 2 == 0), "UI feature flag"));
        }
        int bugMonth = (int) Math.round(months * 0.55);
        long bugAt = monthStart(bugMonth) + 8 * 86_400 + 14 * 3600 + 5 * 60;
        if (bugAt + 35 * 86_400 < asOf - 40 * 86_400L) {
            bugFrom = bugAt;
            bugTo = bugAt + 35 * 86_400 + 3 * 3600; // spans exactly one monthly invoice run
            events.add(new Event(bugFrom, "deploy", "billing-svc", "BUG", "usage aggregation moved to the streaming pipeline"));
            events.add(new Event(bugTo, "deploy", "billing-svc", "FIX", "fix: overage lines missing for plan " + BUG_PLAN));
        }
        int flagMonth = (int) Math.round(months * 0.45);
        long flagAt = monthStart(flagMonth) + 3 * 86_400 + 10 * 3600;
        if (flagAt + 40 * 86_400 < asOf - 40 * 86_400L && flagMonth >= 2) {
            flagFrom = flagAt;
            flagTo = flagAt + 40 * 86_400;
            events.add(new Event(flagFrom, "config_flag", "billing-svc", "coupon_expiry_check=false",
                    "coupon end-date check switched off during invoice-run migration"));
            events.add(new Event(flagTo, "config_flag", "billing-svc", "coupon_expiry_check=true",
                    "coupon end-date check switched back on"));
        }
        events.add(new Event(asOf, "config_flag", "data-export", "snapshot",
                "billing data exported for analysis: the as-of time of this data set"));
        events.sort(Comparator.comparingLong(Event::at).thenComparing(Event::service).thenComparing(Event::type));
        int billingVersion = 0;
        int n = 0;
        for (Event e : events) {
            String id = id("chg_", ++n, 5);
            String version = e.version();
            if ("billing-svc".equals(e.service()) && "deploy".equals(e.type())) {
                version = "2." + (++billingVersion / 4) + "." + (billingVersion % 4);
                if ("BUG".equals(e.version())) {
                    bugNote = "started by " + id + " (deploy billing-svc " + version + "): overage not billed on compute-basic";
                } else if ("FIX".equals(e.version())) {
                    bugNote += ", fixed by " + id;
                }
            } else if ("deploy".equals(e.type()) && version == null) {
                version = "1." + (n / 5) + "." + (n % 5);
            }
            if ("coupon_expiry_check=false".equals(e.version())) {
                flagNote = "started by " + id + " (config flag billing-svc coupon_expiry_check=false)";
            }
            out.begin().s(id).t(e.at()).s(e.type()).s(e.service()).s(version).s(e.description()).end(EntityKind.CHANGE_EVENTS);
        }
    }

    void countTruth(Category c, Scenario.Bucket b) {
        truthByCategory.merge(c, 1L, Long::sum);
        truthByBucket.merge(b, 1L, Long::sum);
    }
}
