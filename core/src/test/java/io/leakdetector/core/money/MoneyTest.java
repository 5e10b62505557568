package io.leakdetector.core.money;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Currency;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {
    private static final Currency USD = Currencies.of("USD");
    private static final Currency JPY = Currencies.of("JPY");
    private static final Currency KWD = Currencies.of("KWD");

    @ParameterizedTest(name = "{0} {1} -> {2} minor")
    @CsvSource({
            "USD, 49.00, 4900", "USD, 49, 4900", "USD, 49.5, 4950", "USD, 0.05, 5", "USD, .5, 50",
            "USD, -3.50, -350", "USD, +3.50, 350", "USD, 49.000, 4900", "USD, '  12.34 ', 1234",
            "JPY, 4900, 4900", "JPY, -120, -120", "JPY, 4900.0, 4900",
            "KWD, 1.250, 1250", "KWD, 1.25, 1250", "KWD, 0.001, 1", "KWD, -12.345, -12345"})
    void parsesMajorUnitsByTheCurrencyExponent(String code, String text, long minor) {
        assertThat(Money.parse(text, Currencies.of(code))).isEqualTo(new Money(minor, Currencies.of(code)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {"USD; 1,234.56; 123456", "USD; -1,234,567.00; -123456700",
            "JPY; 1,200,000; 1200000", "KWD; 12,345.678; 12345678"})
    void acceptsThousandsSeparators(String code, String text, long minor) {
        assertThat(Money.parseMinor(text, Currencies.of(code))).isEqualTo(minor);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1,23.00", "12,34", ",100", "1,,000", "1000,", "1,000,00"})
    void rejectsMisplacedThousandsSeparators(String text) {
        assertThatThrownBy(() -> Money.parse(text, USD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(text);
    }

    @Test
    void rejectsMoreDecimalsThanTheCurrencyAllows() {
        assertThatThrownBy(() -> Money.parse("49.001", USD))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("more decimals than USD allows (2)");
        assertThatThrownBy(() -> Money.parse("4900.5", JPY)).hasMessageContaining("JPY allows (0)");
        assertThatThrownBy(() -> Money.parse("1.2345", KWD)).hasMessageContaining("KWD allows (3)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "-", "+", ".", "abc", "12a", "1.2.3", "1e5", "--1", "+-1", "$5", "4 900", "NaN"})
    void rejectsTextThatIsNotAnAmount(String text) {
        assertThatThrownBy(() -> Money.parse(text, USD)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsAmountsBeyondTheRangeOfLong() {
        assertThatThrownBy(() -> Money.parse("92233720368547758.08", USD)).hasMessageContaining("too large");
        assertThatThrownBy(() -> Money.parse("99999999999999999999", JPY)).hasMessageContaining("too large");
        assertThat(Money.parse("92233720368547758.07", USD).minor()).isEqualTo(Long.MAX_VALUE);
    }

    @ParameterizedTest(name = "{1} minor {0} -> {2} / {3}")
    @CsvSource({
            "USD, 4900, 49.00, USD 49.00", "USD, 5, 0.05, USD 0.05", "USD, -5, -0.05, USD -0.05",
            "USD, 123456789, 1234567.89, 'USD 1,234,567.89'", "USD, -100000, -1000.00, 'USD -1,000.00'",
            "USD, 0, 0.00, USD 0.00",
            "JPY, 4900, 4900, 'JPY 4,900'", "JPY, -1200000, -1200000, 'JPY -1,200,000'",
            "KWD, 1250, 1.250, KWD 1.250", "KWD, 1, 0.001, KWD 0.001", "KWD, 12345678, 12345.678, 'KWD 12,345.678'"})
    void formatsByTheCurrencyExponent(String code, long minor, String plain, String formatted) {
        Money m = new Money(minor, Currencies.of(code));
        assertThat(m.toPlainString()).isEqualTo(plain);
        assertThat(m.format()).isEqualTo(formatted);
        assertThat(m.toBigDecimal()).isEqualByComparingTo(new BigDecimal(plain));
    }

    @Test
    void formatsTheExtremesOfLong() {
        assertThat(new Money(Long.MIN_VALUE, USD).toPlainString()).isEqualTo("-92233720368547758.08");
        assertThat(new Money(Long.MIN_VALUE, USD).format()).isEqualTo("USD -92,233,720,368,547,758.08");
        assertThat(new Money(Long.MAX_VALUE, JPY).format()).isEqualTo("JPY 9,223,372,036,854,775,807");
    }

    @Test
    void arithmeticStaysInOneCurrency() {
        Money a = Money.parse("10.00", USD);
        Money b = Money.parse("2.50", USD);
        assertThat(a.plus(b)).isEqualTo(Money.parse("12.50", USD));
        assertThat(a.minus(b)).isEqualTo(Money.parse("7.50", USD));
        assertThat(b.minus(a)).isEqualTo(Money.parse("-7.50", USD));
        assertThat(b.minus(a).abs()).isEqualTo(Money.parse("7.50", USD));
        assertThat(a.times(3)).isEqualTo(Money.parse("30.00", USD));
        assertThat(a.max(b)).isEqualTo(a);
        assertThat(a.min(b)).isEqualTo(b);
        assertThat(a.compareTo(b)).isPositive();
        assertThat(a.negate().isNegative()).isTrue();
        assertThat(Money.zero(USD).isZero()).isTrue();
    }

    @Test
    void refusesToMixCurrencies() {
        Money usd = Money.parse("10.00", USD);
        Money jpy = Money.parse("1000", JPY);
        assertThatThrownBy(() -> usd.plus(jpy)).isInstanceOf(CurrencyMismatchException.class)
                .hasMessage("cannot combine USD and JPY amounts");
        assertThatThrownBy(() -> usd.minus(jpy)).isInstanceOf(CurrencyMismatchException.class);
        assertThatThrownBy(() -> usd.compareTo(jpy)).isInstanceOf(CurrencyMismatchException.class);
        assertThatThrownBy(() -> usd.max(jpy)).isInstanceOf(CurrencyMismatchException.class);
        assertThatThrownBy(() -> usd.min(jpy)).isInstanceOf(CurrencyMismatchException.class);
    }

    @Test
    void overflowIsAnErrorNotAWrapAround() {
        Money max = new Money(Long.MAX_VALUE, USD);
        assertThatThrownBy(() -> max.plus(new Money(1, USD))).isInstanceOf(ArithmeticException.class);
        assertThatThrownBy(() -> max.times(2)).isInstanceOf(ArithmeticException.class);
    }

    @ParameterizedTest(name = "{0} minor / {1} = {2}")
    @CsvSource({"120000, 12, 10000", "100, 3, 33", "200, 3, 67", "5, 2, 2", "15, 2, 8", "25, 2, 12", "-15, 2, -8",
            "-25, 2, -12", "1, 2, 0", "3, 2, 2"})
    void dividedByRoundsHalfEven(long minor, long parts, long expected) {
        assertThat(new Money(minor, USD).dividedBy(parts)).isEqualTo(new Money(expected, USD));
    }

    @ParameterizedTest(name = "{0} minor × {1} = {2}")
    @CsvSource({"4900, 0.8, 3920", "1005, 0.5, 502", "1015, 0.5, 508", "-1005, 0.5, -502", "999, 0.333, 333",
            "100, 0.005, 0", "100, 0.015, 2", "12345, 1, 12345"})
    void timesRateRoundsHalfEven(long minor, String factor, long expected) {
        assertThat(new Money(minor, USD).times(new BigDecimal(factor))).isEqualTo(new Money(expected, USD));
    }

    @Test
    void annualJpyPriceIntoMonths() {
        assertThat(Money.parse("100,000", JPY).dividedBy(12)).isEqualTo(Money.parse("8333", JPY));
        assertThat(Money.parse("100.006", KWD).dividedBy(12)).isEqualTo(Money.parse("8.334", KWD));
    }

    @Test
    void currencyCodesAreIsoAndCaseInsensitive() {
        assertThat(Currencies.of("usd")).isEqualTo(USD);
        assertThat(Currencies.of(" jpy ")).isEqualTo(JPY);
        assertThat(Currencies.exponent(KWD)).isEqualTo(3);
        assertThatThrownBy(() -> Currencies.of("ABC")).hasMessage("unknown currency 'ABC'");
        assertThatThrownBy(() -> Currencies.of("XXX")).hasMessageContaining("no minor unit");
        assertThatThrownBy(() -> Currencies.of("")).hasMessage("currency is required");
        assertThatThrownBy(() -> Currencies.of(null)).hasMessage("currency is required");
    }
}
