package io.leakdetector.core.money;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Currency;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

class MoneyPropertiesTest {

    @Provide
    Arbitrary<Money> money() {
        Arbitrary<Currency> currencies = Arbitraries.of("USD", "EUR", "JPY", "KWD", "CLF", "BHD", "KRW").map(Currencies::of);
        Arbitrary<Long> minors = Arbitraries.oneOf(Arbitraries.longs(),
                Arbitraries.longs().between(-1_000_000_000L, 1_000_000_000L),
                Arbitraries.longs().between(-1000, 1000));
        return Combinators.combine(minors, currencies).as(Money::new);
    }

    @Property
    void parsingTheFormattedAmountGivesItBack(@ForAll("money") Money m) {
        assertThat(Money.parse(m.toPlainString(), m.currency())).isEqualTo(m);
    }

    @Property
    void parsingTheGroupedDisplayFormGivesItBack(@ForAll("money") Money m) {
        String display = m.format().substring(4); // drop "USD "
        assertThat(Money.parse(display, m.currency())).isEqualTo(m);
    }

    @Property
    void plainTextIsTheExactDecimalValue(@ForAll("money") Money m) {
        assertThat(new BigDecimal(m.toPlainString()))
                .isEqualTo(BigDecimal.valueOf(m.minor()).movePointLeft(Currencies.exponent(m.currency())));
    }

    @Property
    void minusUndoesPlus(@ForAll @LongRange(min = -1L << 60, max = 1L << 60) long a,
                         @ForAll @LongRange(min = -1L << 60, max = 1L << 60) long b) {
        Currency usd = Currencies.of("USD");
        Money x = new Money(a, usd);
        Money y = new Money(b, usd);
        assertThat(x.plus(y).minus(y)).isEqualTo(x);
        assertThat(x.minus(y).plus(y)).isEqualTo(x);
        assertThat(x.plus(y)).isEqualTo(y.plus(x));
    }

    @Property
    void dividingIntoPartsLosesLessThanOneMinorUnitPerPart(@ForAll @LongRange(min = -1L << 50, max = 1L << 50) long a,
                                                          @ForAll @LongRange(min = 1, max = 1000) long parts) {
        Money m = new Money(a, Currencies.of("JPY"));
        long part = m.dividedBy(parts).minor();
        assertThat(Math.abs(part * parts - a)).isLessThanOrEqualTo(parts / 2);
    }
}
