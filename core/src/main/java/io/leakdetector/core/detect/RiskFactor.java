package io.leakdetector.core.detect;

/** One signal's part in a risk score: its value (0–1), its weight and why it has that value. */
public record RiskFactor(String signal, double score, double weight, String reason) {}
