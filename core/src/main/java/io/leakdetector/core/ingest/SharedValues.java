package io.leakdetector.core.ingest;

import io.leakdetector.core.money.Money;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Currency;

/**
 * Shares repeated values of one column (customer ids, statuses, month starts, list prices) so that millions of
 * rows do not each keep their own copy: a small direct-mapped table, the value parsed first and the slot
 * replaced on a miss, so a look-up never grows anything. Text look-ups hash the bytes and turn themselves off
 * when fewer than 1 in 4 of the first 8,192 hit (unique ids).
 */
final class SharedValues {
    private static final int SLOTS = 1 << 12;
    private final Object[] slots = new Object[SLOTS];
    // the key of each slot beside it, so that a miss is told without touching the object (a cache miss)
    private final long[] keys = new long[SLOTS];
    private long lookups, hits;
    private boolean textOff;

    private static int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 52);
    }

    String text(AsciiSlice s) {
        if (textOff) return s.toString();
        lookups++;
        int h = s.hash();
        int i = slot(h);
        if (keys[i] == h && slots[i] instanceof String v && s.sameAs(v)) {
            hits++;
            return v;
        }
        String v = s.toString();
        slots[i] = v;
        keys[i] = h;
        if (lookups == 8192 && hits * 4 < lookups) textOff = true;
        return v;
    }

    Instant instant(long epochSecond) {
        int i = slot(epochSecond);
        if (keys[i] == epochSecond && slots[i] instanceof Instant v && v.getEpochSecond() == epochSecond && v.getNano() == 0) {
            return v;
        }
        Instant v = Instant.ofEpochSecond(epochSecond);
        slots[i] = v;
        keys[i] = epochSecond;
        return v;
    }

    Instant instant(Instant t) {
        long key = t.getEpochSecond() * 31 + t.getNano();
        int i = slot(key);
        if (keys[i] == key && slots[i] instanceof Instant v && v.equals(t)) return v;
        slots[i] = t;
        keys[i] = key;
        return t;
    }

    /** The date of {@code epochDay}, made only when the slot holds another. */
    LocalDate date(long epochDay) {
        int i = slot(epochDay);
        if (keys[i] == epochDay && slots[i] instanceof LocalDate v && v.toEpochDay() == epochDay) return v;
        LocalDate v = LocalDate.ofEpochDay(epochDay);
        slots[i] = v;
        keys[i] = epochDay;
        return v;
    }

    LocalDate date(LocalDate d) {
        long key = d.toEpochDay();
        int i = slot(key);
        if (keys[i] == key && slots[i] instanceof LocalDate v && v.equals(d)) return v;
        slots[i] = d;
        keys[i] = key;
        return d;
    }

    Money money(long minor, Currency currency) {
        long key = minor * 31 + System.identityHashCode(currency);
        int i = slot(key);
        if (keys[i] == key && slots[i] instanceof Money v && v.minor() == minor && v.currency() == currency) return v;
        Money v = new Money(minor, currency);
        slots[i] = v;
        keys[i] = key;
        return v;
    }
}
