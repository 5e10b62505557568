package io.leakdetector.core.money;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Objects;

/**
 * An amount of money: a whole number of minor units (cents, yen, fils) in one ISO-4217 currency.
 *
 * <p>Never a {@code double}: parsing, formatting and arithmetic respect the currency's exponent
 * (USD 2, JPY 0, KWD 3), and arithmetic across two currencies is refused.
 */
public record Money(long minor, Currency currency) implements Comparable<Money> {

    public Money {
        Objects.requireNonNull(currency, "currency");
    }

    public static Money ofMinor(long minor, String currencyCode) {
        return new Money(minor, Currencies.of(currencyCode));
    }

    public static Money zero(Currency currency) {
        return new Money(0, currency);
    }

    /**
     * Parses a decimal amount in major units ("49.00", "-3.5", "4900" for JPY) exactly.
     *
     * @throws IllegalArgumentException naming the problem when the text is not a number or has more
     *     decimals than the currency allows
     */
    public static Money parse(CharSequence text, Currency currency) {
        return new Money(parseMinor(text, currency), currency);
    }

    /**
     * Parses "12.34" into minor units of the currency without allocating a BigDecimal. Accepts a leading sign,
     * thousands separators in their proper places ("1,234,567.89") and trailing zeros beyond the exponent.
     */
    public static long parseMinor(CharSequence text, Currency currency) {
        int exponent = Currencies.exponent(currency);
        int n = text.length();
        int i = 0;
        while (i < n && text.charAt(i) <= ' ') i++;
        while (n > i && text.charAt(n - 1) <= ' ') n--;
        if (i == n) throw new IllegalArgumentException("empty amount");
        boolean negative = false;
        char first = text.charAt(i);
        if (first == '-' || first == '+') {
            negative = first == '-';
            i++;
        }
        // Accumulate as a negative number so that Long.MIN_VALUE minor units parse too.
        long acc = 0;
        int digits = 0;
        int group = -1; // digits since the last thousands separator, -1 before the first one
        try {
            for (; i < n; i++) {
                char c = text.charAt(i);
                if (c == '.') break;
                if (c == ',') { // thousands separator as in "1,200.00": 1-3 digits first, then groups of 3
                    if (digits == 0 || digits > 3 && group < 0 || group >= 0 && group != 3) throw notANumber(text);
                    group = 0;
                    continue;
                }
                if (c < '0' || c > '9') throw notANumber(text);
                acc = Math.subtractExact(Math.multiplyExact(acc, 10), c - '0');
                digits++;
                if (group >= 0) group++;
            }
            if (group >= 0 && group != 3) throw notANumber(text);
            int decimals = 0;
            if (i < n) { // at '.'
                i++;
                for (; i < n; i++) {
                    char c = text.charAt(i);
                    if (c < '0' || c > '9') throw notANumber(text);
                    if (decimals >= exponent) {
                        if (c != '0') {
                            throw new IllegalArgumentException("'" + text + "' has more decimals than "
                                    + currency.getCurrencyCode() + " allows (" + exponent + ")");
                        }
                        digits++;
                        continue;
                    }
                    acc = Math.subtractExact(Math.multiplyExact(acc, 10), c - '0');
                    decimals++;
                    digits++;
                }
            }
            if (digits == 0) throw notANumber(text);
            for (int d = decimals; d < exponent; d++) acc = Math.multiplyExact(acc, 10);
            return negative ? acc : Math.negateExact(acc);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount too large: '" + text + "'");
        }
    }

    private static IllegalArgumentException notANumber(CharSequence text) {
        return new IllegalArgumentException("not a number: '" + text + "'");
    }

    public String currencyCode() {
        return currency.getCurrencyCode();
    }

    public int exponent() {
        return Currencies.exponent(currency);
    }

    public Money plus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.addExact(minor, other.minor), currency);
    }

    public Money minus(Money other) {
        requireSameCurrency(other);
        return new Money(Math.subtractExact(minor, other.minor), currency);
    }

    public Money times(long factor) {
        return new Money(Math.multiplyExact(minor, factor), currency);
    }

    public Money negate() {
        return new Money(Math.negateExact(minor), currency);
    }

    /** Multiplies by a rate (a percentage share, a proration fraction) rounding half-even to the minor unit. */
    public Money times(BigDecimal factor) {
        BigDecimal r = BigDecimal.valueOf(minor).multiply(factor).setScale(0, RoundingMode.HALF_EVEN);
        return new Money(r.longValueExact(), currency);
    }

    /** Divides into {@code parts} with half-even rounding, e.g. an annual price into months. */
    public Money dividedBy(long parts) {
        BigDecimal r = BigDecimal.valueOf(minor).divide(BigDecimal.valueOf(parts), 0, RoundingMode.HALF_EVEN);
        return new Money(r.longValueExact(), currency);
    }

    public boolean isZero() {
        return minor == 0;
    }

    public boolean isNegative() {
        return minor < 0;
    }

    public boolean isPositive() {
        return minor > 0;
    }

    public Money abs() {
        return minor < 0 ? negate() : this;
    }

    public Money max(Money other) {
        requireSameCurrency(other);
        return minor >= other.minor ? this : other;
    }

    public Money min(Money other) {
        requireSameCurrency(other);
        return minor <= other.minor ? this : other;
    }

    public BigDecimal toBigDecimal() {
        return BigDecimal.valueOf(minor, exponent());
    }

    /** The amount in major units as plain text, "49.00", "-0.05", "4900" (JPY), "1.250" (KWD). */
    public String toPlainString() {
        return formatMinor(minor, exponent());
    }

    /** "USD 1,234.50": how amounts appear in explanations and pages. */
    public String format() {
        String plain = formatMinor(minor, exponent());
        if (minor < 0) plain = plain.substring(1);
        int dot = plain.indexOf('.');
        String whole = dot < 0 ? plain : plain.substring(0, dot);
        StringBuilder grouped = new StringBuilder();
        for (int i = 0; i < whole.length(); i++) {
            if (i > 0 && (whole.length() - i) % 3 == 0) grouped.append(',');
            grouped.append(whole.charAt(i));
        }
        if (dot >= 0) grouped.append(plain, dot, plain.length());
        return currency.getCurrencyCode() + " " + (minor < 0 ? "-" : "") + grouped;
    }

    static String formatMinor(long minor, int exponent) {
        if (exponent == 0) return Long.toString(minor);
        boolean negative = minor < 0;
        String digits = Long.toString(Math.abs(minor));
        if (minor == Long.MIN_VALUE) digits = digits.substring(1);
        StringBuilder sb = new StringBuilder(digits.length() + 3);
        if (negative) sb.append('-');
        if (digits.length() <= exponent) {
            sb.append("0.");
            for (int i = digits.length(); i < exponent; i++) sb.append('0');
            sb.append(digits);
        } else {
            sb.append(digits, 0, digits.length() - exponent).append('.').append(digits, digits.length() - exponent, digits.length());
        }
        return sb.toString();
    }

    private void requireSameCurrency(Money other) {
        if (!currency.equals(other.currency)) {
            throw new CurrencyMismatchException(currency, other.currency);
        }
    }

    @Override
    public int compareTo(Money other) {
        requireSameCurrency(other);
        return Long.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return format();
    }
}
