package io.leakdetector.app.ml;

import io.leakdetector.app.security.AuditLog;
import io.leakdetector.app.web.ApiException;
import io.leakdetector.core.ml.FindingFeatures;
import io.leakdetector.core.ml.Psi;
import io.leakdetector.core.ml.features.BillingFeatures;
import io.leakdetector.core.util.Json;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** The model lifecycle over HTTP: status, features, scoring statistics, drift, a finding's ML score, retraining. */
@RestController
@RequestMapping("/api/v1/ml")
@Tag(name = "ml", description = "models, monitoring and drift (viewer); retrain (admin)")
class MlController {
    private final ModelRegistry registry;
    private final MlJobs jobs;
    private final MlJobRunner runner;
    private final SupervisedTraining training;
    private final MlProperties props;
    private final JdbcClient jdbc;
    private final AuditLog audit;

    MlController(ModelRegistry registry, MlJobs jobs, MlJobRunner runner, SupervisedTraining training, MlProperties props,
                 JdbcClient jdbc, AuditLog audit) {
        this.registry = registry;
        this.jobs = jobs;
        this.runner = runner;
        this.training = training;
        this.props = props;
        this.jdbc = jdbc;
        this.audit = audit;
    }

    @GetMapping("/status")
    @Operation(summary = "Active model per kind with its provenance and metrics, label counts, the final-score formula and recent jobs")
    Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        Optional<ModelRegistry.Version> active = registry.active(ModelRegistry.SUPERVISED);
        List<Object> models = new ArrayList<>();
        Map<String, Object> sup = new LinkedHashMap<>();
        sup.put("kind", ModelRegistry.SUPERVISED);
        sup.put("versions", registry.versions(ModelRegistry.SUPERVISED).size());
        sup.put("active", active.map(MlController::version).orElse(null));
        models.add(sup);
        out.put("models", models);
        SupervisedTraining.LabelCounts c = training.labelCounts(active.map(ModelRegistry.Version::trainedAt).orElse(null));
        out.put("labels", Map.of("confirmed", c.confirmed(), "dismissed", c.dismissed(), "since_active_model", c.since()));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("min_labels", props.minLabels());
        settings.put("new_labels_to_retrain", props.newLabelsToRetrain());
        settings.put("new_findings_to_retrain", props.newFindingsToRetrain());
        settings.put("retrain_interval", props.retrainInterval().toString());
        settings.put("score_interval", props.scoreInterval().toString());
        settings.put("supervised_weight", props.supervisedWeight());
        out.put("settings", settings);
        out.put("final_score", "active model: (1 - w) * max(rule score, anomaly score) + w * p with w = " + props.supervisedWeight()
                + "; no model: max(rule score, anomaly score)");
        out.put("ready_to_train", c.total() >= props.minLabels() && c.confirmed() > 0 && c.dismissed() > 0);
        List<Object> recent = new ArrayList<>();
        for (MlJobs.Job j : jobs.recent(5)) recent.add(job(j));
        out.put("recent_jobs", recent);
        return out;
    }

    static Map<String, Object> version(ModelRegistry.Version v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", v.id());
        m.put("version", v.version());
        m.put("algorithm", v.algorithm());
        m.put("trained_at", v.trainedAt().toString());
        m.put("data_window", Map.of("from", String.valueOf(v.dataFrom()), "to", String.valueOf(v.dataTo())));
        m.put("training_rows", v.trainingRows());
        m.put("confirmed_rows", v.positiveRows());
        m.put("trigger", v.triggerReason());
        m.put("features", v.features().size());
        m.put("parameters", v.parameters());
        m.put("metrics", v.metrics());
        return m;
    }

    static Map<String, Object> job(MlJobs.Job j) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", j.id());
        m.put("type", j.type());
        m.put("reason", j.reason());
        m.put("status", j.status());
        m.put("attempts", j.attempts());
        m.put("max_attempts", j.maxAttempts());
        m.put("requested_by", j.requestedBy());
        m.put("created_at", String.valueOf(j.createdAt()));
        m.put("started_at", j.startedAt() == null ? null : j.startedAt().toString());
        m.put("finished_at", j.finishedAt() == null ? null : j.finishedAt().toString());
        m.put("outcome", j.outcome());
        m.put("model_id", j.modelId());
        return m;
    }

    @GetMapping("/features")
    @Operation(summary = "The supervised model's features (rule signals, inv_* invoice and cm_* customer-month features) "
            + "with the active model's importance (mean |SHAP| on its training rows), most important first")
    Map<String, Object> features() {
        Optional<ModelRegistry.Version> active = registry.active(ModelRegistry.SUPERVISED);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < FindingFeatures.NAMES.size(); i++) {
            String n = FindingFeatures.NAMES.get(i);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", n);
            m.put("group", n.startsWith("inv_") ? "invoice" : n.startsWith("cm_") ? "customer_month" : "rule_signal");
            Double imp = null;
            if (active.isPresent()) {
                int at = active.get().features().indexOf(n);
                if (at >= 0 && at < active.get().featureImportance().size()) imp = active.get().featureImportance().get(at);
            }
            m.put("importance", imp);
            rows.add(m);
        }
        rows.sort(Comparator.comparing((Map<String, Object> m) -> m.get("importance") == null ? 0.0 : -(Double) m.get("importance")));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("model_version", active.map(ModelRegistry.Version::version).orElse(null));
        out.put("count", rows.size());
        out.put("groups", Map.of("rule_signal", FindingFeatures.RULE_FEATURES.size(), "invoice", BillingFeatures.INVOICE_FEATURES.size(),
                "customer_month", BillingFeatures.CUSTOMER_MONTH_FEATURES.size()));
        out.put("features", rows);
        return out;
    }

    @GetMapping("/monitoring/stats")
    @Operation(summary = "Scoring runs of the last N hours: rows scored, score mean / median / p90, PSI of the score and the largest feature PSI")
    Map<String, Object> stats(@Parameter(description = "window in hours, 1 to 8760 (default 24)") @RequestParam(required = false) String hours) {
        int h = 24;
        if (hours != null) {
            try {
                h = Integer.parseInt(hours.strip());
            } catch (NumberFormatException e) {
                h = -1;
            }
            if (h < 1 || h > 8760) throw ApiException.badField("hours", "hours must be a whole number from 1 to 8760");
        }
        Instant since = Instant.now().minus(h, ChronoUnit.HOURS);
        List<Map<String, Object>> runs = jdbc.sql("SELECT s.id, m.version, s.scored_at, s.rows_scored, s.score_mean, s.score_p50, "
                        + "s.score_p90, s.score_psi, s.max_feature_psi, s.max_psi_feature FROM ml_scoring_stats s "
                        + "JOIN ml_models m ON m.id = s.model_id WHERE s.scored_at >= ? ORDER BY s.scored_at DESC, s.id DESC")
                .param(io.leakdetector.app.detect.FindingRepository.odt(since))
                .query((rs, n) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", rs.getLong("id"));
                    m.put("model_version", rs.getInt("version"));
                    m.put("scored_at", ModelRegistry.instant(rs, "scored_at").toString());
                    m.put("rows_scored", rs.getInt("rows_scored"));
                    m.put("score_mean", (Double) rs.getObject("score_mean", Double.class));
                    m.put("score_p50", (Double) rs.getObject("score_p50", Double.class));
                    m.put("score_p90", (Double) rs.getObject("score_p90", Double.class));
                    m.put("score_psi", (Double) rs.getObject("score_psi", Double.class));
                    m.put("max_feature_psi", (Double) rs.getObject("max_feature_psi", Double.class));
                    m.put("max_psi_feature", rs.getString("max_psi_feature"));
                    return m;
                }).list();
        long rows = 0;
        for (Map<String, Object> r : runs) rows += (Integer) r.get("rows_scored");
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hours", h);
        out.put("runs", runs.size());
        out.put("rows_scored", rows);
        out.put("items", runs);
        return out;
    }

    @GetMapping("/monitoring/drift")
    @Operation(summary = "PSI of the score and of every feature between the active model's training reference and its latest "
            + "scoring run; level stable (< 0.1), warn (0.1 to 0.25) or alert (>= 0.25, queues a retrain)")
    @SuppressWarnings("unchecked")
    Map<String, Object> drift() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("thresholds", Map.of("warn", Psi.WARN, "alert", Psi.ALERT));
        Optional<ModelRegistry.Version> active = registry.active(ModelRegistry.SUPERVISED);
        if (active.isEmpty()) {
            out.put("level", "unknown");
            out.put("reason", "no active model");
            return out;
        }
        ModelRegistry.Version v = active.get();
        out.put("model_version", v.version());
        Optional<Map<String, Object>> last = jdbc.sql("SELECT scored_at, rows_scored, score_histogram, feature_histograms FROM ml_scoring_stats "
                        + "WHERE model_id = ? ORDER BY scored_at DESC, id DESC FETCH FIRST 1 ROWS ONLY").param(v.id())
                .query((rs, n) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("scored_at", ModelRegistry.instant(rs, "scored_at").toString());
                    m.put("rows_scored", rs.getInt("rows_scored"));
                    m.put("score_histogram", Json.parse(rs.getString("score_histogram")));
                    m.put("feature_histograms", Json.parse(rs.getString("feature_histograms")));
                    return m;
                }).optional();
        if (last.isEmpty()) {
            out.put("level", "unknown");
            out.put("reason", "the active model has not scored yet");
            return out;
        }
        Map<String, Object> ref = v.reference();
        double scorePsi = Drift.psi(((Map<String, Object>) ref.get("score")).get("counts"), last.get().get("score_histogram"));
        Map<String, Object> refFeatures = (Map<String, Object>) ref.get("features");
        Map<String, Object> hists = (Map<String, Object>) last.get().get("feature_histograms");
        List<Map<String, Object>> features = new ArrayList<>();
        double worst = scorePsi;
        for (Map.Entry<String, Object> e : hists.entrySet()) {
            Map<String, Object> col = (Map<String, Object>) refFeatures.get(e.getKey());
            if (col == null) continue;
            double psi = Drift.psi(col.get("counts"), e.getValue());
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("feature", e.getKey());
            f.put("psi", Double.isNaN(psi) ? null : psi);
            f.put("level", Psi.level(psi));
            features.add(f);
            if (!Double.isNaN(psi) && (Double.isNaN(worst) || psi > worst)) worst = psi;
        }
        features.sort(Comparator.comparing((Map<String, Object> f) -> f.get("psi") == null ? 0.0 : -(Double) f.get("psi")));
        out.put("scored_at", last.get().get("scored_at"));
        out.put("rows_scored", last.get().get("rows_scored"));
        out.put("reference_rows", v.metrics().get("scored_findings"));
        out.put("score_psi", Double.isNaN(scorePsi) ? null : scorePsi);
        out.put("score_level", Psi.level(scorePsi));
        out.put("level", Psi.level(worst));
        out.put("features", features);
        return out;
    }

    @GetMapping("/findings/{id}")
    @Operation(summary = "A finding's supervised probability, final layered score and the top reasons in words")
    Map<String, Object> findingScore(@PathVariable String id) {
        return jdbc.sql("SELECT s.finding_id, s.probability, s.final_score, s.explanation, s.scored_at, m.version FROM ml_finding_scores s "
                        + "JOIN ml_models m ON m.id = s.model_id WHERE s.finding_id = ?").param(id)
                .query((rs, n) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("finding_id", rs.getString("finding_id"));
                    m.put("model_version", rs.getInt("version"));
                    m.put("probability", rs.getDouble("probability"));
                    m.put("final_score", rs.getDouble("final_score"));
                    m.put("explanation", rs.getString("explanation"));
                    m.put("scored_at", ModelRegistry.instant(rs, "scored_at").toString());
                    return m;
                }).optional()
                .orElseThrow(() -> ApiException.notFoundWith("ml score of finding", id, "no model has scored it yet"));
    }

    @GetMapping("/jobs/{id}")
    @Operation(summary = "One ML job (retrain or score) with its status, attempts and outcome")
    Map<String, Object> jobById(@PathVariable String id) {
        long n;
        try {
            n = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw ApiException.notFound("ml job", id);
        }
        return job(jobs.find(n).orElseThrow(() -> ApiException.notFound("ml job", id)));
    }

    @PostMapping("/retrain")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @Operation(summary = "Queue a retraining of the supervised model (admin; a queued or running retrain is reused) and start it now",
            responses = @ApiResponse(responseCode = "202", description = "the job; poll /api/v1/ml/jobs/{id}"))
    Map<String, Object> retrain() {
        MlJobs.Job j = jobs.enqueue(MlJobs.RETRAIN, "manual", AuditLog.currentActor(), props.maxAttempts(), Instant.now());
        audit.record("ml.retrain", "ml_job", String.valueOf(j.id()), "queued");
        runner.kick();
        return job(j);
    }
}
