package io.leakdetector.core.detect;

import io.leakdetector.core.detect.Detection.Signal;

/** Names of the signals detectors hand to the risk score, and small constructors for them. */
public final class Signals {
    /** How conclusive the rule's facts are (exact match of records vs inference). */
    public static final String RULE_CERTAINTY = "rule_certainty";
    /** How far past its tolerance the observed value is. */
    public static final String MARGIN = "margin";
    /** How long or how often the leak has lasted. */
    public static final String PERSISTENCE = "persistence";
    /** Money at stake against the customer's usual invoice (added by the scorer). */
    public static final String AMOUNT_AT_STAKE = "amount_at_stake";
    /** Earlier trouble on the same customer (failed payments, disputes), added by the scorer. */
    public static final String CUSTOMER_HISTORY = "customer_history";

    private Signals() {}

    static Signal certainty(double v, String reason) {
        return new Signal(RULE_CERTAINTY, v, reason);
    }

    static Signal margin(double v, String reason) {
        return new Signal(MARGIN, v, reason);
    }

    static Signal persistence(double v, String reason) {
        return new Signal(PERSISTENCE, v, reason);
    }

    /** Maps a relative excess (0 = at tolerance) to [0.5, 1]: anything past the tolerance is already half-sure. */
    static double relative(double excess) {
        if (Double.isNaN(excess) || excess <= 0) return 0.5;
        return Math.min(1, 0.5 + excess);
    }
}
