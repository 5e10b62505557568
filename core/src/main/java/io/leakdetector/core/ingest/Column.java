package io.leakdetector.core.ingest;

import java.util.List;

/**
 * One column of a data file: its canonical name, whether a row needs it, its type and an example, and the
 * other header names (Stripe export names) accepted for it.
 */
public record Column(String name, boolean required, String type, String example, String description,
                     List<String> aliases) {

    public static Column req(String name, String type, String example, String description, String... aliases) {
        return new Column(name, true, type, example, description, List.of(aliases));
    }

    public static Column opt(String name, String type, String example, String description, String... aliases) {
        return new Column(name, false, type, example, description, List.of(aliases));
    }
}
