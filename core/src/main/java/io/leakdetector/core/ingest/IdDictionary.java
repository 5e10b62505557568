package io.leakdetector.core.ingest;

import java.util.List;

/**
 * The ids of one file, found by the bytes of a referencing field: an invoice line's invoice_id then shares the
 * invoice's own String instead of keeping a copy, which saves millions of Strings on a large scan. Read-only once
 * built, so every reading thread may use it.
 */
public final class IdDictionary {
    private final String[] table;
    private final int[] hashes;

    private IdDictionary(String[] table, int[] hashes) {
        this.table = table;
        this.hashes = hashes;
    }

    /** A dictionary of {@code ids} (nulls and non-ASCII ids are left out; the first of equal ids is kept). */
    public static IdDictionary of(List<String> ids) {
        int capacity = Integer.highestOneBit(Math.max(16, ids.size() * 2 + 1)) << 1;
        String[] table = new String[capacity];
        int[] hashes = new int[capacity];
        int mask = capacity - 1;
        ids:
        for (String id : ids) {
            if (id == null) continue;
            int h = 1;
            for (int i = 0; i < id.length(); i++) {
                char c = id.charAt(i);
                if (c > 127) continue ids;
                h = 31 * h + c;
            }
            int i = mix(h) & mask;
            for (; table[i] != null; i = (i + 1) & mask) {
                if (hashes[i] == h && table[i].equals(id)) continue ids;
            }
            table[i] = id;
            hashes[i] = h;
        }
        return new IdDictionary(table, hashes);
    }

    private static int mix(int h) {
        return h ^ (h >>> 15) ^ (h >>> 7);
    }

    /** The id with exactly the slice's characters, or null. */
    String find(AsciiSlice s) {
        int h = s.hash();
        int mask = table.length - 1;
        for (int i = mix(h) & mask; table[i] != null; i = (i + 1) & mask) {
            if (hashes[i] == h && s.sameAs(table[i])) return table[i];
        }
        return null;
    }
}
