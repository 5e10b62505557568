package io.leakdetector.app.realtime;

import io.leakdetector.app.detect.FindingListener;
import io.leakdetector.app.detect.FindingRepository;
import io.leakdetector.app.detect.StoredCustomer;
import io.leakdetector.core.detect.CustomerHistory;
import io.leakdetector.core.detect.DetectionContext;
import io.leakdetector.core.detect.DetectionEngine;
import io.leakdetector.core.detect.PriceBook;
import io.leakdetector.core.detect.RiskFactor;
import io.leakdetector.core.detect.ScoredFinding;
import io.leakdetector.core.detect.SegmentNorms;
import io.leakdetector.core.finding.Finding;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Real-time detection with core's {@link DetectionEngine}, the same engine the batch scan runs: the customer's
 * stored records become a {@link CustomerHistory}, the engine judges it as of now, and the findings are saved
 * (an analyst's status survives). The answer lists the findings that are new or changed. The price book is
 * cached for {@link #PRICE_BOOK_MILLIS}; segment norms (USAGE_REVENUE_GAP) are left to the batch scan.
 */
@Component
class EngineDecider implements CustomerDecider {
    static final long PRICE_BOOK_MILLIS = 10_000;
    private final StoredCustomer stored;
    private final FindingRepository findings;
    private final TransactionTemplate tx;
    private final DetectionEngine engine = DetectionEngine.standard();
    private final Clock clock = Clock.systemUTC();
    private volatile PriceBook prices;
    private volatile long pricesUntil;

    private final FindingListener listener;

    EngineDecider(StoredCustomer stored, FindingRepository findings, TransactionTemplate tx,
                  org.springframework.beans.factory.ObjectProvider<FindingListener> listener) {
        this.listener = listener.getIfAvailable(() -> FindingListener.NONE);
        this.stored = stored;
        this.findings = findings;
        this.tx = tx;
    }

    @Override
    public List<Decision.FindingDecision> decide(String customerId) {
        CustomerHistory h = stored.history(customerId);
        List<ScoredFinding> found = engine.run(h, new DetectionContext(clock.instant(), priceBook(), SegmentNorms.EMPTY));
        if (found.isEmpty()) return List.of();
        Map<String, ScoredFinding> byId = new HashMap<>();
        List<Finding> list = new ArrayList<>(found.size());
        for (ScoredFinding s : found) {
            byId.put(s.finding().id(), s);
            list.add(s.finding());
        }
        List<FindingRepository.Saved> saved = tx.execute(s -> findings.save(list));
        listener.saved(saved);
        List<Decision.FindingDecision> out = new ArrayList<>();
        for (FindingRepository.Saved s : saved) {
            if (s.change().equals("unchanged")) continue;
            Finding f = s.finding();
            ScoredFinding sf = byId.get(f.id());
            List<Decision.Factor> factors = new ArrayList<>();
            double risk = 0;
            if (sf != null && sf.risk() != null) {
                risk = sf.risk().score();
                for (RiskFactor rf : sf.risk().factors()) factors.add(new Decision.Factor(rf.signal(), rf.score(), rf.weight(), rf.reason()));
            }
            out.add(new Decision.FindingDecision(f.id(), s.change(), f.category().name(), f.kind().wire(), f.subject(),
                    f.currency().getCurrencyCode(), f.amountOneTime().toPlainString(), f.amountMonthlyRecurring().toPlainString(),
                    f.score(), f.confidence().wire(), risk, factors, f.explanation(), f.recommendedAction(), f.matchedRules()));
        }
        return out;
    }

    private PriceBook priceBook() {
        long now = System.currentTimeMillis();
        if (prices == null || now > pricesUntil) {
            prices = new PriceBook(stored.prices());
            pricesUntil = now + PRICE_BOOK_MILLIS;
        }
        return prices;
    }
}
