package io.leakdetector.core.detect;

import io.leakdetector.core.domain.Subscription;
import io.leakdetector.core.domain.SubscriptionChange;
import io.leakdetector.core.domain.SubscriptionStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A subscription's price version, quantity and pauses over time, rebuilt from its current row and its change
 * history: the subscription row holds today's state, each change says what it was before and after.
 */
final class SubscriptionTimeline {
    private final Subscription sub;
    private final List<SubscriptionChange> changes;
    private final List<Instant[]> pauses = new ArrayList<>();
    private final boolean pauseUnknown;

    final PriceBook prices;

    SubscriptionTimeline(Subscription sub, List<SubscriptionChange> changesOfSub, PriceBook prices) {
        this.sub = sub;
        this.prices = prices;
        this.changes = new ArrayList<>(changesOfSub);
        this.changes.sort(Comparator.comparing(SubscriptionChange::changedAt).thenComparing(SubscriptionChange::id));
        Instant pausedFrom = null;
        for (SubscriptionChange c : changes) {
            String k = c.kind().toLowerCase(Locale.ROOT);
            // a cancellation later undone by a reactivation is a gap in service, like a pause
            if (k.equals("pause") || k.equals("cancel")) {
                if (pausedFrom == null) pausedFrom = c.changedAt();
            } else if ((k.equals("resume") || k.equals("reactivate")) && pausedFrom != null) {
                pauses.add(new Instant[] {pausedFrom, c.changedAt()});
                pausedFrom = null;
            }
        }
        if (pausedFrom != null) pauses.add(new Instant[] {pausedFrom, null});
        pauseUnknown = sub.status() == SubscriptionStatus.PAUSED && pausedFrom == null;
    }

    Subscription subscription() {
        return sub;
    }

    List<SubscriptionChange> changes() {
        return changes;
    }

    /**
     * The price version in force at {@code t}: before a recorded change its "from" side, after the last change the
     * subscription row (today's state, which also reflects moves nobody logged, such as a price migration).
     */
    String priceIdAt(Instant t) {
        String before = null;
        for (SubscriptionChange c : changes) {
            if (c.toPriceId() == null && c.fromPriceId() == null) continue;
            if (!c.changedAt().isAfter(t)) {
                if (c.toPriceId() != null) before = c.toPriceId();
            } else {
                return before != null ? before : c.fromPriceId() != null ? c.fromPriceId() : sub.priceId();
            }
        }
        return sub.priceId();
    }

    /** The quantity in force at {@code t} (after the last change: the subscription row). */
    long quantityAt(Instant t) {
        Long before = null;
        for (SubscriptionChange c : changes) {
            if (c.toQuantity() == null && c.fromQuantity() == null) continue;
            if (!c.changedAt().isAfter(t)) {
                if (c.toQuantity() != null) before = c.toQuantity();
            } else {
                return before != null ? before : c.fromQuantity() != null ? c.fromQuantity() : sub.quantity();
            }
        }
        return sub.quantity();
    }

    /** Largest quantity in force at any time in [from, to). */
    long maxQuantityIn(Instant from, Instant to) {
        long q = quantityAt(from);
        for (SubscriptionChange c : changes) {
            if (c.toQuantity() != null && !c.changedAt().isBefore(from) && c.changedAt().isBefore(to)) {
                q = Math.max(q, c.toQuantity());
            }
        }
        return q;
    }

    /** Paused now with no recorded pause: since when is unknown, so only invoiced time counts as service. */
    boolean pauseUnknown() {
        return pauseUnknown;
    }

    /** True when service was stopped at {@code t} by a pause, or by a cancellation that a reactivation undid later. */
    boolean pausedAt(Instant t) {
        for (Instant[] p : pauses) {
            boolean afterStart = p[0] == null || !t.isBefore(p[0]);
            boolean beforeEnd = p[1] == null || t.isBefore(p[1]);
            if (afterStart && beforeEnd) return true;
        }
        return false;
    }

    /** When billing starts: the end of a free trial, else the start. */
    Instant billingStart() {
        Instant s = sub.startedAt();
        if (sub.trialEnd() != null && sub.trialEnd().isAfter(s)) return sub.trialEnd();
        return s;
    }

    /** The end of service: cancellation time, else null (still running). */
    Instant end() {
        return sub.canceledAt();
    }

    /** True when the subscription is live (started, not ended, not paused) at {@code t}, trials included. */
    boolean liveAt(Instant t) {
        return !t.isBefore(sub.startedAt()) && (sub.canceledAt() == null || t.isBefore(sub.canceledAt()))
                && sub.status() != SubscriptionStatus.INCOMPLETE && !pausedAt(t);
    }
}
