package io.leakdetector.app.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * A process-wide log of the ids of findings written (inserted, updated, status changed), so that a reader holding the
 * findings in memory ({@code FindingsSnapshot.Table}) re-reads only those rows after a write instead of the whole
 * table. {@code FindingRepository} marks every id it writes, whichever path calls it (detection, the findings API and
 * pages, remediation, real time). Like {@link DataVersion}, whose version every mark bumps, the log is per JVM and
 * marks again when the surrounding transaction completes: a reader that read a row before the commit reads it again.
 * The log keeps the last {@link #CAPACITY} ids; a reader further behind reads everything again.
 */
public final class FindingChanges {
    static final int CAPACITY = 1 << 16;
    private static final String[] RING = new String[CAPACITY];
    private static long end;

    private FindingChanges() {}

    /** The ids of findings written from {@code from} (a {@link #position()}) to {@code end}. */
    public record Since(List<String> ids, long end) {}

    /** Marks these findings written and bumps the data version: now, and again when the transaction (if any) completes. */
    public static void mark(Collection<String> ids) {
        if (ids.isEmpty()) return;
        append(ids);
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            List<String> copy = List.copyOf(ids);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    append(copy); // registered before the version's own: the ids are in before the version moves
                }
            });
        }
        DataVersion.bump();
    }

    /** Where the log ends now: the position to ask {@link #since} from next time. */
    public static synchronized long position() {
        return end;
    }

    /** The ids written since {@code from} (repeats possible), or null when the log no longer holds them all. */
    public static synchronized Since since(long from) {
        if (end - from > CAPACITY || from > end) return null;
        List<String> ids = new ArrayList<>((int) (end - from));
        for (long p = from; p < end; p++) ids.add(RING[(int) (p & (CAPACITY - 1))]);
        return new Since(ids, end);
    }

    private static synchronized void append(Collection<String> ids) {
        for (String id : ids) RING[(int) (end++ & (CAPACITY - 1))] = id;
    }
}
