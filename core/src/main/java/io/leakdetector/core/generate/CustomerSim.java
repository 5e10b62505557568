package io.leakdetector.core.generate;

import static io.leakdetector.core.generate.Catalog.Product;

import io.leakdetector.core.domain.BillingInterval;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.generate.Catalog.Country;
import io.leakdetector.core.generate.Catalog.PriceVersion;
import io.leakdetector.core.ingest.EntityKind;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Simulates one customer from sign-up to the as-of time and writes all of its rows: subscriptions and their
 * changes, invoices with lines, payment attempts, refunds, credit notes, disputes, usage, daily seat
 * observations, payment methods, and the truth rows of the leak injected into it (if any). Each customer has its
 * own random stream, so the output is the same for the same seed.
 */
final class CustomerSim {
    private static final long DAY = 86_400;
    private static final long GRACE = 14 * DAY;
    private static final String[] SOFT = {"insufficient_funds", "insufficient_funds", "do_not_honor", "processing_error", "try_again_later"};
    private static final String[] HARD = {"stolen_card", "lost_card", "incorrect_number", "card_not_supported"};

    private final World w;
    private final Out out;
    private final SplittableRandom rng;
    private final String cusId;
    private final Scenario scen;
    private Country country;
    private int exp;
    private String segment;
    private final List<Card> cards = new ArrayList<>();
    private Card card;
    private final List<Sub> subs = new ArrayList<>();

    /** A card or debit mandate; {@code expEnd} is the first instant it no longer works (0 for SEPA). */
    private static final class Card {
        String id;
        String type;
        String brand;
        int expMonth, expYear;
        long expEnd;
        boolean isDefault;
    }

    /** One contiguous stretch of a seat subscription's life, for the daily seat rows. */
    private record Segment(long from, long to, long qty, Product product, boolean active) {}

    /** One subscription being simulated. */
    private static final class Sub {
        String id;
        Product product;
        BillingInterval iv;
        long qty;
        PriceVersion version;
        long negotiated; // 0 = list price
        int discPct;
        long discEnd;
        long start, trialEnd, paidStart;
        /** Start of the current run of periods: the paid start, or the last reactivation (which restarts the cycle). */
        long anchor;
        /** The contracted unit amount of the period starting in each month (seat true-ups are priced with it). */
        long[] unitByMonth;
        boolean locked, quiet, stuckOnVersion, seatBased;
        String contractId, note;
        long canceledAt;
        boolean pausedAtAsOf, pastDue;
        final List<Segment> segments = new ArrayList<>();
        // usage per month index (compute plans), -1 when no record
        long[] usage;
        boolean blankUsageSub; // usage rows after cancellation carry no subscription id
        int target = -1, target2 = -1;
        int variant;
        long extra;
        String lastPaymentId;
    }

    /** An invoice line before writing. */
    private record Line(String kind, String priceId, String desc, long qty, long unit, long amount, long from, long to) {}

    CustomerSim(World w, long index, SplittableRandom rng, Scenario scen) {
        this.w = w;
        this.out = w.out;
        this.rng = rng;
        this.cusId = World.id("cus_", index + 1, 6);
        this.scen = scen;
    }

    void run() {
        pickCustomer();
        Sub main = skeleton();
        subs.add(main);
        if (scen == null && main.product.seats() && rng.nextInt(100) < 8) {
            Sub extra = new Sub();
            extra.id = cusId.replace("cus_", "sub_") + "_2";
            extra.product = rng.nextBoolean() ? Product.COMPUTE_BASIC : Product.COMPUTE_SCALE;
            extra.iv = BillingInterval.MONTH;
            extra.qty = 1;
            int m = Math.min(w.months - 1, w.monthIndex(main.start) + 1 + rng.nextInt(3));
            extra.start = w.monthStart(m);
            extra.paidStart = extra.start;
            extra.version = w.catalog.versionAt(extra.product, extra.iv, country.currency(), extra.start);
            subs.add(extra);
        }
        newCard(main.start - rng.nextInt(3600), false);
        if (scen == Scenario.EXPIRING_CARD) {
            // the one card on file runs out before the next renewal and nobody asked for a new one
            YearMonth last = w.start.plusMonths(w.months - 1);
            YearMonth expiry = last;
            if (main.iv == BillingInterval.YEAR) {
                long next = nextRenewal(main);
                YearMonth nextYm = YearMonth.from(LocalDateTime.ofEpochSecond(next, 0, ZoneOffset.UTC));
                int span = (int) (nextYm.getYear() * 12L + nextYm.getMonthValue() - (last.getYear() * 12L + last.getMonthValue()));
                expiry = last.plusMonths(rng.nextInt(Math.max(1, span)));
            }
            setExpiry(card, expiry);
        }
        for (Sub s : subs) simulate(s);
        finishCards();
        writeCustomer(main);
        for (Sub s : subs) {
            writeSubscription(s);
            if (s.seatBased) writeSeats(s);
        }
        for (Card c : cards) {
            out.begin().s(c.id).s(cusId).s(c.type).s(c.brand);
            if (c.expEnd == 0) out.blank().blank();
            else out.i(c.expMonth).i(c.expYear);
            out.b(c.isDefault).end(EntityKind.PAYMENT_METHODS);
        }
        if (scen != null) w.scenarios.merge(scen, 1L, Long::sum);
    }

    // ---------------------------------------------------------------- customer and skeleton

    private void pickCustomer() {
        int total = 0;
        for (Country c : Catalog.COUNTRIES) total += c.weight();
        int r = rng.nextInt(total);
        for (Country c : Catalog.COUNTRIES) {
            if ((r -= c.weight()) < 0) {
                country = c;
                break;
            }
        }
        int s = rng.nextInt(100);
        segment = s < 70 ? "smb" : s < 92 ? "mid-market" : "enterprise";
        if (scen == Scenario.REVENUE_GAP) {
            country = Catalog.COUNTRIES.get(0);
            segment = "enterprise";
        } else if (scen == Scenario.USAGE_AFTER_CANCEL && country.currency().equals("USD")) {
            country = Catalog.COUNTRIES.get(3); // custom plans exist only in USD: keep the cheapest-plan price unambiguous
        } else if (scen == Scenario.EXPONENT_BUG && rng.nextInt(10) < 7) {
            country = Catalog.COUNTRIES.get(7); // a zero-decimal currency is where exponent bugs bite
        } else if (scen == Scenario.TAX_TWICE && country.taxBp() == 0) {
            country = Catalog.COUNTRIES.get(2 + rng.nextInt(4));
        } else if ((scen == Scenario.PRICE_MISMATCH_CONTRACT) && segment.equals("smb")) {
            segment = "enterprise";
        }
        exp = country.exponent();
    }

    private Sub skeleton() {
        Sub s = new Sub();
        s.id = cusId.replace("cus_", "sub_") + "_1";
        int m = w.months;
        int p = rng.nextInt(100);
        s.product = p < 30 ? Product.STARTER : p < 58 ? Product.TEAM : p < 78 ? Product.BUSINESS
                : p < 93 ? Product.COMPUTE_BASIC : Product.COMPUTE_SCALE;
        s.iv = !s.product.usage() && rng.nextInt(100) < 25 ? BillingInterval.YEAR : BillingInterval.MONTH;
        int join = rng.nextInt(100) < 55 ? 0 : 1 + rng.nextInt(Math.max(1, m - 2));
        int day = 1 + rng.nextInt(28);
        boolean trial = false;
        int lastJoin = m - 1;
        // the scenario decides what kind of subscription it needs
        if (scen != null) {
            s.quiet = true;
            switch (scen) {
                case PRICE_MISMATCH_LINE, DUPLICATE_INVOICE, DUPLICATE_CHARGE, REFUND_EXCESS, REFUND_TWICE, FAILED_PAYMENT,
                        EXPIRING_CARD -> {
                    s.product = flatOrSeat();
                    if (s.iv == BillingInterval.YEAR && m < 15) s.iv = BillingInterval.MONTH;
                    lastJoin = s.iv == BillingInterval.YEAR ? m - 14 : m - 4;
                }
                case PRICE_MISMATCH_CONTRACT -> {
                    s.product = rng.nextBoolean() ? Product.TEAM : Product.BUSINESS;
                    s.iv = BillingInterval.MONTH;
                    lastJoin = m - 4;
                }
                case EXPIRED_DISCOUNT -> {
                    s.product = flatOrSeat();
                    s.iv = BillingInterval.MONTH;
                    s.discPct = new int[] {10, 15, 20, 25, 30}[rng.nextInt(5)];
                    s.target = rng.nextBoolean() || m < 9 ? 3 : 6; // discounted invoices
                    lastJoin = m - s.target - 2;
                }
                case LEGACY_PRICE -> {
                    s.product = flatOrSeat();
                    int v2 = w.versionMonth(2);
                    if (s.iv == BillingInterval.YEAR && m - 13 >= 0 && v2 <= 12) {
                        lastJoin = Math.min(v2 - 1, m - 13);
                    } else {
                        s.iv = BillingInterval.MONTH;
                        lastJoin = v2 - 1;
                    }
                    s.stuckOnVersion = true;
                }
                case UNBILLED_OVERAGE -> {
                    s.product = rng.nextBoolean() ? Product.COMPUTE_BASIC : Product.COMPUTE_SCALE;
                    s.iv = BillingInterval.MONTH;
                    lastJoin = m - 3;
                }
                case MISSED_INVOICE, EXPONENT_BUG, TAX_TWICE, SILENT_CHURN -> {
                    s.product = scen == Scenario.SILENT_CHURN ? Product.STARTER : flatOrSeat();
                    s.iv = BillingInterval.MONTH;
                    lastJoin = scen == Scenario.SILENT_CHURN ? m - 5 : m - 4;
                }
                case MISSED_RENEWAL -> {
                    s.product = flatOrSeat();
                    s.iv = BillingInterval.YEAR;
                    lastJoin = m - 14;
                }
                case USAGE_AFTER_CANCEL -> {
                    s.product = rng.nextBoolean() ? Product.COMPUTE_BASIC : Product.COMPUTE_SCALE;
                    s.iv = BillingInterval.MONTH;
                    lastJoin = m - 6;
                }
                case REVENUE_GAP -> {
                    s.product = Product.COMPUTE_SCALE;
                    s.iv = BillingInterval.MONTH;
                    lastJoin = m - 5;
                }
                case SEAT_OVERAGE, ACCESS_AFTER_CANCEL -> {
                    s.product = rng.nextBoolean() ? Product.TEAM : Product.BUSINESS;
                    s.iv = BillingInterval.MONTH;
                    lastJoin = scen == Scenario.SEAT_OVERAGE ? w.telemetryFrom - 1 : w.telemetryFrom - 2;
                    day = 1;
                }
            }
            if (join > lastJoin) join = rng.nextInt(Math.max(1, lastJoin + 1));
        } else {
            trial = s.iv == BillingInterval.MONTH && !s.product.usage() && day <= 14 && rng.nextInt(100) < 20;
        }
        if (s.product.usage()) day = 1;
        long base = w.monthStart(join) + (day - 1) * DAY;
        s.start = s.product.usage() ? base : base + rng.nextInt(20) * 3600L + rng.nextInt(3600);
        if (trial) {
            s.trialEnd = s.start + 14 * DAY;
            s.paidStart = s.trialEnd;
        } else {
            s.paidStart = s.start;
        }
        s.qty = s.product.seats() ? seats() : 1;
        s.seatBased = s.product.seats();
        s.version = w.catalog.versionAt(s.product, s.iv, country.currency(), s.start);
        if (scen == Scenario.REVENUE_GAP) {
            // a private price version a sales rep created: allowance typed as 1,000,000 hours instead of 1,000
            s.version = new PriceVersion("price_compute_custom_" + cusId.substring(4), "compute-custom-" + cusId.substring(4),
                    Product.COMPUTE_SCALE, BillingInterval.MONTH, "USD", 1, 19900, 1_000_000, 30, s.start, 0);
            out.begin().s(s.version.id()).s(s.version.planId()).s(s.product.productId).s("Compute (custom)").s("month")
                    .s("usage").s("USD").m(19900, 2).i(1_000_000).m(30, 2).s(Catalog.USAGE_METRIC).t(s.start).blank()
                    .end(EntityKind.PRICES);
        }
        boolean negotiable = s.product.seats() && (segment.equals("enterprise") && rng.nextInt(100) < 70
                || segment.equals("mid-market") && rng.nextInt(100) < 15);
        if (scen == Scenario.PRICE_MISMATCH_CONTRACT) negotiable = true;
        if (scen != null && scen != Scenario.PRICE_MISMATCH_CONTRACT && scen != Scenario.SEAT_OVERAGE
                && scen != Scenario.EXPIRING_CARD && scen != Scenario.FAILED_PAYMENT) negotiable = false;
        if (negotiable) {
            long list = s.version.unitMinor();
            long step = stepOf();
            long neg = Math.round(list * (70 + rng.nextInt(21)) / 100.0 / step) * step;
            s.negotiated = Math.max(step, Math.min(neg, list - step));
            s.contractId = World.id("ct_", ++w.contractSeq, 6);
            s.note = "MSA " + LocalDate.ofEpochDay(s.start / DAY).getYear() + ": negotiated seat price";
            s.quiet = true;
        }
        if (scen == null && !s.product.usage() && rng.nextInt(100) < 15) {
            s.discPct = new int[] {10, 15, 20, 25, 50}[rng.nextInt(5)];
            int n = s.iv == BillingInterval.YEAR ? 1 : new int[] {3, 6, 12}[rng.nextInt(3)];
            s.discEnd = addMonths(s.paidStart, n - 1) + 10 * DAY;
        }
        if (scen == Scenario.EXPIRED_DISCOUNT) s.discEnd = addMonths(s.paidStart, s.target - 1) + 10 * DAY;
        if (scen == null && !s.product.usage() && s.start < w.catalog.versionStart(2) && rng.nextInt(100) < 5) {
            s.locked = true;
            s.note = "grandfathered on purpose: early-adopter price kept (pricing committee decision)";
        }
        return s;
    }

    private Product flatOrSeat() {
        int p = rng.nextInt(100);
        return p < 40 ? Product.STARTER : p < 75 ? Product.TEAM : Product.BUSINESS;
    }

    private long seats() {
        return switch (segment) {
            case "smb" -> 1 + rng.nextInt(10);
            case "mid-market" -> 8 + rng.nextInt(53);
            default -> 40 + rng.nextInt(261);
        };
    }

    private long stepOf() {
        return switch (country.currency()) {
            case "JPY" -> 100;
            case "KWD" -> 500;
            default -> 100;
        };
    }

    // ---------------------------------------------------------------- the life of one subscription

    private long unit(Sub s) {
        return s.negotiated > 0 ? s.negotiated : s.version.unitMinor();
    }

    private long recurring(Sub s) {
        return s.product.seats() ? unit(s) * s.qty : unit(s);
    }

    private List<Long> periodStarts(Sub s) {
        List<Long> list = new ArrayList<>();
        for (long ps = s.paidStart; ps < w.asOf; ps = addMonths(ps, s.iv.months())) list.add(ps);
        return list;
    }

    private void simulate(Sub s) {
        List<Long> starts = periodStarts(s);
        int n = starts.size();
        chooseTargets(s, n, starts);
        if (s.product.usage()) drawUsage(s);
        if (s.trialEnd > 0) {
            Inv trial = new Inv(s, s.start + 60, s.start, s.trialEnd, "subscription_create");
            trial.lines.add(new Line("subscription", s.version.id(), "Trial: " + s.qty +  " x " + s.product.productName,
                    s.qty, 0, 0, s.start, s.trialEnd));
            writeInvoice(trial, Pay.NONE);
            s.segments.add(new Segment(s.start, s.trialEnd, s.qty, s.product, true));
        }
        List<Line> pending = new ArrayList<>();
        long ps = s.paidStart;
        s.anchor = s.paidStart;
        int idx = 0;
        while (ps < w.asOf) {
            long pe = addMonths(ps, s.iv.months());
            // list-price migration at renewal unless the price is locked (or the migration job skipped it)
            if (!s.locked && !s.stuckOnVersion && s.version.retired() && s.version.validTo() <= ps && s.version.version() > 0) {
                s.version = w.catalog.versionAt(s.product, s.iv, country.currency(), ps);
            }
            boolean skipInvoice = (scen == Scenario.MISSED_INVOICE || scen == Scenario.MISSED_RENEWAL) && idx == s.target && s == subs.get(0);
            if (skipInvoice) {
                truth("subscription:" + s.id + "@" + w.monthName(w.monthIndex(ps)), Category.MISSED_INVOICE,
                        pretax(s, ps), 0, ps, "billing run skipped this period: no invoice for an active subscription");
            } else {
                renewalInvoice(s, idx, ps, pe, pending);
            }
            s.segments.add(new Segment(ps, pe, s.qty, s.product, true));
            idx++;
            // what happens during the period
            if (endsHere(s, idx, pe, n)) break;
            if (!s.quiet && s.iv == BillingInterval.MONTH && s.product.seats() && rng.nextInt(100) < 4) {
                midPeriodChange(s, ps, pe, pending);
            }
            if (!s.quiet && s.iv == BillingInterval.MONTH && !s.product.usage() && pe < w.asOf && rng.nextInt(1000) < 4) {
                int len = 1 + rng.nextInt(3);
                long resume = addMonths(pe, len);
                change(s, pe, "pause", s.version.id(), s.version.id(), s.qty, s.qty);
                if (resume < w.asOf) {
                    change(s, resume, "resume", s.version.id(), s.version.id(), s.qty, s.qty);
                    s.segments.add(new Segment(pe, resume, 0, s.product, false));
                    ps = resume;
                    continue;
                }
                s.segments.add(new Segment(pe, w.asOf, 0, s.product, false));
                s.pausedAtAsOf = true;
                break;
            }
            ps = pe;
        }
        // the subscription's usage rows (and the unbilled usage after a cancellation)
        if (s.usage != null) writeUsage(s);
        if (s != subs.get(0) || scen == null) return;
        if (scen == Scenario.SILENT_CHURN && s.extra > 0) {
            truth("subscription:" + s.id, Category.SILENT_CHURN, 0, recurring(s), s.extra,
                    "dunning exhausted without cancelling: every invoice unpaid since " + LocalDate.ofEpochDay(s.extra / DAY));
        }
        if (scen == Scenario.LEGACY_PRICE && s.version.retired()) {
            long firstDue = s.paidStart;
            while (firstDue < s.version.validTo()) firstDue = addMonths(firstDue, s.iv.months());
            PriceVersion list = w.catalog.versionAt(s.product, s.iv, country.currency(), w.asOf - 1);
            long diff = (list.unitMinor() - s.version.unitMinor()) * (s.product.seats() ? s.qty : 1);
            if (firstDue < w.asOf && diff > 0) {
                truth("subscription:" + s.id, Category.LEGACY_PRICE, 0, s.iv == BillingInterval.YEAR ? divide(diff, 12) : diff,
                        firstDue, "still on retired " + s.version.id() + " after renewal (price migration skipped it); list is " + list.id());
            }
        }
    }

    /** Decides where in the timeline the scenario strikes. */
    private void chooseTargets(Sub s, int n, List<Long> starts) {
        if (scen == null || s != subs.get(0)) return;
        int m = w.months;
        switch (scen) {
            case PRICE_MISMATCH_LINE, PRICE_MISMATCH_CONTRACT, EXPONENT_BUG, TAX_TWICE -> {
                s.target = n <= 1 ? 0 : 1 + rng.nextInt(n - 1);
                s.target2 = scen == Scenario.PRICE_MISMATCH_LINE && s.iv == BillingInterval.MONTH && rng.nextInt(3) == 0
                        ? Math.min(n - 1, s.target + 1 + rng.nextInt(2)) : s.target;
            }
            case DUPLICATE_INVOICE, DUPLICATE_CHARGE -> s.target = lastBefore(starts, w.asOf - 3 * DAY);
            case REFUND_EXCESS, REFUND_TWICE -> s.target = lastBefore(starts, w.asOf - 40 * DAY);
            case FAILED_PAYMENT -> {
                int last = lastBefore(starts, w.asOf - 17 * DAY);
                s.target = s.iv == BillingInterval.YEAR ? last : Math.max(0, last - rng.nextInt(Math.max(1, last)));
                s.variant = rng.nextInt(100);
            }
            case SILENT_CHURN -> s.target = Math.max(1, n - 3 - rng.nextInt(Math.max(1, n - 4)));
            case MISSED_INVOICE -> s.target = 1 + rng.nextInt(Math.max(1, n - 2));
            case MISSED_RENEWAL -> s.target = 1 + rng.nextInt(Math.max(1, lastBefore(starts, w.asOf - 3 * DAY)));
            case EXPIRED_DISCOUNT -> s.target2 = Math.min(n - 1, s.target + rng.nextInt(4)); // last leaking invoice
            case UNBILLED_OVERAGE -> {
                int first = w.monthIndex(s.start);
                List<Integer> ok = new ArrayList<>();
                for (int k = first; k <= m - 2; k++) {
                    long inv = w.monthStart(k + 1);
                    boolean bug = s.version.planId().equals(World.BUG_PLAN) && inv + 4 * 3600 >= w.bugFrom && inv < w.bugTo + 3600;
                    if (!bug) ok.add(k);
                }
                if (ok.isEmpty()) {
                    s.product = Product.COMPUTE_SCALE;
                    s.version = w.catalog.versionAt(s.product, s.iv, country.currency(), s.start);
                    ok.add(m - 2);
                }
                s.target = ok.get(rng.nextInt(ok.size()));
                s.variant = rng.nextInt(100) < 70 ? 0 : 1;
            }
            case USAGE_AFTER_CANCEL -> {
                int first = w.monthIndex(s.start);
                s.target = first + 2 + rng.nextInt(Math.max(1, m - 3 - (first + 2) + 1)); // cancel month
                s.target2 = Math.min(m - 2, s.target + rng.nextInt(3)); // last month of unbilled use
            }
            case REVENUE_GAP -> {
                int h = 2 + rng.nextInt(2);
                s.target = Math.max(w.monthIndex(s.start) + 1, m - 1 - h); // first heavy month
                s.target2 = m - 2;
            }
            case SEAT_OVERAGE -> {
                s.target = w.telemetryFrom + rng.nextInt(Math.max(1, m - 1 - w.telemetryFrom));
                s.extra = 1 + rng.nextInt((int) Math.max(1, s.qty / 4));
                s.variant = 4 + rng.nextInt(YearMonth.from(w.start.plusMonths(s.target)).lengthOfMonth() - 3); // days over
            }
            case ACCESS_AFTER_CANCEL -> s.target = w.telemetryFrom + rng.nextInt(Math.max(1, m - 1 - w.telemetryFrom));
            default -> { }
        }
    }

    private static int lastBefore(List<Long> starts, long limit) {
        int last = 0;
        for (int i = 0; i < starts.size(); i++) if (starts.get(i) + 3 * 3600 < limit) last = i;
        return last;
    }

    /** Cancellations (scenario-driven or random) at the end of the period that just started; true when the loop ends. */
    private boolean endsHere(Sub s, int idxAfter, long pe, int n) {
        boolean main = s == subs.get(0);
        if (main && scen == Scenario.FAILED_PAYMENT && idxAfter - 1 == s.target && s.variant < 60 && pe <= w.asOf) {
            cancel(s, pe);
            return true;
        }
        if (main && (scen == Scenario.USAGE_AFTER_CANCEL || scen == Scenario.ACCESS_AFTER_CANCEL)
                && w.monthIndex(pe) == s.target) {
            cancel(s, pe);
            if (scen == Scenario.ACCESS_AFTER_CANCEL) {
                // the cancellation never reached the product: access stays on until the account is closed
                long closed = w.monthStart(w.months - 1);
                long seatsUsed = Math.max(1, s.qty - rng.nextInt((int) Math.max(1, s.qty / 3)));
                s.segments.add(new Segment(pe, closed, seatsUsed, s.product, true));
                s.extra = seatsUsed;
                for (int k = s.target; k <= w.months - 2; k++) {
                    long at = w.monthStart(k);
                    truth("customer:" + cusId + "@" + w.monthName(k), Category.UNBILLED_SERVICE, 0, cheapestSeats(s.product, seatsUsed, at),
                            at, "subscription " + s.id + " canceled but app access never revoked");
                }
            }
            return true;
        }
        if (s.quiet || pe >= w.asOf) return false;
        boolean cancel = s.iv == BillingInterval.YEAR ? rng.nextInt(100) < 12 : rng.nextInt(1000) < 12;
        if (!cancel) return false;
        cancel(s, pe);
        if (!s.product.usage() && rng.nextInt(100) < 15) {
            long back = addMonths(pe, 1 + rng.nextInt(3));
            if (back < w.asOf - 5 * DAY) {
                change(s, back, "reactivate", s.version.id(), s.version.id(), s.qty, s.qty);
                s.canceledAt = 0;
                // restart the loop at the reactivation: the caller's loop continues from there
                reactivateFrom = back;
            }
        }
        return reactivateFrom == 0 ? true : resumeAfterReactivation(s);
    }

    private long reactivateFrom;

    private boolean resumeAfterReactivation(Sub s) {
        // simple approach: simulate the reactivated stretch as its own run of periods
        long from = reactivateFrom;
        reactivateFrom = 0;
        s.anchor = from;
        List<Line> pending = new ArrayList<>();
        int idx = 1000;
        for (long ps = from; ps < w.asOf; ps = addMonths(ps, s.iv.months())) {
            long pe = addMonths(ps, s.iv.months());
            if (!s.locked && s.version.retired() && s.version.validTo() <= ps) {
                s.version = w.catalog.versionAt(s.product, s.iv, country.currency(), ps);
            }
            renewalInvoice(s, idx++, ps, pe, pending);
            s.segments.add(new Segment(ps, pe, s.qty, s.product, true));
        }
        return true;
    }

    private void cancel(Sub s, long at) {
        s.canceledAt = at;
        change(s, at, "cancel", s.version.id(), null, s.qty, null);
    }

    private void change(Sub s, long at, String kind, String fromPrice, String toPrice, Long fromQty, Long toQty) {
        out.begin().s(World.id("sc_", ++w.changeSeq, 7)).s(s.id).t(at).s(kind).s(fromPrice).s(toPrice);
        if (fromQty == null) out.blank();
        else out.i(fromQty);
        if (toQty == null) out.blank();
        else out.i(toQty);
        out.end(EntityKind.SUBSCRIPTION_CHANGES);
    }

    /** An upgrade, downgrade or seat change inside a monthly period, prorated by the second. */
    private void midPeriodChange(Sub s, long ps, long pe, List<Line> pending) {
        long span = pe - ps;
        int r = rng.nextInt(100);
        boolean up = r < 45;
        long minDay = up ? 2 : 12; // credits late in a period keep the next invoice positive
        long at = ps + minDay * DAY + rng.nextInt((int) Math.max(DAY, span - (minDay + 3) * DAY));
        if (at >= w.asOf - 2 * DAY || at >= pe - DAY) return;
        PriceVersion oldV = s.version;
        long oldQty = s.qty;
        long oldAmount = recurring(s);
        Product oldProduct = s.product;
        String kind;
        if (r < 15 && s.product == Product.TEAM) {
            s.product = Product.BUSINESS;
            kind = "upgrade";
        } else if (r >= 85 && s.product == Product.BUSINESS) {
            s.product = Product.TEAM;
            kind = "downgrade";
        } else if (up) {
            s.qty += 1 + rng.nextInt(5);
            kind = "quantity";
        } else if (s.qty > 3) {
            s.qty -= 1 + rng.nextInt((int) Math.min(2, s.qty / 3));
            kind = "quantity";
        } else {
            return;
        }
        if (s.product != oldProduct) s.version = w.catalog.versionAt(s.product, s.iv, country.currency(), at);
        long newAmount = recurring(s);
        long remaining = pe - at;
        long credit = -prorate(oldAmount, remaining, span);
        long charge = prorate(newAmount, remaining, span);
        change(s, at, kind, oldV.id(), s.version.id(), oldQty, s.qty);
        // close the current seat segment at the change
        Segment last = s.segments.remove(s.segments.size() - 1);
        s.segments.add(new Segment(last.from(), at, oldQty, oldProduct, true));
        s.segments.add(new Segment(at, pe, s.qty, s.product, true));
        String date = LocalDate.ofEpochDay(at / DAY).toString();
        Line l1 = new Line("proration", oldV.id(), "Unused time on " + oldQty +  " x " + oldProduct.productName + " after " + date,
                1, credit, credit, at, pe);
        Line l2 = new Line("proration", s.version.id(), "Remaining time on " + s.qty +  " x " + s.product.productName + " after " + date,
                1, charge, charge, at, pe);
        if (charge + credit > 0 && rng.nextInt(100) < 30) {
            // invoiced at once (Stripe's always_invoice): a second invoice in the same month that is not a duplicate
            Inv inv = new Inv(s, at + 60 + rng.nextInt(120), at, pe, "subscription_update");
            inv.lines.add(l1);
            inv.lines.add(l2);
            writeInvoice(inv, Pay.NORMAL);
        } else {
            pending.add(l1);
            pending.add(l2);
        }
    }

    static long prorate(long amount, long part, long whole) {
        return java.math.BigDecimal.valueOf(amount).multiply(java.math.BigDecimal.valueOf(part))
                .divide(java.math.BigDecimal.valueOf(whole), 0, java.math.RoundingMode.HALF_EVEN).longValueExact();
    }

    /** Expected pre-tax charge of one period: what MISSED_INVOICE puts on the missing period. */
    private long pretax(Sub s, long ps) {
        return recurring(s);
    }

    // ---------------------------------------------------------------- invoices

    /** An invoice being built. */
    private final class Inv {
        final String id;
        final Sub sub;
        final long created, ps, pe;
        final String reason;
        final List<Line> lines = new ArrayList<>(4);
        long discount, tax;
        boolean taxTwice;
        /** The invoice the customer's scenario strikes (payment, refund and anomaly scenarios). */
        boolean target;
        /** Pre-tax amount the exponent bug added (0 otherwise). */
        long bugExcess;

        Inv(Sub sub, long created, long ps, long pe, String reason) {
            this.id = World.id("in_", ++w.invoiceSeq, 8);
            this.sub = sub;
            this.created = created;
            this.ps = ps;
            this.pe = pe;
            this.reason = reason;
        }

        long subtotal() {
            long t = 0;
            for (Line l : lines) t += l.amount();
            return t;
        }

        long total() {
            return subtotal() - discount + tax;
        }
    }

    private void renewalInvoice(Sub s, int idx, long ps, long pe, List<Line> pending) {
        boolean main = s == subs.get(0);
        long created = ps + 3600 + rng.nextInt(7200);
        Inv inv = new Inv(s, created, ps, pe, idx == 0 && s.trialEnd == 0 ? "subscription_create" : "subscription_cycle");
        inv.target = main && scen != null && idx == s.target;
        long unit = unit(s);
        long expectedUnit = unit;
        int m = w.monthIndex(ps);
        if (s.seatBased && m >= 0 && m < w.months) {
            if (s.unitByMonth == null) s.unitByMonth = new long[w.months];
            s.unitByMonth[m] = expectedUnit;
        }
        long qty = s.product.seats() ? s.qty : 1;
        if (main && (scen == Scenario.PRICE_MISMATCH_LINE || scen == Scenario.PRICE_MISMATCH_CONTRACT)
                && idx >= s.target && idx <= s.target2) {
            // 10–40 % below, in whole price steps, never to zero
            long cut = Math.max(1, Math.round(unit * (10 + rng.nextInt(31)) / 100.0 / stepOf())) * stepOf();
            unit = unit - Math.min(cut, unit - stepOf() / 10);
        }
        if (inv.target && scen == Scenario.EXPONENT_BUG) {
            unit = unit * 100;
            inv.bugExcess = (unit - expectedUnit) * qty;
        }
        String desc = (s.product.seats() ? s.qty +  " x " : "") + s.product.productName
                + (s.iv == BillingInterval.YEAR ? " (annual)" : "") + (s.negotiated > 0 ? " (contract " + s.contractId + ")" : "");
        inv.lines.add(new Line("subscription", s.version.id(), desc, qty, unit, unit * qty, ps, pe));
        if (unit < expectedUnit) {
            long diff = (expectedUnit - unit) * qty;
            truth("invoice:" + inv.id, Category.PRICE_MISMATCH, 0, s.iv == BillingInterval.YEAR ? divide(diff, 12) : diff, created,
                    scen == Scenario.PRICE_MISMATCH_CONTRACT ? "invoiced below the contracted unit amount of " + s.contractId
                            : "invoice line keyed below the list price of " + s.version.id());
        }
        inv.lines.addAll(pending);
        pending.clear();
        if (s.product.usage()) usageLine(s, inv, ps);
        // discount: applies to invoices created before its end date
        if (s.discPct > 0) {
            boolean valid = created < s.discEnd;
            boolean byFlag = !valid && s.discEnd >= w.flagFrom && s.discEnd < w.flagTo && created < w.flagTo && w.flagTo > 0;
            boolean byScenario = !valid && main && scen == Scenario.EXPIRED_DISCOUNT && idx >= s.target && idx <= s.target2;
            if (valid || byFlag || byScenario) {
                inv.discount = percent(inv.subtotal(), s.discPct);
                if (!valid) {
                    long d = s.iv == BillingInterval.YEAR ? divide(inv.discount, 12) : inv.discount;
                    truth("invoice:" + inv.id, Category.EXPIRED_DISCOUNT, 0, d, created, byScenario
                            ? "coupon " + s.discPct + "% ended " + LocalDate.ofEpochDay(s.discEnd / DAY) + " but kept being applied"
                            : "coupon ended " + LocalDate.ofEpochDay(s.discEnd / DAY) + "; " + w.flagNote);
                }
            }
        }
        if (main && scen == Scenario.TAX_TWICE && idx == s.target) inv.taxTwice = true;
        Pay mode = Pay.NORMAL;
        if (main && scen != null) {
            switch (scen) {
                case FAILED_PAYMENT -> mode = idx == s.target ? Pay.FAIL : Pay.NORMAL;
                case SILENT_CHURN -> mode = idx >= s.target ? Pay.FAIL_SOFT : Pay.NORMAL;
                case DUPLICATE_INVOICE, DUPLICATE_CHARGE, REFUND_EXCESS, REFUND_TWICE, EXPONENT_BUG, TAX_TWICE ->
                        mode = idx == s.target ? Pay.SUCCEED : Pay.NORMAL;
                default -> { }
            }
        }
        if (main && scen == Scenario.FAILED_PAYMENT && idx > s.target && s.variant >= 60) mode = Pay.SUCCEED_NEW_CARD;
        if (main && scen == Scenario.EXPIRING_CARD) mode = Pay.SUCCEED; // no retry may swap the card that is about to expire
        writeInvoice(inv, mode);
        if (main && scen == Scenario.DUPLICATE_INVOICE && idx == s.target) {
            Inv dup = new Inv(s, inv.created + 300 + rng.nextInt(5400), ps, pe, inv.reason);
            dup.lines.addAll(inv.lines);
            dup.discount = inv.discount;
            writeInvoice(dup, Pay.SUCCEED);
            truth("invoice:" + dup.id, Category.DUPLICATE_BILLING, dup.subtotal() - dup.discount + dup.tax, 0, dup.created,
                    "billing run executed twice: same subscription and period as " + inv.id);
        }
        if (main && scen == Scenario.SILENT_CHURN && idx == s.target) s.extra = created;
    }

    private void usageLine(Sub s, Inv inv, long ps) {
        int k = w.monthIndex(ps) - 1; // usage is billed in arrears: last month's overage on this invoice
        if (k < 0 || s.usage == null || s.usage[k] < 0) return;
        long over = Math.max(0, s.usage[k] - s.version.includedUnits());
        if (over == 0) return;
        long billed = over;
        String note = null;
        boolean main = s == subs.get(0);
        if (main && scen == Scenario.UNBILLED_OVERAGE && k == s.target) {
            billed = s.variant == 0 ? 0 : over / 2;
            note = s.variant == 0 ? "overage line missing from the invoice" : "overage billed for half of the units (meter aggregation dropped a partition)";
        } else if (inv.created >= w.bugFrom && inv.created < w.bugTo && s.version.planId().equals(World.BUG_PLAN)) {
            billed = 0;
            note = w.bugNote;
        }
        if (billed > 0) {
            inv.lines.add(new Line("usage", s.version.id(), billed + " compute hours above " + s.version.includedUnits() + " included",
                    billed, s.version.overageMinor(), billed * s.version.overageMinor(), w.monthStart(k), w.monthStart(k + 1)));
        }
        if (billed < over) {
            truth("subscription:" + s.id + "@" + w.monthName(k), Category.UNBILLED_USAGE,
                    (over - billed) * s.version.overageMinor(), 0, inv.created, note);
        }
    }

    private void drawUsage(Sub s) {
        s.usage = new long[w.months];
        java.util.Arrays.fill(s.usage, -1);
        boolean main = s == subs.get(0);
        int first = w.monthIndex(s.start);
        long incl = s.version.includedUnits();
        double level = 0.5 + rng.nextDouble() * 0.9; // this customer's typical share of the allowance
        for (int k = first; k < w.months; k++) {
            long q = Math.max(0, Math.round(Math.min(incl, 1000) * level * (0.7 + rng.nextDouble() * 0.6)));
            if (s.product == Product.COMPUTE_SCALE && scen == Scenario.REVENUE_GAP && main) {
                q = k >= s.target && k <= s.target2 ? 3000 + rng.nextInt(5001) : 40 + rng.nextInt(111);
            }
            if (main && scen == Scenario.UNBILLED_OVERAGE && k == s.target) q = Math.round(incl * (1.3 + rng.nextDouble() * 1.7));
            s.usage[k] = q;
        }
    }

    // ---------------------------------------------------------------- writing an invoice and collecting it

    enum Pay { NORMAL, SUCCEED, SUCCEED_NEW_CARD, FAIL, FAIL_SOFT, NONE }

    private void writeInvoice(Inv inv, Pay mode) {
        Sub s = inv.sub;
        long subtotal = inv.subtotal();
        long taxable = subtotal - inv.discount;
        inv.tax = percentBp(taxable, country.taxBp());
        if (inv.taxTwice) inv.tax *= 2;
        long total = taxable + inv.tax;
        boolean main = s == subs.get(0);
        if (inv.taxTwice || inv.bugExcess != 0) {
            long expectedTaxable = taxable - inv.bugExcess;
            long expected = expectedTaxable + percentBp(expectedTaxable, country.taxBp());
            truth("invoice:" + inv.id, Category.ANOMALY, total - expected, 0, inv.created, inv.taxTwice ? "tax applied twice"
                    : "line amount multiplied by 100 (currency-exponent bug in the invoice renderer)");
        }
        // collect
        long paid = 0;
        String status;
        if (total <= 0 || mode == Pay.NONE) {
            status = "paid";
        } else {
            paid = collect(inv, total, mode);
            status = paid >= total ? "paid" : (main && scen == Scenario.FAILED_PAYMENT && s.variant < 60 && mode == Pay.FAIL
                    && s.canceledAt == 0 && addMonths(inv.ps, s.iv.months()) <= w.asOf) ? "uncollectible" : "open";
            if (paid < total && inv.created + GRACE < w.asOf && (mode == Pay.FAIL || mode == Pay.FAIL_SOFT)) {
                truth("invoice:" + inv.id, Category.FAILED_PAYMENT, total - paid, 0, inv.created,
                        mode == Pay.FAIL_SOFT ? "retries exhausted, subscription left past_due" : failNote);
            }
            if (paid < total) s.pastDue = true;
            else s.pastDue = false;
        }
        out.begin().s(inv.id).s(cusId).s(s.id).s(status).t(inv.created).t(inv.ps).t(inv.pe).s(country.currency())
                .m(subtotal, exp).m(inv.discount, exp).m(inv.tax, exp).m(total, exp).m(paid, exp).s(inv.reason)
                .end(EntityKind.INVOICES);
        int n = 0;
        for (Line l : inv.lines) {
            out.begin().s(inv.id.replace("in_", "il_") + "_" + (++n)).s(inv.id).s(l.kind()).s(l.priceId()).s(l.desc())
                    .i(l.qty()).s(country.currency()).m(l.unit(), exp).m(l.amount(), exp).t(l.from()).t(l.to())
                    .end(EntityKind.INVOICE_LINES);
        }
        if (total > 0 && mode == Pay.NORMAL && inv.created < w.asOf - 3 * DAY && rng.nextInt(1000) < 8) {
            long at = inv.created + (2 + rng.nextInt(18)) * DAY;
            if (at < w.asOf) {
                long amount = Math.max(1, percent(total, 5 + rng.nextInt(26)));
                out.begin().s(World.id("cn_", ++w.creditSeq, 7)).s(inv.id).s(cusId).t(at).s(country.currency())
                        .m(amount, exp).s(rng.nextBoolean() ? "goodwill" : "service_credit").end(EntityKind.CREDIT_NOTES);
            }
        }
    }

    private String failNote = "";
    private boolean replacedAfterFailure;

    /** Makes the payment attempts of one invoice; returns the amount collected. */
    private long collect(Inv inv, long total, Pay mode) {
        Sub s = inv.sub;
        long t = inv.created + 3600 + rng.nextInt(600);
        if (mode == Pay.FAIL || mode == Pay.FAIL_SOFT) {
            int c = mode == Pay.FAIL_SOFT ? 0 : s.variant % 10;
            String[] codes;
            long[] offsets;
            if (c < 6) {
                codes = new String[] {soft(), soft(), soft(), soft()};
                offsets = new long[] {0, 3 * DAY, 5 * DAY, 7 * DAY};
                failNote = "soft declines (" + codes[0] + "), all retries failed";
            } else if (c < 8) {
                codes = new String[] {HARD[rng.nextInt(HARD.length)]};
                offsets = new long[] {0};
                failNote = "hard decline (" + codes[0] + "), no new card provided";
            } else if (c < 9) {
                codes = new String[] {"authentication_required", "authentication_required"};
                offsets = new long[] {0, 3 * DAY};
                failNote = "authentication required, customer never completed it";
            } else {
                codes = new String[] {"fraudulent"};
                offsets = new long[] {0};
                failNote = "declined as fraudulent, no other payment method";
            }
            for (int i = 0; i < codes.length; i++) {
                if (t + offsets[i] >= w.asOf) break;
                payment(inv, t + offsets[i], total, false, codes[i], i + 1);
            }
            return 0;
        }
        if (mode == Pay.SUCCEED_NEW_CARD && !replacedAfterFailure) {
            newCard(t - DAY, true);
            replacedAfterFailure = true;
        }
        if (card.expEnd != 0 && t >= card.expEnd) {
            // the card ran out: the first attempt fails, the customer adds a new card, the retry succeeds
            if (t >= w.asOf) return 0;
            payment(inv, t, total, false, "expired_card", 1);
            long later = t + (1 + rng.nextInt(4)) * DAY;
            newCard(later - 600, true);
            if (later >= w.asOf) return 0;
            return succeed(inv, later, total, 2);
        }
        if (mode == Pay.NORMAL && rng.nextInt(100) < 5) {
            int r = rng.nextInt(100);
            int attempt = 1;
            if (r < 75) {
                long[] offsets = {0, 3 * DAY, 5 * DAY, 7 * DAY};
                int successAt = 1 + rng.nextInt(3);
                for (int i = 0; i < successAt; i++) {
                    if (t + offsets[i] >= w.asOf) return 0;
                    payment(inv, t + offsets[i], total, false, soft(), attempt++);
                }
                if (t + offsets[successAt] >= w.asOf) return 0;
                return succeed(inv, t + offsets[successAt], total, attempt);
            }
            String code = r < 90 ? HARD[rng.nextInt(HARD.length)] : r < 97 ? "authentication_required" : "fraudulent";
            payment(inv, t, total, false, code, attempt++);
            long later = t + (1 + rng.nextInt(6)) * DAY;
            if (!code.equals("authentication_required")) newCard(later - 600, true);
            if (later >= w.asOf) return 0;
            return succeed(inv, later, total, attempt);
        }
        if (t >= w.asOf) return 0;
        return succeed(inv, t, total, 1);
    }

    private String soft() {
        return SOFT[rng.nextInt(SOFT.length)];
    }

    private long succeed(Inv inv, long t, long total, int attempt) {
        Sub s = inv.sub;
        String pid = payment(inv, t, total, true, null, attempt);
        boolean main = s == subs.get(0);
        boolean target = main && inv.target;
        if (target && scen == Scenario.DUPLICATE_CHARGE) {
            String dup = payment(inv, t + 30 + rng.nextInt(1200), total, true, null, attempt);
            truth("payment:" + dup, Category.DUPLICATE_BILLING, total, 0, t, "charge captured twice for " + inv.id + " (client retry without idempotency key)");
            return total;
        }
        if (target && (scen == Scenario.REFUND_EXCESS || scen == Scenario.REFUND_TWICE)) {
            long at = t + (2 + rng.nextInt(10)) * DAY;
            if (scen == Scenario.REFUND_EXCESS) {
                long extra = Math.max(1, percent(total, 10 + rng.nextInt(91)));
                String rid = refund(pid, inv, at, total + extra, "requested_by_customer");
                truth("refund:" + rid, Category.REFUND_ANOMALY, extra, 0, at, "refund of " + pid + " above the amount paid");
            } else {
                refund(pid, inv, at, total, "requested_by_customer");
                long again = at + (1 + rng.nextInt(6)) * DAY;
                String rid = refund(pid, inv, again, total, "requested_by_customer");
                truth("refund:" + rid, Category.REFUND_ANOMALY, total, 0, again, "second full refund of " + pid);
            }
            return total;
        }
        if (!target) {
            long left = total;
            if (rng.nextInt(1000) < 12) {
                long at = t + (1 + rng.nextInt(25)) * DAY;
                if (at < w.asOf) {
                    long amount = rng.nextInt(100) < 40 ? total : Math.max(1, percent(total, 10 + rng.nextInt(51)));
                    String[] reasons = {"requested_by_customer", "service_outage", "product_unsatisfactory"};
                    refund(pid, inv, at, amount, reasons[rng.nextInt(reasons.length)]);
                    left = 0;
                }
            }
            if (left > 0 && rng.nextInt(10_000) < 15) {
                long at = t + (10 + rng.nextInt(50)) * DAY;
                if (at < w.asOf) {
                    String status = w.asOf - at < 20 * DAY ? (rng.nextBoolean() ? "needs_response" : "under_review")
                            : rng.nextInt(100) < 55 ? "won" : "lost";
                    String[] reasons = {"general", "fraudulent", "product_not_received", "subscription_canceled"};
                    out.begin().s(World.id("dp_", ++w.disputeSeq, 7)).s(pid).t(at).s(country.currency()).m(total, exp)
                            .s(reasons[rng.nextInt(reasons.length)]).s(status).end(EntityKind.DISPUTES);
                }
            }
        }
        return total;
    }

    private String payment(Inv inv, long at, long amount, boolean ok, String code, int attempt) {
        String id = World.id("py_", ++w.paymentSeq, 8);
        out.begin().s(id).s(inv.id).s(cusId).t(at).s(country.currency()).m(amount, exp).s(ok ? "succeeded" : "failed").s(code)
                .s(card.id).i(attempt).end(EntityKind.PAYMENTS);
        return id;
    }

    private String refund(String pid, Inv inv, long at, long amount, String reason) {
        String id = World.id("re_", ++w.refundSeq, 7);
        out.begin().s(id).s(pid).s(inv.id).t(at).s(country.currency()).m(amount, exp).s(reason).s("succeeded").end(EntityKind.REFUNDS);
        return id;
    }

    // ---------------------------------------------------------------- cards

    private void newCard(long at, boolean replacing) {
        Card c = new Card();
        c.id = World.id("pm_", ++w.methodSeq, 7);
        boolean sepa = country.currency().equals("EUR") && rng.nextInt(100) < 20 && !replacing && scen != Scenario.EXPIRING_CARD;
        c.type = sepa ? "sepa_debit" : "card";
        c.brand = sepa ? null : new String[] {"visa", "visa", "mastercard", "mastercard", "amex"}[rng.nextInt(5)];
        if (!sepa) {
            YearMonth from = YearMonth.from(LocalDateTime.ofEpochSecond(at, 0, ZoneOffset.UTC));
            setExpiry(c, from.plusMonths(replacing ? 24 + rng.nextInt(36) : 4 + rng.nextInt(60)));
        }
        for (Card o : cards) o.isDefault = false;
        c.isDefault = true;
        cards.add(c);
        card = c;
    }

    private static void setExpiry(Card c, YearMonth ym) {
        c.expMonth = ym.getMonthValue();
        c.expYear = ym.getYear();
        c.expEnd = Catalog.epoch(ym.plusMonths(1));
    }

    /** No active customer keeps a card that dies before its next renewal, unless that is the injected leak. */
    private void finishCards() {
        if (scen == Scenario.EXPIRING_CARD) {
            Sub s = subs.get(0);
            long next = nextRenewal(s);
            PriceVersion v = s.version.retired() && !s.locked ? w.catalog.versionAt(s.product, s.iv, country.currency(), next) : s.version;
            long unitNext = s.negotiated > 0 ? s.negotiated : v.unitMinor();
            long amount = s.product.seats() ? unitNext * s.qty : unitNext;
            long tax = percentBp(amount, country.taxBp());
            truth("customer:" + cusId, Category.EXPIRING_PAYMENT_METHOD, amount + tax, 0, w.asOf,
                    "card " + card.id + " expires " + card.expYear + "-" + String.format("%02d", card.expMonth)
                            + ", next renewal " + LocalDate.ofEpochDay(next / DAY));
            return;
        }
        long latest = 0; // the card must outlive the next renewal of every subscription still in force
        for (Sub s : subs) {
            if (s.canceledAt != 0 && s.canceledAt <= w.asOf) continue;
            latest = Math.max(latest, s.pausedAtAsOf ? w.asOf + 120 * DAY : nextRenewal(s));
        }
        if (latest == 0 || card.expEnd == 0) return;
        if (card.expEnd <= latest + 62 * DAY) newCard(w.asOf - (1 + rng.nextInt(20)) * DAY, true);
    }

    private long nextRenewal(Sub s) {
        long ps = s.trialEnd > w.asOf ? s.trialEnd : s.anchor != 0 ? s.anchor : s.paidStart;
        while (ps < w.asOf) ps = addMonths(ps, s.iv.months());
        return ps;
    }

    // ---------------------------------------------------------------- other files

    private void writeCustomer(Sub main) {
        long created = main.start - 60 - rng.nextInt(3 * 3600);
        out.begin().s(cusId).s(companyName()).s("billing+" + cusId.substring(4) + "@example.com").s(segment)
                .s(country.region()).s(country.code()).s(country.currency()).t(created).end(EntityKind.CUSTOMERS);
    }

    private static final String[] NAME_A = {"Acme", "Blue", "Northwind", "Globex", "Initech", "Umbrella", "Stark", "Wayne",
            "Hooli", "Vandelay", "Soylent", "Tyrell", "Cyberdyne", "Wonka", "Nakatomi", "Oscorp"};
    private static final String[] NAME_B = {"Labs", "Systems", "GmbH", "Ltd", "Inc", "KK", "Pty", "Analytics", "Cloud", "Works"};

    private String companyName() {
        return NAME_A[rng.nextInt(NAME_A.length)] + " " + NAME_B[rng.nextInt(NAME_B.length)] + " " + cusId.substring(4);
    }

    private void writeSubscription(Sub s) {
        String status;
        if (s.canceledAt != 0 && s.canceledAt <= w.asOf) status = "canceled";
        else if (s.pausedAtAsOf) status = "paused";
        else if (s.trialEnd > w.asOf) status = "trialing";
        else if (s.pastDue) status = "past_due";
        else status = "active";
        out.begin().s(s.id).s(cusId).s(s.version.id()).i(s.qty);
        if (s.negotiated > 0) out.s(country.currency()).m(s.negotiated, exp);
        else out.blank().blank();
        if (s.discPct > 0) out.i(s.discPct).t(s.discEnd);
        else out.blank().blank();
        out.s(status).t(s.start);
        if (s.trialEnd > 0) out.t(s.trialEnd);
        else out.blank();
        if (s.canceledAt != 0) out.t(s.canceledAt);
        else out.blank();
        out.b(s.locked).s(s.contractId).s(s.note).end(EntityKind.SUBSCRIPTIONS);
    }

    private void writeUsage(Sub s) {
        boolean main = s == subs.get(0);
        for (int k = 0; k < w.months; k++) {
            long q = s.usage[k];
            if (q < 0) continue;
            long at = w.monthStart(k);
            boolean served = s.canceledAt == 0 || at < s.canceledAt;
            if (!served) {
                if (!(main && scen == Scenario.USAGE_AFTER_CANCEL && k <= s.target2)) continue;
                // metering was never switched off: usage keeps arriving with no subscription behind it
                out.begin().s(World.id("u_", ++w.usageSeq, 8)).s(cusId).blank().s(Catalog.USAGE_METRIC).t(at).i(q)
                        .end(EntityKind.USAGE);
                truth("customer:" + cusId + "@" + w.monthName(k), Category.UNBILLED_SERVICE, 0, cheapestUsage(q, at), at,
                        "subscription " + s.id + " canceled but usage metering never switched off");
                continue;
            }
            // the final month before a cancellation stays inside the allowance: no final overage invoice is needed
            if (s.canceledAt != 0 && w.monthStart(k + 1) >= s.canceledAt) q = Math.min(q, s.version.includedUnits());
            out.begin().s(World.id("u_", ++w.usageSeq, 8)).s(cusId).s(s.id).s(Catalog.USAGE_METRIC).t(at).i(q)
                    .end(EntityKind.USAGE);
            if (main && scen == Scenario.REVENUE_GAP && k >= s.target && k <= s.target2) {
                long expected = cheapestUsage(q, at);
                long actual = s.version.unitMinor();
                truth("customer:" + cusId + "@" + w.monthName(k), Category.USAGE_REVENUE_GAP, expected - actual, 0, at,
                        "custom price " + s.version.id() + " includes 1,000,000 hours (typo for 1,000): " + q + " hours billed as base fee only");
            }
        }
    }

    /** Monthly price of the cheapest standard compute plan that covers {@code q} hours in this customer's currency. */
    private long cheapestUsage(long q, long at) {
        long best = Long.MAX_VALUE;
        for (Product p : new Product[] {Product.COMPUTE_BASIC, Product.COMPUTE_SCALE}) {
            PriceVersion v = w.catalog.versionAt(p, BillingInterval.MONTH, country.currency(), at);
            best = Math.min(best, v.unitMinor() + Math.max(0, q - v.includedUnits()) * v.overageMinor());
        }
        return best;
    }

    /** Monthly-equivalent price of the cheapest plan of a seat product for {@code seats} seats (annual ÷ 12). */
    private long cheapestSeats(Product p, long seats, long at) {
        long monthly = w.catalog.versionAt(p, BillingInterval.MONTH, country.currency(), at).unitMinor() * seats;
        long annual = divide(w.catalog.versionAt(p, BillingInterval.YEAR, country.currency(), at).unitMinor() * seats, 12);
        return Math.min(monthly, annual);
    }

    /** Daily seat observations of a seat subscription inside the telemetry window. */
    private void writeSeats(Sub s) {
        String account = s.id.replace("sub_", "acct_");
        long from = w.monthStart(w.telemetryFrom);
        List<Segment> inWindow = new ArrayList<>();
        for (Segment g : s.segments) if (g.to() > from) inWindow.add(g);
        boolean main = s == subs.get(0);
        for (int k = w.telemetryFrom; k < w.months; k++) {
            long ms = w.monthStart(k), me = w.monthStart(k + 1);
            long minQty = Long.MAX_VALUE;
            for (Segment g : inWindow) if (g.active() && g.from() < me && g.to() > ms && g.qty() > 0) minQty = Math.min(minQty, g.qty());
            if (minQty == Long.MAX_VALUE) minQty = 0;
            long level = Math.max(1, Math.round(minQty * (0.6 + rng.nextDouble() * 0.4)));
            int days = (int) ((me - ms) / DAY);
            int overFrom = -1, overTo = -1;
            long overBy = 0;
            if (main && scen == Scenario.SEAT_OVERAGE && k == s.target) {
                overFrom = rng.nextInt(days - s.variant + 1);
                overTo = overFrom + s.variant;
                overBy = s.extra;
            } else if (minQty > 0 && rng.nextInt(100) < 8) {
                overFrom = rng.nextInt(days - 2);
                overTo = overFrom + 1 + rng.nextInt(2); // one or two days: within the 3-day tolerance
                overBy = 1 + rng.nextInt(2);
            }
            for (int d = 0; d < days; d++) {
                long day = ms + d * DAY;
                if (day < from || day >= w.asOf) continue;
                Segment g = null;
                for (Segment x : inWindow) if (x.from() <= day + DAY - 1 && x.to() > day) g = x;
                if (g == null) continue;
                long seatsUsed;
                String access;
                if (!g.active()) {
                    seatsUsed = 0;
                    access = "suspended";
                } else if (s.canceledAt != 0 && day >= s.canceledAt) {
                    seatsUsed = s.extra; // access kept after cancellation (the injected entitlement leak)
                    access = "active";
                } else {
                    seatsUsed = Math.min(minQty, Math.max(1, level + rng.nextInt(3) - 1));
                    if (d >= overFrom && d < overTo) seatsUsed = minQty + overBy;
                    access = "active";
                }
                out.begin().s(account).s(cusId).s(g.product().productId).d(day).i(seatsUsed).s(access).end(EntityKind.APP_ACCOUNTS);
            }
            if (main && scen == Scenario.SEAT_OVERAGE && k == s.target) {
                long amount = s.extra * (s.unitByMonth != null && s.unitByMonth[k] > 0 ? s.unitByMonth[k] : unit(s));
                truth("subscription:" + s.id + "@" + w.monthName(k), Category.UNBILLED_USAGE, amount, 0, ms + overFrom * DAY,
                        s.variant + " days with " + s.extra + " seat(s) above the " + minQty + " billed, never trued up");
            }
        }
    }

    // ---------------------------------------------------------------- truth

    /** Writes one truth row: the subject, its category and the exact amounts its data shows. */
    private void truth(String subject, Category category, long oneTime, long recurring, long startedAt, String note) {
        out.begin().s(subject).s(category.name()).s(category.defaultKind().wire()).m(oneTime, exp).m(recurring, exp)
                .s(country.currency()).t(startedAt).s(note).endTruth();
        w.countTruth(category, bucketOf(category));
    }

    /** The field-study group a truth row counts toward (docs/generator.md). */
    private Scenario.Bucket bucketOf(Category c) {
        return switch (c) {
            case PRICE_MISMATCH, EXPIRED_DISCOUNT, LEGACY_PRICE -> Scenario.Bucket.PRICING;
            case FAILED_PAYMENT, SILENT_CHURN, EXPIRING_PAYMENT_METHOD -> Scenario.Bucket.DUNNING;
            case DUPLICATE_BILLING, REFUND_ANOMALY -> Scenario.Bucket.CONTRACT;
            case ANOMALY -> Scenario.Bucket.UNKNOWN;
            case USAGE_REVENUE_GAP -> Scenario.Bucket.USAGE;
            case UNBILLED_USAGE, UNBILLED_SERVICE, MISSED_INVOICE -> scen == Scenario.SEAT_OVERAGE || scen == Scenario.ACCESS_AFTER_CANCEL
                    ? Scenario.Bucket.ENTITLEMENT : scen == Scenario.MISSED_RENEWAL ? Scenario.Bucket.CONTRACT : Scenario.Bucket.USAGE;
        };
    }

    // ---------------------------------------------------------------- arithmetic

    static long addMonths(long epochSecond, int months) {
        return LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC).plusMonths(months).toEpochSecond(ZoneOffset.UTC);
    }

    static long percent(long amount, int pct) {
        return percentBp(amount, pct * 100);
    }

    /** amount × bp / 10000, rounded half-even to the minor unit. */
    static long percentBp(long amount, int bp) {
        return java.math.BigDecimal.valueOf(amount).multiply(java.math.BigDecimal.valueOf(bp))
                .divide(java.math.BigDecimal.valueOf(10_000), 0, java.math.RoundingMode.HALF_EVEN).longValueExact();
    }

    static long divide(long amount, long parts) {
        return java.math.BigDecimal.valueOf(amount).divide(java.math.BigDecimal.valueOf(parts), 0, java.math.RoundingMode.HALF_EVEN)
                .longValueExact();
    }
}
