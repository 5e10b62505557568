package io.leakdetector.app.ml;

import static org.assertj.core.api.Assertions.assertThat;

import io.leakdetector.app.detect.FindingRepository;
import io.leakdetector.app.testing.Http;
import io.leakdetector.app.testing.ServerTest;
import io.leakdetector.core.finding.Category;
import io.leakdetector.core.finding.Evidence;
import io.leakdetector.core.finding.Finding;
import io.leakdetector.core.ml.FindingFeatures;
import io.leakdetector.core.money.Money;
import io.leakdetector.core.util.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The model lifecycle over a real server: labels → POST retrain (admin) → a registered active version → every
 * finding scored, a dismissed pattern sunk below a confirmed one, explanations in words, scoring statistics, drift,
 * the features list; roles and problem+json errors.
 */
@ServerTest
class MlApiServerTest {
    static final String ADMIN = Http.basic("admin", ServerTest.ADMIN_PASSWORD);

    @LocalServerPort
    int port;

    @Autowired
    FindingRepository repo;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MlJobRunner runner;

    String tag = "ml" + UUID.randomUUID().toString().substring(0, 8);

    Finding finding(String id, Category c, double score, long amount) {
        Currency usd = Currency.getInstance("USD");
        return new Finding(id, c, c.defaultKind(), "customer:" + id + "@2026-03", tag + "_" + id, new Money(amount, usd),
                Money.zero(usd), usd, score, null, Instant.parse("2026-03-20T00:00:00Z"),
                List.of(new Evidence("fact", "1", "2", List.of("invoices.csv:1"))), "why", "fix it", null, List.of(c.name()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String s) {
        return (Map<String, Object>) Json.parse(s);
    }

    @SuppressWarnings("unchecked")
    String key(String role) {
        Http.Response r = new Http(port).post("/api/v1/admin/api-keys", ADMIN, "{\"name\":\"" + tag + role + "\",\"role\":\"" + role + "\"}");
        assertThat(r.status()).isEqualTo(201);
        return (String) json(r.body()).get("key");
    }

    @Test
    @SuppressWarnings("unchecked")
    void labelsTrainAModelThatSinksTheDismissedPatternAndIsMonitored() throws Exception {
        // pattern D: the rules score it high (0.9) but analysts keep dismissing it; pattern C: scored 0.5, always confirmed
        List<Finding> all = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            all.add(finding(tag + "d" + i, Category.USAGE_REVENUE_GAP, 0.9, 5_000 + i));
            all.add(finding(tag + "c" + i, Category.FAILED_PAYMENT, 0.5, 7_000 + i));
        }
        repo.save(all);
        for (int i = 0; i < 40; i++) {
            repo.label(tag + "d" + i, "dismissed", "analyst@example.com", null);
            repo.label(tag + "c" + i, "confirmed", "analyst@example.com", null);
        }
        Http http = new Http(port);
        Http.Response retrain = http.post("/api/v1/ml/retrain", ADMIN, null);
        assertThat(retrain.status()).as(retrain.body()).isEqualTo(202);
        long jobId = ((Number) json(retrain.body()).get("id")).longValue();
        Map<String, Object> job = waitFor(http, jobId);
        assertThat(job.get("status")).as(job.toString()).isEqualTo("done");
        assertThat((String) job.get("outcome")).startsWith("trained supervised version");

        Map<String, Object> status = json(http.get("/api/v1/ml/status", ADMIN).body());
        Map<String, Object> active = (Map<String, Object>) ((Map<String, Object>) ((List<Object>) status.get("models")).get(0)).get("active");
        assertThat(active).isNotNull();
        assertThat(((Number) active.get("training_rows")).intValue()).isGreaterThanOrEqualTo(80);
        assertThat((Map<String, Object>) active.get("metrics")).containsKeys("cv_roc_auc", "training_roc_auc");
        assertThat((String) status.get("final_score")).contains("max(rule score, anomaly score)");

        // unlabelled findings of each pattern: the dismissed one sinks below the confirmed one
        Map<String, Object> d = json(http.get("/api/v1/ml/findings/" + tag + "d44", ADMIN).body());
        Map<String, Object> c = json(http.get("/api/v1/ml/findings/" + tag + "c44", ADMIN).body());
        assertThat(((Number) d.get("probability")).doubleValue()).isLessThan(0.2);
        assertThat(((Number) c.get("probability")).doubleValue()).isGreaterThan(0.8);
        assertThat(((Number) d.get("final_score")).doubleValue()).isLessThan(((Number) c.get("final_score")).doubleValue());
        assertThat((String) c.get("explanation")).isNotBlank().isNotEqualTo("nothing unusual");

        Map<String, Object> features = json(http.get("/api/v1/ml/features", ADMIN).body());
        assertThat(((Number) features.get("count")).intValue()).isEqualTo(FindingFeatures.NAMES.size());
        Map<String, Object> top = (Map<String, Object>) ((List<Object>) features.get("features")).get(0);
        assertThat(((Number) top.get("importance")).doubleValue()).isPositive();

        Map<String, Object> stats = json(http.get("/api/v1/ml/monitoring/stats?hours=24", ADMIN).body());
        assertThat(((Number) stats.get("runs")).intValue()).isPositive();
        Map<String, Object> drift = json(http.get("/api/v1/ml/monitoring/drift", ADMIN).body());
        // scored on the very data it was trained on: stable
        assertThat(drift.get("level")).as(drift.toString()).isEqualTo("stable");
        assertThat((List<Object>) drift.get("features")).isNotEmpty();

        // a scoring run with a shifted score distribution is drift: the trigger check queues a retrain for it
        long modelId = ((Number) active.get("id")).longValue();
        jdbc.sql("INSERT INTO ml_scoring_stats (model_id, scored_at, rows_scored, score_psi, max_feature_psi, score_histogram, "
                + "feature_histograms) VALUES (?, ?, 10, 0.6, 0.1, '[10]', '{}')").params(modelId, FindingRepository.odt(Instant.now())).update();
        Optional<String> reason = runner.queueTriggered(Instant.now());
        assertThat(reason).contains("drift");
    }

    Map<String, Object> waitFor(Http http, long jobId) throws InterruptedException {
        Map<String, Object> job = Map.of();
        for (int i = 0; i < 600; i++) {
            Http.Response r = http.get("/api/v1/ml/jobs/" + jobId, ADMIN);
            assertThat(r.status()).isEqualTo(200);
            job = json(r.body());
            if (job.get("status").equals("done") || job.get("status").equals("failed")) return job;
            Thread.sleep(100);
        }
        return job;
    }

    @Test
    void rolesAndProblems() {
        Http http = new Http(port);
        Http.Response anon = http.get("/api/v1/ml/status", null);
        assertThat(anon.status()).isEqualTo(401);
        String viewer = key("viewer"), analyst = key("analyst");
        assertThat(http.get("/api/v1/ml/status", Http.bearer(viewer)).status()).isEqualTo(200);
        assertThat(http.get("/api/v1/ml/monitoring/drift", Http.bearer(viewer)).status()).isEqualTo(200);
        assertThat(http.post("/api/v1/ml/retrain", Http.bearer(viewer), null).status()).isEqualTo(403);
        assertThat(http.post("/api/v1/ml/retrain", Http.bearer(analyst), null).status()).isEqualTo(403);
        Http.Response bad = http.get("/api/v1/ml/monitoring/stats?hours=0", Http.bearer(viewer));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.body()).contains("hours");
        Http.Response missing = http.get("/api/v1/ml/jobs/999999999", Http.bearer(viewer));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.contentType()).startsWith("application/problem+json");
        assertThat(http.get("/api/v1/ml/findings/nope-" + tag, Http.bearer(viewer)).status()).isEqualTo(404);
    }
}
