package io.leakdetector.app.realtime;

import java.util.List;
import org.springframework.stereotype.Component;

/** Stand-in until core's detection engine is merged into this branch: no findings. */
@Component
class PendingDetectorsDecider implements CustomerDecider {
    @Override
    public List<Decision.FindingDecision> decide(String customerId) {
        return List.of();
    }
}
