package io.leakdetector.core.detect;

import io.leakdetector.core.finding.Finding;

/** A finding with the risk assessment behind its score. */
public record ScoredFinding(Finding finding, RiskAssessment risk) {}
