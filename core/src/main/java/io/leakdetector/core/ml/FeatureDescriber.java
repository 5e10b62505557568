package io.leakdetector.core.ml;

import java.util.Locale;
import java.util.function.DoubleFunction;

/**
 * Turns one feature's value and its reference (a typical value, a median, the price book's amount) into a short
 * phrase for an explanation, e.g. "amount 62 % below this customer's median of USD 1,200". One describer per
 * feature; the feature layer supplies describers that know units and money, {@link #plain} is the fallback.
 */
@FunctionalInterface
public interface FeatureDescriber {
    String describe(double value, double reference);

    /** {@code "f3 = 12.5 (typical 3.1)"}. */
    static FeatureDescriber plain(String name) {
        return (value, reference) -> name + " = " + number(value) + " (typical " + number(reference) + ")";
    }

    /**
     * {@code "<label> 62 % below <referenceName> of <formatted reference>"}, or "above"; "equal to" when the
     * values match, and the plain form when the reference is zero (no percentage exists).
     */
    static FeatureDescriber relativeTo(String label, String referenceName, DoubleFunction<String> format) {
        return (value, reference) -> {
            if (reference == 0) return label + " " + format.apply(value) + " where " + referenceName + " is " + format.apply(reference);
            double change = (value - reference) / Math.abs(reference) * 100;
            long rounded = Math.round(Math.abs(change));
            if (rounded == 0) return label + " equal to " + referenceName + " of " + format.apply(reference);
            return label + " " + rounded + " % " + (change < 0 ? "below " : "above ") + referenceName + " of " + format.apply(reference);
        };
    }

    /** A compact number: integers without decimals, others with up to 6 significant digits. */
    static String number(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return String.format(Locale.ROOT, "%d", (long) v);
        String s = String.format(Locale.ROOT, "%.6g", v);
        if (s.contains("e")) return s;
        if (s.contains(".")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s;
    }
}
