package io.leakdetector.app.detect;

import java.util.List;

/** Told after findings were saved (committed) by batch or real-time detection: outbound events, playbooks. */
@FunctionalInterface
public interface FindingListener {
    void saved(List<FindingRepository.Saved> saved);

    FindingListener NONE = saved -> {};
}
