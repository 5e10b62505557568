package io.leakdetector.app.ml;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the model lifecycle, bound from {@code leak.ml.*} (docs/ml.md "Model lifecycle").
 *
 * @param minLabels labelled findings (confirmed + dismissed, both present) needed before a supervised model is trained; default 30
 * @param newLabelsToRetrain labels added since the active model's training that queue a retrain; default 25
 * @param newFindingsToRetrain findings written or changed by detection since the active model's training that queue a retrain; default 1000
 * @param retrainInterval age of the active model after which the schedule queues a retrain; default 7 days
 * @param scoreInterval how often the active model rescores the findings and records scoring statistics; default 1 hour
 * @param pollInterval how often the job poller looks for due jobs and triggers; default 30 seconds
 * @param maxAttempts tries of one job before it stays failed; default 3
 * @param lease how long a running job may hold its row before another poller takes it over; default 30 minutes
 * @param supervisedWeight w of the final score (1 − w)·max(rule, anomaly) + w·p; default 0.7
 * @param schedulerEnabled false stops the poller (jobs then run only when POST /api/v1/ml/retrain starts them); default true
 */
@ConfigurationProperties("leak.ml")
public record MlProperties(@DefaultValue("30") int minLabels, @DefaultValue("25") int newLabelsToRetrain,
                           @DefaultValue("1000") int newFindingsToRetrain,
                           @DefaultValue("7d") Duration retrainInterval, @DefaultValue("1h") Duration scoreInterval,
                           @DefaultValue("30s") Duration pollInterval, @DefaultValue("3") int maxAttempts,
                           @DefaultValue("30m") Duration lease, @DefaultValue("0.7") double supervisedWeight,
                           @DefaultValue("true") boolean schedulerEnabled) {}
