package io.leakdetector.core.detect;

import java.util.AbstractList;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * An unmodifiable list over part of a shared array: what a batch scan's grouping hands each customer's history, which
 * keeps it as it is ({@link CustomerHistory} wraps other lists). Detectors walk these lists for every customer: one
 * object and a plain index per walk, where a sub-list of {@code Arrays.asList} in an unmodifiable wrapper took three
 * iterators and three calls per element. The array must not change while the list is used.
 */
public final class ArraySlice<T> extends AbstractList<T> implements RandomAccess {
    private final Object[] array;
    private final int from, size;

    /** {@code array[from..to)}, not copied. */
    public ArraySlice(Object[] array, int from, int to) {
        Objects.checkFromToIndex(from, to, array.length);
        this.array = array;
        this.from = from;
        this.size = to - from;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T get(int i) {
        Objects.checkIndex(i, size);
        return (T) array[from + i];
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            private int i = from;
            private final int end = from + size;

            @Override
            public boolean hasNext() {
                return i < end;
            }

            @Override
            @SuppressWarnings("unchecked")
            public T next() {
                if (i >= end) throw new NoSuchElementException();
                return (T) array[i++];
            }
        };
    }
}
