package io.leakdetector.core.domain;

import java.util.ArrayList;
import java.util.List;

/** A record that knows where it came from: a CSV row's file and line, or a record id. */
public interface Sourced {
    /** Where the record came from; null when unknown. */
    RowSource origin();

    /** Where the record came from, as findings cite it: {@code file:line} for a CSV row, a record id otherwise. */
    default String source() {
        return RowSource.text(origin());
    }

    /** The sources of {@code rows}, in order: made only for rows a finding cites, as each is a new String. */
    static List<String> sources(List<? extends Sourced> rows) {
        List<String> out = new ArrayList<>(rows.size());
        for (Sourced r : rows) out.add(r.source());
        return out;
    }
}
