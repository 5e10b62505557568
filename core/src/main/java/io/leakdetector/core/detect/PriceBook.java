package io.leakdetector.core.detect;

import io.leakdetector.core.domain.Price;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The read-only price book: every price version by id, and the versions of each plan in time order. */
public final class PriceBook {
    private final Map<String, Price> byId = new HashMap<>();
    private final Map<String, List<Price>> byPlan = new HashMap<>();

    public PriceBook(Collection<Price> prices) {
        for (Price p : prices) {
            byId.putIfAbsent(p.id(), p);
        }
        for (Price p : byId.values()) byPlan.computeIfAbsent(p.planId(), k -> new ArrayList<>()).add(p);
        for (List<Price> l : byPlan.values()) l.sort(Comparator.comparing(Price::validFrom).thenComparing(Price::id));
    }

    public static PriceBook of(Price... prices) {
        return new PriceBook(List.of(prices));
    }

    /** The version with this id, or null. */
    public Price price(String id) {
        return id == null ? null : byId.get(id);
    }

    public Collection<Price> all() {
        return byId.values();
    }

    /** Versions of a plan, oldest first. */
    public List<Price> versions(String planId) {
        List<Price> l = byPlan.get(planId);
        return l == null ? List.of() : l;
    }

    /** The version of {@code planId} on the price book at {@code t} (the newest one valid then), or null. */
    public Price listPriceAt(String planId, Instant t) {
        Price found = null;
        for (Price p : versions(planId)) if (p.validAt(t)) found = p;
        return found;
    }

    public int size() {
        return byId.size();
    }
}
