package io.leakdetector.app.remediation;

import io.leakdetector.app.detect.FindingListener;
import io.leakdetector.app.remediation.channel.HttpJson;
import io.leakdetector.app.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * Remediation for the command line (no Spring, no scheduler running): finding events and auto-started playbooks are
 * written as durable jobs for the server to run, and recoveries are checked after an import.
 */
public final class RemediationHooks {
    private RemediationHooks() {}

    public static FindingListener findingEvents(Store store) {
        Jobs jobs = Jobs.over(store.dataSource());
        OutboundWebhooks outbound = new OutboundWebhooks(store.client(), jobs, new HttpJson(Duration.ofSeconds(5), Duration.ofSeconds(10)),
                Clock.systemUTC());
        Remediation remediation = new Remediation(store.client(), store.tx(), jobs, Map.of(), outbound);
        return new FindingEvents(remediation, outbound, new PlaybookRepository(store.client()));
    }

    public static Recoveries recoveries(Store store) {
        return new Recoveries(store.client(), store.tx());
    }
}
