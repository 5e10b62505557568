package io.leakdetector.core.util;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RepeatsTest {
    @Test
    void findsARepeatAnywhereInTheRangeOnly() {
        assertTrue(Repeats.sortAndFind(new int[] {5, 1, 9, 1}, 4));
        assertFalse(Repeats.sortAndFind(new int[] {5, 1, 9, 1}, 3), "the repeat lies outside the range");
        assertFalse(Repeats.sortAndFind(new int[] {}, 0));
        assertTrue(Repeats.sortAndFind(new long[] {Long.MIN_VALUE, 3, Long.MIN_VALUE}, 3));
        assertFalse(Repeats.sortAndFind(new long[] {Long.MAX_VALUE, 3, Long.MIN_VALUE}, 3));
    }

    @Test
    void sortsTheRangeInPlace() {
        int[] values = {3, 2, 1, 0};
        Repeats.sortAndFind(values, 3);
        assertArrayEquals(new int[] {1, 2, 3, 0}, values);
    }
}
