package io.leakdetector.core.ingest;

import java.util.function.Function;

/** A column that must name an existing record of another kind (a customer, an invoice, …). */
public record Reference<T>(String column, EntityKind target, boolean required, Function<T, String> value) {}
