package io.leakdetector.app.realtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.app.detect.FindingRepository;
import io.leakdetector.app.detect.StoredCustomer;
import io.leakdetector.core.detect.CustomerHistory;
import io.leakdetector.core.detect.Detection;
import io.leakdetector.core.detect.DetectionContext;
import io.leakdetector.core.detect.DetectionEngine;
import io.leakdetector.core.detect.PriceBook;
import io.leakdetector.core.detect.ScoredFinding;
import io.leakdetector.core.detect.SegmentNorms;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.generate.Generator;
import io.leakdetector.core.generate.GeneratorConfig;
import io.leakdetector.core.ingest.EntityKind;
import io.leakdetector.core.scan.CustomerGrouping;
import io.leakdetector.core.scan.DataDirectoryLoader;
import io.leakdetector.core.scan.LoadedData;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real-time detection, fed a generated world's records one event at a time in a shuffled order and re-running only
 * the detectors each event can affect, ends with exactly the findings the batch scan finds on the same records — and
 * each detector's kept detections are what a fresh run of that detector finds.
 */
class RealtimeEquivalenceTest {
    @TempDir
    static Path world;
    static LoadedData data;
    static CustomerGrouping customers;
    static Instant asOf;

    @BeforeAll
    static void generate() {
        Generator.generate(new GeneratorConfig(80, 12, 11, 0.4, GeneratorConfig.DEFAULT_START), world);
        data = DataDirectoryLoader.load(world, 1);
        customers = new CustomerGrouping(data);
        asOf = data.latestEvent();
    }

    record Event(EntityKind kind, Object record) {}

    static List<Event> eventsOf(CustomerHistory h) {
        List<Event> events = new ArrayList<>();
        if (h.customer() != null) events.add(new Event(EntityKind.CUSTOMERS, h.customer()));
        h.subscriptions().forEach(r -> events.add(new Event(EntityKind.SUBSCRIPTIONS, r)));
        h.subscriptionChanges().forEach(r -> events.add(new Event(EntityKind.SUBSCRIPTION_CHANGES, r)));
        h.invoices().forEach(r -> events.add(new Event(EntityKind.INVOICES, r)));
        h.linesByInvoice().values().forEach(l -> l.forEach(r -> events.add(new Event(EntityKind.INVOICE_LINES, r))));
        h.payments().forEach(r -> events.add(new Event(EntityKind.PAYMENTS, r)));
        h.refunds().forEach(r -> events.add(new Event(EntityKind.REFUNDS, r)));
        h.creditNotes().forEach(r -> events.add(new Event(EntityKind.CREDIT_NOTES, r)));
        h.disputes().forEach(r -> events.add(new Event(EntityKind.DISPUTES, r)));
        h.usage().forEach(r -> events.add(new Event(EntityKind.USAGE, r)));
        h.appAccounts().forEach(r -> events.add(new Event(EntityKind.APP_ACCOUNTS, r)));
        h.paymentMethods().forEach(r -> events.add(new Event(EntityKind.PAYMENT_METHODS, r)));
        return events;
    }

    static CustomerState empty(String id) {
        return new CustomerState(id, new StoredCustomer.Records(null, List.of(), List.of(), List.of(), Map.of(), List.of(),
                List.of(), List.of(), List.of(), List.of(), List.of(), List.of()), List.of(), 0, 0);
    }

    @Test
    void eventByEventDetectionEndsWhereTheBatchScanIs() {
        DetectionEngine engine = DetectionEngine.standard();
        EngineDecider decider = new EngineDecider(data::prices, engine, Clock.fixed(asOf, ZoneOffset.UTC));
        DetectionContext ctx = new DetectionContext(asOf, new PriceBook(data.prices()), SegmentNorms.EMPTY);
        Random random = new Random(42);
        int judged = 0, withFindings = 0, findings = 0;
        for (int c = 0; c < customers.size(); c++) {
            CustomerHistory batch = customers.history(c);
            List<ScoredFinding> expected = engine.run(batch, ctx);
            CustomerState state = empty(batch.customerId());
            List<Event> events = eventsOf(batch);
            Collections.shuffle(events, random);
            for (Event e : events) {
                state.apply(e.kind(), e.record());
                decider.decide(state, EnumSet.of(e.kind()));
            }
            judged++;
            // every detector's kept detections are what it finds on the final state from scratch
            CustomerHistory last = state.history();
            for (int i = 0; i < engine.detectors().size(); i++) {
                List<Detection> kept = state.detections.getOrDefault(i, List.of());
                assertThat(kept).as("%s on %s", engine.detectors().get(i).getClass().getSimpleName(), batch.customerId())
                        .isEqualTo(engine.detect(engine.detectors().get(i), last, ctx));
            }
            // and the findings it holds are the batch scan's, content for content
            for (ScoredFinding s : expected) {
                Finding f = s.finding();
                assertThat(state.findings).as("%s on %s", f.subject(), batch.customerId()).containsKey(f.id());
                assertThat(FindingRepository.sameContent(state.findings.get(f.id()), f))
                        .as("%s %s: %s vs %s", f.category(), f.subject(), state.findings.get(f.id()).explanation(), f.explanation())
                        .isTrue();
            }
            if (!expected.isEmpty()) withFindings++;
            findings += expected.size();
        }
        assertThat(judged).isGreaterThan(50);
        assertThat(withFindings).as("the world has leaks to find").isGreaterThan(3);
        assertThat(findings).isGreaterThan(5);
    }

    @Test
    void onlyTheDetectorsThatReadTheEventsKindRunAgain() {
        DetectionEngine engine = DetectionEngine.standard();
        EngineDecider decider = new EngineDecider(data::prices, engine, Clock.fixed(asOf, ZoneOffset.UTC));
        CustomerHistory h = customers.history(0);
        CustomerState state = empty(h.customerId());
        for (Event e : eventsOf(h)) state.apply(e.kind(), e.record());
        decider.decide(state, EnumSet.allOf(EntityKind.class));
        Map<Integer, List<Detection>> before = Map.copyOf(state.detections);
        decider.decide(state, EnumSet.of(EntityKind.DISPUTES)); // no detector reads disputes (only the risk score does)
        for (Map.Entry<Integer, List<Detection>> e : before.entrySet()) {
            assertThat(state.detections.get(e.getKey())).isSameAs(e.getValue());
        }
    }
}
