package io.leakdetector.core.ingest;

import io.leakdetector.core.domain.RowSource;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The contract of one data file: its columns, how a row becomes a domain record, the record's identity key
 * and the columns that reference other files.
 */
public record EntitySchema<T>(EntityKind kind, Class<T> type, List<Column> columns,
                              BiFunction<RowView, RowSource, T> mapper, Function<T, String> key,
                              List<Reference<T>> references) {

    public Column column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(kind.fileName() + " has no column " + name));
    }
}
