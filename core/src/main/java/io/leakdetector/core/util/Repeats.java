package io.leakdetector.core.util;

import java.util.Arrays;

/** Whether a list of keys repeats one, told by sorting them: what the detectors' hot paths ask before building a set. */
public final class Repeats {
    private Repeats() {}

    /**
     * Whether {@code values[0, n)} holds some value twice; sorts that range in place. Used on hashes to tell, without a
     * set, that a list of ids has no repeat (an equal hash only means the caller must look closer).
     */
    public static boolean sortAndFind(int[] values, int n) {
        Arrays.sort(values, 0, n);
        for (int i = 1; i < n; i++) if (values[i] == values[i - 1]) return true;
        return false;
    }

    /** {@link #sortAndFind(int[], int)} for {@code long} keys. */
    public static boolean sortAndFind(long[] values, int n) {
        Arrays.sort(values, 0, n);
        for (int i = 1; i < n; i++) if (values[i] == values[i - 1]) return true;
        return false;
    }
}
