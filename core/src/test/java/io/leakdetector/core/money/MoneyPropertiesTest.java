package io.leakdetector.core.money;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Property tests over many seeded random amounts (a fixed seed, so a failure reproduces), with the edge values
 * that matter for money (0, ±1, the long range ends) always included.
 */
class MoneyPropertiesTest {
    private static final long SEED = 20261121L;
    private static final int TRIES = 5_000;
    private static final List<String> CODES = List.of("USD", "EUR", "JPY", "KWD", "CLF", "BHD", "KRW");

    private static List<Money> samples() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        List<Money> out = new ArrayList<>();
        for (String code : CODES) {
            Currency c = Currencies.of(code);
            for (long edge : new long[] {0, 1, -1, 999, -1000, Long.MAX_VALUE, Long.MIN_VALUE + 1, Long.MIN_VALUE}) {
                out.add(new Money(edge, c));
            }
        }
        for (int i = 0; i < TRIES; i++) {
            Currency c = Currencies.of(CODES.get(rnd.nextInt(CODES.size())));
            long minor = switch (rnd.nextInt(3)) {
                case 0 -> rnd.nextLong();
                case 1 -> rnd.nextLong(-1_000_000_000L, 1_000_000_000L);
                default -> rnd.nextLong(-1000, 1001);
            };
            out.add(new Money(minor, c));
        }
        return out;
    }

    @Test
    void parsingTheFormattedAmountGivesItBack() {
        for (Money m : samples()) {
            assertThat(Money.parse(m.toPlainString(), m.currency())).as(m.toPlainString()).isEqualTo(m);
        }
    }

    @Test
    void parsingTheGroupedDisplayFormGivesItBack() {
        for (Money m : samples()) {
            String display = m.format().substring(4); // drop "USD "
            assertThat(Money.parse(display, m.currency())).as(display).isEqualTo(m);
        }
    }

    @Test
    void plainTextIsTheExactDecimalValue() {
        for (Money m : samples()) {
            assertThat(new BigDecimal(m.toPlainString()))
                    .isEqualTo(BigDecimal.valueOf(m.minor()).movePointLeft(Currencies.exponent(m.currency())));
        }
    }

    @Test
    void minusUndoesPlus() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        Currency usd = Currencies.of("USD");
        for (int i = 0; i < TRIES; i++) {
            Money x = new Money(rnd.nextLong(-(1L << 60), 1L << 60), usd);
            Money y = new Money(rnd.nextLong(-(1L << 60), 1L << 60), usd);
            assertThat(x.plus(y).minus(y)).isEqualTo(x);
            assertThat(x.minus(y).plus(y)).isEqualTo(x);
            assertThat(x.plus(y)).isEqualTo(y.plus(x));
        }
    }

    @Test
    void dividingIntoPartsLosesLessThanOneMinorUnitPerPart() {
        SplittableRandom rnd = new SplittableRandom(SEED);
        Currency jpy = Currencies.of("JPY");
        for (int i = 0; i < TRIES; i++) {
            long a = rnd.nextLong(-(1L << 50), 1L << 50);
            long parts = rnd.nextLong(1, 1001);
            long part = new Money(a, jpy).dividedBy(parts).minor();
            assertThat(Math.abs(part * parts - a)).as("%d / %d", a, parts).isLessThanOrEqualTo(parts / 2);
        }
    }
}
