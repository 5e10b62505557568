package io.leakdetector.core.ingest;

import java.util.List;

/**
 * The ids of one file, found by the bytes of a referencing field: an invoice line's invoice_id then shares the
 * invoice's own String instead of keeping a copy, which saves millions of Strings on a large scan. Read-only once
 * built, so every reading thread may use it.
 *
 * <p>The ids keep their file order, and a look-up may name where the previous one was found ({@link #position(AsciiSlice,
 * int)}): files list rows in the order of what they reference (a line follows its invoice, invoices their
 * customer), so the id wanted is most often the one after, found by one comparison of nearby memory instead of a hash
 * of the field and probes in a table of a million entries.
 *
 * <p>The look-ups compare the field with a copy of the ids' characters packed one after another in file order, not
 * with the Strings: those lie wherever the reader's threads allocated them, among their records, so comparing with
 * the id after the previous one cost a cache miss or two per row (the largest frame of a scan's read in a profile),
 * where the packed copy is read in order and stays cached.
 */
public final class IdDictionary {
    private final String[] ids; // in file order; null where an id was left out
    private final byte[] chars; // the characters of the ids, in file order
    private final int[] ends; // id p spans chars[ends[p - 1] (0 for the first), ends[p]); empty where left out
    private final int[] table; // position in ids + 1; 0: empty
    private final int[] hashes;

    private IdDictionary(String[] ids, byte[] chars, int[] ends, int[] table, int[] hashes) {
        this.ids = ids;
        this.chars = chars;
        this.ends = ends;
        this.table = table;
        this.hashes = hashes;
    }

    /** A dictionary of {@code ids} (nulls and non-ASCII ids are left out; the first of equal ids is kept). */
    public static IdDictionary of(List<String> ids) {
        int capacity = Integer.highestOneBit(Math.max(16, ids.size() * 2 + 1)) << 1;
        String[] inOrder = new String[ids.size()];
        byte[] chars = new byte[Math.max(16, ids.size() * 12)];
        int[] ends = new int[ids.size()];
        int used = 0;
        int[] table = new int[capacity];
        int[] hashes = new int[capacity];
        int mask = capacity - 1;
        ids:
        for (int p = 0; p < inOrder.length; p++) {
            ends[p] = used; // empty unless kept
            String id = ids.get(p);
            if (id == null) continue;
            int h = 1;
            for (int i = 0; i < id.length(); i++) {
                char c = id.charAt(i);
                if (c > 127) continue ids;
                h = 31 * h + c;
            }
            int i = mix(h) & mask;
            for (; table[i] != 0; i = (i + 1) & mask) {
                if (hashes[i] == h && inOrder[table[i] - 1].equals(id)) continue ids;
            }
            inOrder[p] = id;
            table[i] = p + 1;
            hashes[i] = h;
            if (used + id.length() > chars.length) chars = java.util.Arrays.copyOf(chars, Math.max(chars.length * 2, used + id.length()));
            for (int k = 0; k < id.length(); k++) chars[used++] = (byte) id.charAt(k);
            ends[p] = used;
        }
        return new IdDictionary(inOrder, chars, ends, table, hashes);
    }

    private static int mix(int h) {
        return h ^ (h >>> 15) ^ (h >>> 7);
    }

    /** The id at {@code position} (from {@link #position(AsciiSlice, int)}). */
    String at(int position) {
        return ids[position];
    }

    /**
     * Where the id with exactly the slice's characters is, or -1; {@code previous} is where the look-up before found
     * its id (-1: none), and the one after it is tried first. Equal ids are kept once, so the answer is the position
     * of the first of them.
     */
    int position(AsciiSlice s, int previous) {
        int next = previous + 1;
        if (previous >= 0 && next < ids.length && s.sameAs(chars, ends[previous], ends[next])) return next;
        int h = s.hash();
        int mask = table.length - 1;
        for (int i = mix(h) & mask; table[i] != 0; i = (i + 1) & mask) {
            int p = table[i] - 1;
            if (hashes[i] == h && s.sameAs(chars, p == 0 ? 0 : ends[p - 1], ends[p])) return p;
        }
        return -1;
    }
}
