package io.leakdetector.app.realtime;

import io.leakdetector.app.detect.CurrentSettings;
import io.leakdetector.app.detect.FindingRepository;
import io.leakdetector.app.detect.StoredCustomer;
import io.leakdetector.core.detect.CustomerHistory;
import io.leakdetector.core.detect.Detection;
import io.leakdetector.core.detect.DetectionContext;
import io.leakdetector.core.detect.DetectionEngine;
import io.leakdetector.core.detect.Detector;
import io.leakdetector.core.detect.PriceBook;
import io.leakdetector.core.detect.RiskFactor;
import io.leakdetector.core.detect.ScoredFinding;
import io.leakdetector.core.detect.SegmentNorms;
import io.leakdetector.core.domain.Price;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.ingest.EntityKind;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Real-time detection with core's {@link DetectionEngine}, the same engine and detectors the batch scan runs, on the
 * customer's in-memory state: only the detectors that read a kind of record the event carries run again (each
 * detector says which kinds it reads); the others' last detections are reused, and the engine merges and scores
 * them all as {@link DetectionEngine#run} would. A new price book makes every detector of the customer run again.
 * The price book is re-read every {@link #PRICE_BOOK_MILLIS}; changed detector settings ({@link CurrentSettings}) apply
 * from the next event, every detector of the customer running again; segment norms (USAGE_REVENUE_GAP) are left to the
 * batch scan.
 */
@Component
class EngineDecider implements CustomerDecider {
    static final long PRICE_BOOK_MILLIS = 10_000;
    private final Supplier<List<Price>> priceSource;
    private final Supplier<DetectionEngine> engines;
    private final Clock clock;
    private volatile Prices prices;

    private record Prices(List<Price> rows, PriceBook book, long until) {}

    @Autowired
    EngineDecider(StoredCustomer stored, CurrentSettings settings) {
        this(stored::prices, settings::engine, Clock.systemUTC());
    }

    EngineDecider(Supplier<List<Price>> priceSource, DetectionEngine engine, Clock clock) {
        this(priceSource, () -> engine, clock);
    }

    EngineDecider(Supplier<List<Price>> priceSource, Supplier<DetectionEngine> engines, Clock clock) {
        this.priceSource = priceSource;
        this.engines = engines;
        this.clock = clock;
    }

    @Override
    public Outcome decide(CustomerState state, Set<EntityKind> touched) {
        CustomerHistory h = state.history();
        DetectionEngine engine = engines.get();
        PriceBook book = priceBook();
        DetectionContext ctx = new DetectionContext(clock.instant(), book, SegmentNorms.EMPTY);
        boolean all = state.priceBook != book || state.engine != engine; // detections are by the engine's detector index
        state.priceBook = book;
        state.engine = engine;
        List<Detector> detectors = engine.detectors();
        List<Detection> detections = new ArrayList<>();
        for (int i = 0; i < detectors.size(); i++) {
            Detector d = detectors.get(i);
            List<Detection> last = state.detections.get(i);
            if (all || last == null || !Collections.disjoint(d.reads(), touched)) {
                last = engine.detect(d, h, ctx);
                state.detections.put(i, last);
            }
            detections.addAll(last);
        }
        List<ScoredFinding> found = engine.findings(detections, h, ctx);
        if (found.isEmpty()) return Outcome.NONE;
        List<Decision.FindingDecision> out = new ArrayList<>();
        List<Finding> created = new ArrayList<>();
        List<Finding> updated = new ArrayList<>();
        for (ScoredFinding sf : found) {
            Finding f = sf.finding();
            Finding before = state.findings.get(f.id());
            String change;
            if (before == null) {
                change = "new";
                created.add(f);
            } else if (FindingRepository.sameContent(before, f)) {
                continue;
            } else {
                change = "updated";
                // detection re-running never undoes an analyst's decision: the stored status stays
                f = new Finding(f.id(), f.category(), f.kind(), f.subject(), f.customerId(), f.amountOneTime(),
                        f.amountMonthlyRecurring(), f.currency(), f.score(), f.confidence(), f.detectedAt(), f.evidence(),
                        f.explanation(), f.recommendedAction(), before.status(), f.matchedRules());
                updated.add(f);
            }
            state.findings.put(f.id(), f);
            out.add(decision(f, sf, change));
        }
        return new Outcome(out, created, updated);
    }

    private static Decision.FindingDecision decision(Finding f, ScoredFinding sf, String change) {
        List<Decision.Factor> factors = new ArrayList<>();
        double risk = 0;
        if (sf.risk() != null) {
            risk = sf.risk().score();
            for (RiskFactor rf : sf.risk().factors()) factors.add(new Decision.Factor(rf.signal(), rf.score(), rf.weight(), rf.reason()));
        }
        return new Decision.FindingDecision(f.id(), change, f.category().name(), f.kind().wire(), f.subject(),
                f.currency().getCurrencyCode(), f.amountOneTime().toPlainString(), f.amountMonthlyRecurring().toPlainString(),
                f.score(), f.confidence().wire(), risk, factors, f.explanation(), f.recommendedAction(), f.matchedRules());
    }

    /** The price book, re-read at most every {@link #PRICE_BOOK_MILLIS}; the same object while the prices are unchanged. */
    private PriceBook priceBook() {
        long now = System.currentTimeMillis();
        Prices p = prices;
        if (p == null || now > p.until()) {
            List<Price> rows = priceSource.get();
            PriceBook book = p != null && p.rows().equals(rows) ? p.book() : new PriceBook(rows);
            p = new Prices(rows, book, now + PRICE_BOOK_MILLIS);
            prices = p;
        }
        return p.book();
    }
}
