package io.leakdetector.app.remediation;

import io.leakdetector.app.detect.FindingListener;
import io.leakdetector.app.detect.FindingRepository;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.finding.FindingsFile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens when detection saves findings: {@code finding.created} / {@code finding.updated} go to webhook
 * subscribers, and a new finding whose category's playbook is marked auto_start starts it.
 */
public final class FindingEvents implements FindingListener {
    private static final Logger log = LoggerFactory.getLogger(FindingEvents.class);
    private final Remediation remediation;
    private final OutboundWebhooks outbound;
    private final PlaybookRepository playbooks;

    public FindingEvents(Remediation remediation, OutboundWebhooks outbound, PlaybookRepository playbooks) {
        this.remediation = remediation;
        this.outbound = outbound;
        this.playbooks = playbooks;
    }

    @Override
    public void saved(List<FindingRepository.Saved> saved) {
        Map<String, Boolean> autoStart = new LinkedHashMap<>();
        List<String[]> subscribers = null; // read once per batch, and only when something changed
        for (FindingRepository.Saved s : saved) {
            if (s.change().equals("unchanged")) continue;
            Finding f = s.finding();
            if (subscribers == null) subscribers = outbound.enabled();
            outbound.publish(subscribers, s.change().equals("new") ? "finding.created" : "finding.updated", () -> FindingsFile.toJson(f));
            if (s.change().equals("new") && autoStart.computeIfAbsent(f.category().name(),
                    playbooks::autoStarts)) {
                try {
                    remediation.startPlaybook(f.id(), "system");
                } catch (RuntimeException e) {
                    log.warn("could not start the playbook of finding {}: {}", f.id(), e.getMessage());
                }
            }
        }
    }
}
